// Time parsing shared by importers: offsets honoured, zone-less times only with a declared zone.
import { flatString } from './flat-string.js';

export class TimeError extends Error {}

/** Epoch ms of 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the timeline's 4-digit years. */
const MIN_INSTANT_MS = -62_167_219_200_000;
const MAX_INSTANT_MS = 253_402_300_799_999;

/**
 * Formats epoch milliseconds as the timeline's UTC instant (three fractional digits, `Z`).
 * Throws a TimeError (which importers turn into a rejected record) for a value that is not a
 * number or lies outside years 0000-9999, where Date would throw a RangeError or write a
 * six-digit year that no consumer of the timeline expects.
 */
export function toUtcIso(epochMs: number): string {
  inTimelineRange(epochMs, `epoch ${epochMs} ms`);
  if (!Number.isInteger(epochMs)) return new Date(epochMs).toISOString();

  // Millions of events fall on a few hundred days: the date part is formatted once per day and
  // the time of day by arithmetic, the same characters Date#toISOString writes, at a fraction of
  // its cost on the import's hot path.
  const day = Math.floor(epochMs / DAY_MS);
  if (day !== lastDay) {
    lastDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    lastDay = day;
  }
  let rest = epochMs - day * DAY_MS;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millisecond = rest - second * 1000;
  const ms =
    millisecond < 10 ? `00${millisecond}` : millisecond < 100 ? `0${millisecond}` : millisecond;
  return flatString(
    `${lastDayPrefix}${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${ms}Z`,
  );
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
let lastDay = Number.NaN;
let lastDayPrefix = '';

/** The instant itself, or a TimeError when the timeline cannot write it (see toUtcIso). */
function inTimelineRange(epochMs: number, what: string): number {
  if (!Number.isFinite(epochMs) || epochMs < MIN_INSTANT_MS || epochMs > MAX_INSTANT_MS) {
    throw new TimeError(`time out of range: ${what} is outside years 0000-9999`);
  }
  return epochMs;
}

// RFC 3339 / ISO 8601 with any number of fractional digits; offset optional. Fractions beyond
// milliseconds are truncated, never rounded (Entra writes 7 digits, GCP and Vault 9).
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}:?\d{2}|UTC)?$/;

/**
 * Milliseconds from the digits after a seconds' decimal point: truncated, never rounded
 * ("17.9999999" is 999 ms, not the next second); no digits is 0.
 */
export function fractionMs(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits.slice(0, 3).padEnd(3, '0'));
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/**
 * Parses an ISO 8601 / RFC 3339 time. With an offset it is exact; without one, the time is read
 * in `zone`, and with no zone a TimeError is thrown: a zone-less time is never guessed.
 */
export function parseIsoTime(text: string, zone?: string): number {
  return plainUtcMs(text) ?? parseIsoTimeByPattern(text, zone);
}

/** The general parser behind parseIsoTime, without its fast path for the common shapes. */
export function parseIsoTimeByPattern(text: string, zone?: string): number {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) throw new TimeError(`not an ISO 8601 time: ${JSON.stringify(text)}`);

  const [, y, mo, d, h, mi, s, frac, offset] = match;
  const wall: WallTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: s === undefined ? 0 : Number(s),
    millisecond: fractionMs(frac),
  };
  checkWallTime(wall, text);

  if (offset === undefined) {
    if (!zone)
      throw new TimeError(
        `time ${JSON.stringify(text)} has no offset and no timezone is configured`,
      );
    return inTimelineRange(wallTimeInZone(wall, zone), JSON.stringify(text));
  }
  return inTimelineRange(wallTimeUtc(wall) - offsetMinutes(offset) * 60_000, JSON.stringify(text));
}

/**
 * The common case of the hot path, exactly as the general parser reads it: `YYYY-MM-DDTHH:MM:SSZ`
 * or with `.sss` (CloudTrail, Okta), every field in its everyday range. Anything else (other
 * fraction lengths, offsets, blanks, day 29-31, a leap second, year 0000-0099) returns undefined
 * and takes the general path, so the two can never disagree.
 */
