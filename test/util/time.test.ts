// Tests for time parsing: offsets, truncation, zones across DST, leap seconds, impossible dates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseIsoTime,
  parseIsoTimeByPattern,
  toUtcIso,
  wallTimeInZone,
} from '../../src/util/time.js';

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

describe('fast paths agree with the general ones', () => {
  const settings = { seed: 20261204, numRuns: 3000 };

  it('toUtcIso writes what Date#toISOString writes, across the whole 0000-9999 range', () => {
    const instant = fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 });
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 5 }), (instants) => {
        for (const ms of instants) expect(toUtcIso(ms)).toBe(new Date(ms).toISOString());
      }),
      settings,
    );
  });

  it('toUtcIso keeps days apart when one day is followed by another', () => {
    const day = 86_400_000;
    const base = Date.UTC(2026, 0, 1);
    for (const ms of [base + 5, base + day - 1, base + day, base - 1, base, -1, 0, day * 3 + 7]) {
      expect(toUtcIso(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('parseIsoTime gives the same instant or the same error as the general parser', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        two(13),
        two(32),
        two(25),
        two(61),
        two(61),
        fc.constantFrom('', '', '.000', '.123', '.5', '.9999', '.12a'),
        fc.constantFrom('Z', 'Z', 'Z', 'Z', 'z', '', '+01:00', ' Z', 'X'),
        fc.constantFrom('-', '-', '-', '/'),
      )
      .map(
        ([y, mo, d, h, mi, s, frac, zone, dash]) =>
          `${y}${dash}${mo}-${d}T${h}:${mi}:${s}${frac}${zone}`,
      );
    const outcome = (parse: () => number) => {
      try {
        return parse();
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    fc.assert(
      fc.property(text, (value) => {
        expect(outcome(() => parseIsoTime(value))).toEqual(
          outcome(() => parseIsoTimeByPattern(value)),
        );
      }),
      settings,
    );
  });
});
