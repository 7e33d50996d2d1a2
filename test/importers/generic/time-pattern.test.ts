// Java-style date patterns: lenient digits, 12-hour clock, zones, offsets and loud failures.
import { describe, expect, it } from 'vitest';
import { compileTimePattern } from '../../../src/util/time-pattern.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('compileTimePattern', () => {
  it('reads unpadded hours under hh and a 12-hour clock (12 PM is noon, 12 AM midnight)', () => {
    const pattern = compileTimePattern('MM/dd/yyyy hh:mm:ss a');
    expect(iso(pattern.parse('10/24/2023 7:07:31 PM', 'UTC'))).toBe('2023-10-24T19:07:31.000Z');
    expect(iso(pattern.parse('03/09/2024 12:20:00 PM', 'America/New_York'))).toBe(
      '2024-03-09T17:20:00.000Z',
    );
    expect(iso(pattern.parse('03/10/2024 12:05:00 am', 'America/New_York'))).toBe(
      '2024-03-10T05:05:00.000Z',
    );
  });

  it('applies the zone of each instant across a DST change', () => {
    const pattern = compileTimePattern('dd.MM.yyyy HH:mm');
    expect(iso(pattern.parse('29.03.2026 01:50', 'Europe/Berlin'))).toBe(
      '2026-03-29T00:50:00.000Z',
    );
    expect(iso(pattern.parse('29.03.2026 03:10', 'Europe/Berlin'))).toBe(
      '2026-03-29T01:10:00.000Z',
    );
    expect(() => pattern.parse('29.03.2026 02:30', 'Europe/Berlin')).toThrow(/does not exist/);
  });

  it('uses an offset in the text and then needs no zone', () => {
    const pattern = compileTimePattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    expect(pattern.hasOffset).toBe(true);
    expect(iso(pattern.parse('2026-01-02T03:04:05.678912+02:00'))).toBe('2026-01-02T01:04:05.678Z');
  });

  it('reads English month names and two-digit years', () => {
    const pattern = compileTimePattern('d/MMM/yy h:mm a');
    expect(iso(pattern.parse('25/Feb/26 10:17 PM', 'UTC'))).toBe('2026-02-25T22:17:00.000Z');
  });

  it('fails loudly: no zone, wrong shape, impossible dates, incomplete patterns', () => {
    const pattern = compileTimePattern('yyyy-MM-dd HH:mm:ss');
    expect(() => pattern.parse('2026-01-02 03:04:05')).toThrow(/^timezone unknown/);
    expect(() => pattern.parse('2026-01-02 03:04:05 PM', 'UTC')).toThrow(
      /does not match the date format/,
    );
    expect(() => pattern.parse('2026-02-30 03:04:05', 'UTC')).toThrow(/impossible date/);
    expect(() =>
      compileTimePattern('MM/dd/yyyy 13:mm a').parse('01/01/2026 13:00 PM', 'UTC'),
    ).toThrow();
    expect(() => compileTimePattern('HH:mm')).toThrow(/lacks y, M, d/);
    expect(() => compileTimePattern('yyyy-MM-dd hh:mm')).toThrow(/needs the AM\/PM marker/);
  });
});
