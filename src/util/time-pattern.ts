// Date-time patterns in the Java SimpleDateFormat style that ServiceNow and many tools export.
import {
  checkWallTime,
  englishMonth,
  TimeError,
  wallTimeInZone,
  wallTimeUtc,
  fractionMs,
} from './time.js';
import type { WallTime } from './time.js';

/** A compiled pattern: parses a string into epoch ms, or throws a TimeError saying why. */
export interface TimePattern {
  readonly source: string;
  /** True when the pattern carries an offset (X/Z tokens), so no zone is needed. */
  readonly hasOffset: boolean;
  parse(text: string, zone?: string): number;
}

type Setter = (wall: Parts, text: string) => void;

interface Parts extends WallTime {
  pm?: boolean;
  offsetMinutes?: number;
}

const TOKEN = /'([^']*)'|y+|M+|d+|H+|h+|m+|s+|S+|a+|E+|X+|Z+|./g;

/**
 * Compiles a pattern such as `MM/dd/yyyy hh:mm:ss a` or `dd.MM.yyyy HH:mm`. Like Java's parser,
 * numeric fields accept one or two digits whatever the letter count (ServiceNow writes `7:07:31`
 * under `hh:mm:ss`), years need all their digits, and a space matches any run of blanks.
 */
export function compileTimePattern(pattern: string): TimePattern {
  const setters: Setter[] = [];
  let regex = '^\\s*';
  let hasOffset = false;
  const letters = new Set<string>();

  for (const match of pattern.matchAll(TOKEN)) {
    const token = match[0];
    const letter = token[0];
    if (match[1] !== undefined) {
      regex += escapeRegex(match[1] === '' ? "'" : match[1]);
      continue;
    }
    const piece = tokenRegex(token);
    if (!piece) {
      regex += token === ' ' ? '\\s+' : escapeRegex(token);
      continue;
    }
    letters.add(letter);
    if (letter === 'X' || letter === 'Z') hasOffset = true;
    regex += `(${piece.regex})`;
    setters.push(piece.set);
  }
  regex += '\\s*$';
  checkPatternLetters(pattern, letters);

  const compiled = new RegExp(regex, 'i');
  return {
    source: pattern,
    hasOffset,
    parse(text: string, zone?: string): number {
      const found = compiled.exec(text);
      if (!found)
        throw new TimeError(`${JSON.stringify(text)} does not match the date format ${pattern}`);
      const parts: Parts = {
        year: 0,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        millisecond: 0,
      };
      setters.forEach((set, i) => set(parts, found[i + 1]));
      return toEpoch(parts, text, zone);
    },
  };
}

function checkPatternLetters(pattern: string, letters: Set<string>): void {
  const missing = ['y', 'M', 'd'].filter((l) => !letters.has(l));
  if (missing.length > 0) {
    throw new TimeError(
      `date format ${pattern} lacks ${missing.join(', ')} (year, month and day are required)`,
    );
  }
  if (letters.has('h') !== letters.has('a')) {
    throw new TimeError(
      `date format ${pattern}: a 12-hour clock (h) needs the AM/PM marker (a), and a needs h`,
    );
  }
  if (letters.has('h') && letters.has('H')) {
    throw new TimeError(`date format ${pattern} mixes a 12-hour (h) and a 24-hour (H) clock`);
  }
}

function tokenRegex(token: string): { regex: string; set: Setter } | null {
  const n = token.length;
  switch (token[0]) {
    case 'y':
      return {
        regex: n === 2 ? '\\d{2}' : '\\d{4}',
        set: (p, t) => (p.year = n === 2 ? 2000 + Number(t) : Number(t)),
      };
    case 'M':
      if (n >= 3) return { regex: '[A-Za-z]{3,9}\\.?', set: setMonthName };
      return { regex: '\\d{1,2}', set: (p, t) => (p.month = Number(t)) };
    case 'd':
      return { regex: '\\d{1,2}', set: (p, t) => (p.day = Number(t)) };
    case 'H':
    case 'h':
      return { regex: '\\d{1,2}', set: (p, t) => (p.hour = Number(t)) };
    case 'm':
      return { regex: '\\d{1,2}', set: (p, t) => (p.minute = Number(t)) };
    case 's':
      return { regex: '\\d{1,2}', set: (p, t) => (p.second = Number(t)) };
    case 'S':
      // Fractions beyond milliseconds are truncated, as everywhere on the timeline.
      return {
        regex: '\\d{1,9}',
        set: (p, t) => (p.millisecond = fractionMs(t)),
      };
    case 'a':
      return { regex: '[AaPp]\\.?[Mm]\\.?', set: (p, t) => (p.pm = t[0].toLowerCase() === 'p') };
    case 'E':
      return { regex: '[A-Za-z]{2,9}\\.?', set: () => undefined };
    case 'X':
    case 'Z':
      return { regex: 'Z|[+-]\\d{2}(?::?\\d{2})?', set: setOffset };
    default:
      return null;
  }
}

function setMonthName(parts: Parts, text: string): void {
  const month = englishMonth(text.replace('.', ''));
  if (month === 0)
    throw new TimeError(`unknown month name ${JSON.stringify(text)} (English names expected)`);
  parts.month = month;
}

function setOffset(parts: Parts, text: string): void {
  if (text.toUpperCase() === 'Z') {
    parts.offsetMinutes = 0;
    return;
  }
  const digits = text.slice(1).replace(':', '').padEnd(4, '0');
  const sign = text.startsWith('-') ? -1 : 1;
  parts.offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function toEpoch(parts: Parts, text: string, zone?: string): number {
  if (parts.pm !== undefined) {
    if (parts.hour < 1 || parts.hour > 12)
      throw new TimeError(`impossible 12-hour time: ${JSON.stringify(text)}`);
    parts.hour = (parts.hour % 12) + (parts.pm ? 12 : 0);
  }
  checkWallTime(parts, text);

  if (parts.offsetMinutes !== undefined) return wallTimeUtc(parts) - parts.offsetMinutes * 60_000;
  if (!zone)
    throw new TimeError(
      `timezone unknown: ${JSON.stringify(text)} carries no offset and no zone is configured`,
    );
  return wallTimeInZone(parts, zone);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
