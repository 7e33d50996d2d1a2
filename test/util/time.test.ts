// Tests for time parsing: offsets, truncation, zones across DST, leap seconds, impossible dates.
import { describe, expect, it } from 'vitest';
import { parseIsoTime, toUtcIso, wallTimeInZone } from '../../src/util/time.js';

const utc = (text: string, zone?: string) => toUtcIso(parseIsoTime(text, zone));

describe('parseIsoTime', () => {
  it('honours offsets and truncates fractions beyond milliseconds', () => {
    expect(utc('2025-07-01T10:45:17.0824212Z')).toBe('2025-07-01T10:45:17.082Z');
    expect(utc('2025-07-01T10:45:17.9999999+00:00')).toBe('2025-07-01T10:45:17.999Z');
    expect(utc('2020-05-28T13:40:18-05:00')).toBe('2020-05-28T18:40:18.000Z');
    expect(utc('2024-03-05T09:07:31+0100')).toBe('2024-03-05T08:07:31.000Z');
    expect(utc('2022-05-05 14:00:48.814294000Z')).toBe('2022-05-05T14:00:48.814Z');
  });

  it('refuses a zone-less time unless a zone is configured', () => {
    expect(() => parseIsoTime('2024-03-10 07:15:00')).toThrow(
      /no offset and no timezone is configured/,
    );
    expect(utc('2024-03-10 03:15:00', 'America/New_York')).toBe('2024-03-10T07:15:00.000Z');
    expect(utc('2024-03-09 12:20:00', 'America/New_York')).toBe('2024-03-09T17:20:00.000Z');
  });

  it('takes the earlier instant in the repeated hour and refuses the skipped hour', () => {
    expect(utc('2024-11-03 01:30:00', 'America/New_York')).toBe('2024-11-03T05:30:00.000Z');
    expect(() => parseIsoTime('2024-03-10 02:30:00', 'America/New_York')).toThrow(/does not exist/);
  });

  it('folds a leap second and keeps years 1 and 9999', () => {
    expect(utc('2016-12-31T23:59:60Z')).toBe('2016-12-31T23:59:59.999Z');
    expect(toUtcIso(parseIsoTime('9999-12-31T23:59:59Z'))).toBe('9999-12-31T23:59:59.000Z');
    expect(new Date(parseIsoTime('0001-01-01T00:00:00Z')).getUTCFullYear()).toBe(1);
  });

  it('rejects impossible dates', () => {
    expect(() => parseIsoTime('2025-02-29T00:00:00Z')).toThrow(/impossible/);
    expect(() => parseIsoTime('2025-13-01T00:00:00Z')).toThrow(/impossible/);
    expect(() => parseIsoTime('yesterday')).toThrow(/not an ISO 8601 time/);
  });
});

describe('wallTimeInZone', () => {
  it('converts Denver winter time', () => {
    const wall = {
      year: 2024,
      month: 12,
      day: 31,
      hour: 23,
      minute: 58,
      second: 40,
      millisecond: 0,
    };
    expect(toUtcIso(wallTimeInZone(wall, 'America/Denver'))).toBe('2025-01-01T06:58:40.000Z');
  });
});
