// When STS / Identity Center credentials stop working: stated expiration, duration or default.
import { str, type JsonObject } from '../../common.js';
import {
  checkWallTime,
  englishMonth,
  parseIsoTime,
  TimeError,
  wallTimeUtc,
  type WallTime,
} from '../../../util/time.js';

/**
 * Session lengths the AWS STS API reference documents for calls that do not pass
 * `durationSeconds`: AssumeRole* one hour, GetFederationToken and GetSessionToken 12 hours.
 */
export const DEFAULT_DURATION_SECONDS: Readonly<Record<string, number>> = {
  AssumeRole: 3600,
  AssumeRoleWithSAML: 3600,
  AssumeRoleWithWebIdentity: 3600,
  AssumeRoot: 900,
  GetFederationToken: 43200,
  GetSessionToken: 43200,
};

// CloudTrail writes credentials.expiration in a Java US-English format without a zone:
// "Nov 18, 2017 1:21:51 AM", "Sep 14, 2020, 7:01:26 AM" (comma after the year optional). Newer
// Java versions put a narrow no-break space before AM/PM, so any space-like character is allowed.
const ENGLISH_EXPIRATION = new RegExp(
  '^([A-Za-z]{3,9})\\.?\\s+(\\d{1,2}),\\s*(\\d{4}),?[\\s\\u00a0\\u202f]+' +
    '(\\d{1,2}):(\\d{2}):(\\d{2})[\\s\\u00a0\\u202f]*([AaPp][Mm])$',
);

/** Parses credentials.expiration text as UTC (the zone STS uses); throws a TimeError if unreadable. */
export function parseExpiration(value: string | number): number {
  if (typeof value === 'number') return value > 1e11 ? value : value * 1000;
  const trimmed = value.trim();
  const match = ENGLISH_EXPIRATION.exec(trimmed);
  if (!match) {
    if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return parseIsoTime(trimmed, 'UTC');
    throw new TimeError(
      `credential expiration ${JSON.stringify(value)} is not a date: ` +
        'expected e.g. "Nov 18, 2017 1:21:51 AM"',
    );
  }

  const [, monthName, day, year, hour, minute, second, meridiem] = match;
  const month = englishMonth(monthName);
  const hour12 = Number(hour);
  if (month === 0 || hour12 < 1 || hour12 > 12) {
    throw new TimeError(
      `credential expiration ${JSON.stringify(value)} has an impossible month or hour`,
    );
  }
  const pm = meridiem.toUpperCase() === 'PM';
  const wall: WallTime = {
    year: Number(year),
    month,
    day: Number(day),
    hour: (hour12 % 12) + (pm ? 12 : 0),
    minute: Number(minute),
    second: Number(second),
    millisecond: 0,
  };
  checkWallTime(wall, trimmed);
  return wallTimeUtc(wall);
}

export interface Expiry {
  expiresAtMs?: number;
  /** Only when the request stated it. */
  durationSeconds?: number;
  /** How the instant was found, for the summary. */
  basis: 'stated' | 'duration' | 'default' | 'none';
}

/**
 * The expiry of credentials issued by `event` at `issuedAtMs`. The stated expiration wins; then
 * the requested duration; then the documented default for the call.
 */
export function credentialExpiry(event: JsonObject, eventName: string, issuedAtMs: number): Expiry {
  const request = event.requestParameters as JsonObject | null | undefined;
  const response = event.responseElements as JsonObject | null | undefined;
  const requested = Number(request?.durationSeconds);
  const durationSeconds = Number.isFinite(requested) && requested > 0 ? requested : undefined;

  const credentials = (response?.credentials ?? response?.roleCredentials) as
    JsonObject | undefined;
  const stated = credentials?.expiration;
  if (typeof stated === 'number' || str(stated) !== undefined) {
    return {
      expiresAtMs: parseExpiration(stated as string | number),
      durationSeconds,
      basis: 'stated',
    };
  }

  if (durationSeconds !== undefined) {
    return { expiresAtMs: issuedAtMs + durationSeconds * 1000, durationSeconds, basis: 'duration' };
  }
  const fallback = DEFAULT_DURATION_SECONDS[eventName];
  if (fallback !== undefined)
    return { expiresAtMs: issuedAtMs + fallback * 1000, basis: 'default' };
  return { basis: 'none' };
}
