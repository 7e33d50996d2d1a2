// Jira date texts: profile-formatted CSV dates, localized XML (RSS) dates, REST ISO with -0800.
import {
  checkWallTime,
  parseIsoTime,
  TimeError,
  toUtcIso,
  wallTimeInZone,
  wallTimeUtc,
  type WallTime,
  fractionMs,
} from '../../../util/time.js';

// Month and weekday names in the locales Jira users export with most in our market (English,
// German); the XML export writes them in the exporting user's language.
const MONTH_NAMES: Record<string, number> = {};
const EN_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DE_MONTHS = [
  'januar',
  'februar',
  'märz',
  'april',
  'mai',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'dezember',
];
for (const months of [EN_MONTHS, DE_MONTHS]) {
  months.forEach((name, index) => {
    MONTH_NAMES[name] = index + 1;
    MONTH_NAMES[name.slice(0, 3)] = index + 1;
  });
}
// Abbreviations that are not the first three letters of the full name.
Object.assign(MONTH_NAMES, { mrz: 3, maerz: 3, sept: 9, okt: 10, dez: 12 });

const WEEKDAYS: Record<string, number> = {};
const EN_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DE_DAYS = ['so', 'mo', 'di', 'mi', 'do', 'fr', 'sa'];
EN_DAYS.forEach((name, index) => (WEEKDAYS[name] = index));
DE_DAYS.forEach((name, index) => (WEEKDAYS[name] = index));

function monthNumber(name: string): number | undefined {
  // Exact names only: a prefix match would read another language's month as a guess.
  return MONTH_NAMES[name.toLowerCase().replace(/\.$/, '')];
}

function requireMonth(name: string, text: string): number {
  const month = monthNumber(name);
  if (!month)
    throw new TimeError(`unknown month name ${JSON.stringify(name)} in ${JSON.stringify(text)}`);
  return month;
}

/** Reads a wall time, in `zone` unless the text carried its own offset. */
function resolve(
  wall: WallTime,
  text: string,
  offsetMinutes: number | undefined,
  zone?: string,
): string {
  checkWallTime(wall, text);
  if (offsetMinutes !== undefined) return toUtcIso(wallTimeUtc(wall) - offsetMinutes * 60_000);
  if (!zone) {
    throw new TimeError(`time ${JSON.stringify(text)} has no offset and no timezone is configured`);
  }
  return toUtcIso(wallTimeInZone(wall, zone));
}

function parseOffset(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (/^(z|utc|gmt)$/i.test(text)) return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!match) throw new TimeError(`unreadable UTC offset ${JSON.stringify(text)}`);
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * 60 + Number(match[3]));
}

const TOKEN = /yyyy|yy|MMMM|MMM|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|SSS|a|EEEE|EEE|E|XXX|XX|X|Z/g;

/**
 * Regex capture for each format token; month and weekday names are letters of any locale.
 * Like Java's SimpleDateFormat (which Jira formats with), `dd`, `MM` and `HH` also read one
 * digit: Jira writes `2/Apr/24` for a profile format of `dd/MMM/yy`.
 */
const TOKEN_PATTERN: Record<string, string> = {
  yyyy: '(\\d{4})',
  yy: '(\\d{2})',
  MMMM: '(\\p{L}+\\.?)',
  MMM: '(\\p{L}+\\.?)',
  MM: '(\\d{1,2})',
  M: '(\\d{1,2})',
  dd: '(\\d{1,2})',
  d: '(\\d{1,2})',
  HH: '(\\d{1,2})',
  H: '(\\d{1,2})',
  hh: '(\\d{1,2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  m: '(\\d{1,2})',
  ss: '(\\d{2})',
  s: '(\\d{1,2})',
  SSS: '(\\d{1,9})',
  a: '([AaPp]\\.?[Mm]\\.?)',
  EEEE: '(\\p{L}+\\.?)',
  EEE: '(\\p{L}+\\.?)',
  E: '(\\p{L}+\\.?)',
  XXX: '(Z|[+-]\\d{2}:?\\d{2})',
  XX: '(Z|[+-]\\d{2}:?\\d{2})',
  X: '(Z|[+-]\\d{2}:?\\d{2})',
  Z: '(Z|[+-]\\d{2}:?\\d{2})',
};

interface CompiledFormat {
  regex: RegExp;
  tokens: string[];
}

const compiled = new Map<string, CompiledFormat>();

function compile(format: string): CompiledFormat {
  const cached = compiled.get(format);
  if (cached) return cached;
  const tokens: string[] = [];
  let pattern = '';
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    pattern += escapeLiteral(format.slice(last, match.index));
    pattern += TOKEN_PATTERN[match[0]];
    tokens.push(match[0]);
    last = (match.index ?? 0) + match[0].length;
  }
  pattern += escapeLiteral(format.slice(last));
  const result = { regex: new RegExp(`^${pattern}$`, 'u'), tokens };
  compiled.set(format, result);
  return result;
}

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