function plainUtcMs(text: string): number | undefined {
  const length = text.length;
  if (length !== 20 && length !== 24) return undefined;
  if (text.charCodeAt(length - 1) !== 0x5a) return undefined; // Z
  if (
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a
  )
    return undefined;
  if (length === 24 && text.charCodeAt(19) !== 0x2e) return undefined; // .

  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const millisecond = length === 24 ? digitsAt(text, 20, 3) : 0;
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 28) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  if (second < 0 || second > 59 || millisecond < 0) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

/** The number written by `count` ASCII digits at `start`, or -1 when one is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i += 1) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Epoch ms of a wall time read as UTC. Leap second 60 is folded onto 59.999 of that minute. */
export function wallTimeUtc(wall: WallTime): number {
  const leap = wall.second === 60;
  const second = leap ? 59 : wall.second;
  const millisecond = leap ? 999 : wall.millisecond;
  const ms = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    second,
    millisecond,
  );
  // Date.UTC maps years 0-99 onto 1900-1999; set the full year explicitly.
  const date = new Date(ms);
  date.setUTCFullYear(wall.year);
  return date.getTime();
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z' || offset === 'z' || offset === 'UTC') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

export function checkWallTime(wall: WallTime, text: string): void {
  const daysInMonth = new Date(Date.UTC(2000, wall.month, 0)).getUTCDate();
  const valid =
    wall.month >= 1 &&
    wall.month <= 12 &&
    wall.day >= 1 &&
    wall.day <= (wall.month === 2 ? (isLeapYear(wall.year) ? 29 : 28) : daysInMonth) &&
    wall.hour <= 23 &&
    wall.minute <= 59 &&
    wall.second <= 60;
  if (!valid) throw new TimeError(`impossible date or time: ${JSON.stringify(text)}`);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a TimeError unless `zone` is an IANA zone name this Node.js knows. */
export function assertZone(zone: string): void {
  try {
    zoneFormatter(zone);
  } catch {
    throw new TimeError(
      `unknown time zone ${JSON.stringify(zone)} (expected an IANA name such as Europe/Berlin)`,
    );
  }
}

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Offset of `zone` from UTC at the instant `epochMs`, in milliseconds. */
export function zoneOffsetMs(epochMs: number, zone: string): number {
  const parts = zoneFormatter(zone).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * Epoch ms of a wall-clock time in an IANA zone. In the repeated hour after a DST change the
 * earlier instant is taken; a time inside the skipped hour is an error (it never existed).
 */
export function wallTimeInZone(wall: WallTime, zone: string): number {
  assertZone(zone);
  const asUtc = wallTimeUtc(wall);
  const firstGuess = asUtc - zoneOffsetMs(asUtc, zone);
  const candidates = [firstGuess - 3_600_000, firstGuess, firstGuess + 3_600_000]
    .map((guess) => asUtc - zoneOffsetMs(guess, zone))
    .filter((instant) => asUtc - zoneOffsetMs(instant, zone) === instant);
  if (candidates.length === 0) {
    throw new TimeError(`local time ${formatWall(wall)} does not exist in ${zone} (DST gap)`);
  }
  return Math.min(...candidates);
}

function formatWall(wall: WallTime): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)} ${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
}

/** Parses epoch seconds or milliseconds given as number or numeric string; `unit` decides. */
export function parseEpoch(value: string | number, unit: 's' | 'ms'): number {
  const number = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(number))
    throw new TimeError(`not an epoch ${unit} value: ${JSON.stringify(value)}`);
  const ms = unit === 's' ? Math.round(number * 1000) : Math.round(number);
  return inTimelineRange(ms, `epoch ${unit} value ${JSON.stringify(value)}`);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Month number (1-12) from an English month name or its first three letters; 0 if unknown. */
export function englishMonth(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}
