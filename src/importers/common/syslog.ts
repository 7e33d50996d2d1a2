// Syslog framing (RFC 5424 and BSD/RFC 3164 headers) and the reading of zone-less, year-less times.
import type { RunSettings } from '../types.js';
import {
  TimeError,
  checkWallTime,
  englishMonth,
  parseIsoTime,
  wallTimeInZone,
  zoneOffsetMs,
  type WallTime,
  fractionMs,
} from '../../util/time.js';

/** A time as a BSD syslog header (or a vendor field in that style) writes it: no year, no zone. */
export interface YearlessTime {
  text: string;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export type SyslogHeaderTime = { kind: 'rfc3339'; text: string } | ({ kind: 'bsd' } & YearlessTime);

export interface SyslogFrame {
  framing: 'rfc5424' | 'bsd' | 'none';
  priority?: number;
  time?: SyslogHeaderTime;
  /** HOSTNAME of the header when present (RFC 5424 `-` counts as absent). */
  host?: string;
  /** Everything after the header (after the hostname for RFC 5424, after the time for BSD). */
  rest: string;
}

// `<PRI>VERSION TIMESTAMP HOSTNAME ...`; senders such as the CyberArk Vault put the message
// right after the hostname, so APP-NAME/PROCID/MSGID are not required here.
const RFC5424 = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+)(?: (.*))?$/s;
// `[<PRI>]Mmm dd hh:mm:ss[.fff] ...`; the day is space-padded ("Jan  1") by many senders.
const BSD =
  /^(?:<(\d{1,3})>)?([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?: (.*))?$/s;

/** Splits a syslog header off a line; a line without a recognizable header has framing 'none'. */
export function parseSyslogFrame(line: string): SyslogFrame {
  const rfc = RFC5424.exec(line);
  if (rfc) {
    const [, pri, , timestamp, host, rest] = rfc;
    return {
      framing: 'rfc5424',
      priority: Number(pri),
      time: timestamp === '-' ? undefined : { kind: 'rfc3339', text: timestamp },
      host: host === '-' ? undefined : host,
      rest: rest ?? '',
    };
  }

  const bsd = BSD.exec(line);
  if (bsd && englishMonth(bsd[2]) > 0 && bsd[2].length === 3) {
    const [, pri, monthName, day, hour, minute, second, fraction, rest] = bsd;
    const text = line.slice(pri ? pri.length + 2 : 0, line.length - (rest?.length ?? 0)).trim();
    const restText = rest ?? '';
    const hostMatch = /^(\S+) /.exec(restText);
    return {
      framing: 'bsd',
      priority: pri === undefined ? undefined : Number(pri),
      time: {
        kind: 'bsd',
        text,
        month: englishMonth(monthName),
        day: Number(day),
        hour: Number(hour),
        minute: Number(minute),
        second: Number(second),
        millisecond: fractionMs(fraction),
      },
      host:
        hostMatch && !hostMatch[1].startsWith('CEF:') && !hostMatch[1].startsWith('{')
          ? hostMatch[1]
          : undefined,
      rest: restText,
    };
  }

  return { framing: 'none', rest: line };
}

/** Parses `Mmm dd hh:mm:ss` (the CyberArk `Timestamp` field and BSD headers); null if not that. */
export function parseYearlessTime(text: string): YearlessTime | null {
  const match = /^([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(text.trim());
  if (!match || englishMonth(match[1]) === 0) return null;
  return {
    text: text.trim(),
    month: englishMonth(match[1]),
    day: Number(match[2]),
    hour: Number(match[3]),
    minute: Number(match[4]),
    second: Number(match[5]),
    millisecond: fractionMs(match[6]),
  };
}

/** What is known about a source's local clock: its zone and when the export was closed. */
export interface LocalClock {
  zone?: string;
  closedAt?: string;
}

/** The declared zone and close time of an input: the export context first, then the config. */
export function localClock(settings: RunSettings): LocalClock {
  return {
    zone: settings.exportContext?.timezone ?? settings.timezone,
    closedAt: settings.exportContext?.closedAt,
  };
}

/** Rejection text for a zone-less time when no zone was declared (never guess UTC). */
export function zoneUnknownMessage(text: string): string {
  return (
    `timezone unknown: time ${JSON.stringify(text)} carries no zone and none is declared ` +
    '(set timezone in the config or exportContext.timezone); it would have to be read in an ' +
    'assumed zone, so the record is not used'
  );
}

/**
 * Epoch ms of a time that has neither year nor zone. The zone must be declared; the year comes
 * from the export's close time: a time that would fall after the close (a "Dec 31" line in a
 * file closed on Jan 2) belongs to the year before. Never the run's year, never UTC by default.
 */
export function resolveYearlessTime(time: YearlessTime, clock: LocalClock): number {
  if (!clock.zone) throw new TimeError(zoneUnknownMessage(time.text));
  if (!clock.closedAt) {
    throw new TimeError(
      `year unknown: time ${JSON.stringify(time.text)} carries no year and the export context ` +
        'gives no closedAt (when the file was closed) to supply it',
    );
  }

  const closedMs = parseIsoTime(clock.closedAt, clock.zone);
  const closingYear = new Date(closedMs + zoneOffsetMs(closedMs, clock.zone)).getUTCFullYear();

  // One day of slack: a collector may close the file slightly before the source's clock.
  const slackMs = 24 * 3_600_000;
  const sameYear = instantInYear(time, closingYear, clock.zone);
  if (sameYear !== null && sameYear <= closedMs + slackMs) return sameYear;
  const yearBefore = instantInYear(time, closingYear - 1, clock.zone);
  if (yearBefore === null) {
    throw new TimeError(`impossible date or time: ${JSON.stringify(time.text)}`);
  }
  return yearBefore;
}

function instantInYear(time: YearlessTime, year: number, zone: string): number | null {
  const wall: WallTime = { year, ...pickWall(time) };
  try {
    checkWallTime(wall, time.text);
  } catch {
    return null; // Feb 29 outside a leap year: try the other year
  }
  return wallTimeInZone(wall, zone);
}

function pickWall(time: YearlessTime): Omit<WallTime, 'year'> {
  const { month, day, hour, minute, second, millisecond } = time;
  return { month, day, hour, minute, second, millisecond };
}

/** Epoch ms of a syslog header time: RFC 3339 is exact; a BSD time needs zone and year. */
export function resolveHeaderTime(time: SyslogHeaderTime, clock: LocalClock): number {
  if (time.kind === 'rfc3339') return parseIsoTime(time.text, clock.zone);
  return resolveYearlessTime(time, clock);
}