/**
 * Parses a date written with a date-fns style `format` (Jira's profile format, default
 * `d/MMM/yy h:mm a`). Two-digit years are 20yy. Without an offset token the time is read in
 * `zone`; with neither, a TimeError says the zone is unknown.
 */
export function parseFormattedDate(text: string, format: string, zone?: string): string {
  const { regex, tokens } = compile(format);
  const match = regex.exec(text.trim());
  if (!match) {
    throw new TimeError(
      `date ${JSON.stringify(text)} does not match the format ${JSON.stringify(format)}`,
    );
  }

  const wall: WallTime = {
    year: 0,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
  };
  let meridiem: string | undefined;
  let offset: number | undefined;
  let twelveHour = false;
  tokens.forEach((token, index) => {
    const value = match[index + 1] ?? '';
    switch (token) {
      case 'yyyy':
        wall.year = Number(value);
        break;
      case 'yy':
        wall.year = 2000 + Number(value);
        break;
      case 'MMMM':
      case 'MMM': {
        const month = monthNumber(value);
        wall.month = requireMonth(value, text);
        break;
      }
      case 'MM':
      case 'M':
        wall.month = Number(value);
        break;
      case 'dd':
      case 'd':
        wall.day = Number(value);
        break;
      case 'HH':
      case 'H':
        wall.hour = Number(value);
        break;
      case 'hh':
      case 'h':
        wall.hour = Number(value);
        twelveHour = true;
        break;
      case 'mm':
      case 'm':
        wall.minute = Number(value);
        break;
      case 'ss':
      case 's':
        wall.second = Number(value);
        break;
      case 'SSS':
        wall.millisecond = fractionMs(value);
        break;
      case 'a':
        meridiem = value.replace(/\./g, '').toUpperCase();
        break;
      case 'XXX':
      case 'XX':
      case 'X':
      case 'Z':
        offset = parseOffset(value);
        break;
      default:
        break; // weekday names are not needed to place the date
    }
  });

  if (twelveHour) {
    if (wall.hour < 1 || wall.hour > 12)
      throw new TimeError(`hour out of range in ${JSON.stringify(text)}`);
    if (!meridiem) throw new TimeError(`12-hour time without AM/PM: ${JSON.stringify(text)}`);
    wall.hour = (wall.hour % 12) + (meridiem === 'PM' ? 12 : 0);
  }
  return resolve(wall, text, offset, zone);
}

// RFC 822 style, as Jira's XML/RSS export writes it, in the exporting user's language:
// `Di, 5 Mär 2024 09:07:31 +0100` or `Tue, 5 Mar 2024 09:07:31 +0100`.
const RSS_DATE = new RegExp(
  '^(?:(\\p{L}+)\\.?,\\s*)?(\\d{1,2})\\.?\\s+(\\p{L}+)\\.?\\s+(\\d{4})' +
    '\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([+-]\\d{2}:?\\d{2}|GMT|UTC|Z)?$',
  'u',
);

/** Parses an XML-export date; the offset in the string wins, the weekday is checked if known. */
export function parseRssDate(text: string, zone?: string): string {
  const match = RSS_DATE.exec(text.trim());
  if (!match) throw new TimeError(`unreadable Jira XML date ${JSON.stringify(text)}`);
  const [, weekday, day, monthName, year, hour, minute, second, offsetText] = match;
  const month = requireMonth(monthName ?? '', text);
  const wall: WallTime = {
    year: Number(year),
    month,
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: second ? Number(second) : 0,
    millisecond: 0,
  };
  const at = resolve(wall, text, parseOffset(offsetText), zone);

  const dayName = weekday?.toLowerCase();
  const expected = dayName
    ? (WEEKDAYS[dayName.slice(0, 3)] ?? WEEKDAYS[dayName.slice(0, 2)])
    : undefined;
  const actual = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
  if (expected !== undefined && actual !== expected) {
    throw new TimeError(
      `weekday ${JSON.stringify(weekday)} does not match the date in ${JSON.stringify(text)}`,
    );
  }
  return at;
}

/** REST and webhook times: ISO 8601 with offsets like `-0800`; epoch milliseconds as numbers. */
export function parseRestTime(value: unknown, zone?: string): string {
  if (typeof value === 'number') return toUtcIso(value);
  if (typeof value !== 'string' || value.trim() === '') throw new TimeError('time missing');
  if (/^\d{12,14}$/.test(value.trim())) return toUtcIso(Number(value.trim()));
  return toUtcIso(parseIsoTime(value, zone));
}

/**
 * A date in a CSV cell: the configured format first; custom date fields also use ISO-like
 * (`2026-02-25 16:38:58.679`) and date-only (`30/Sep/26`) forms.
 */
export function parseCsvDate(text: string, format: string, zone?: string): string {
  try {
    return parseFormattedDate(text, format, zone);
  } catch (first) {
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text.trim()))
      return toUtcIso(parseIsoTime(text, zone));
    const dateOnly = format.split(/\s+/)[0];
    if (dateOnly && dateOnly !== format && compile(dateOnly).regex.test(text.trim())) {
      return parseFormattedDate(text, dateOnly, zone);
    }
    throw first;
  }
}
