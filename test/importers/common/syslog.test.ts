// Syslog framing and the reading of year-less, zone-less times against the export context.
import { describe, expect, it } from 'vitest';
import {
  localClock,
  parseSyslogFrame,
  parseYearlessTime,
  resolveYearlessTime,
} from '../../../src/importers/common/syslog.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('parseSyslogFrame', () => {
  it('reads an RFC 5424 header with the message right after the hostname', () => {
    const frame = parseSyslogFrame('<5>1 2021-03-11T17:38:20Z VAULT {"a":1}');
    expect(frame).toEqual({
      framing: 'rfc5424',
      priority: 5,
      time: { kind: 'rfc3339', text: '2021-03-11T17:38:20Z' },
      host: 'VAULT',
      rest: '{"a":1}',
    });
  });

  it('reads a BSD header with a space-padded day and a host', () => {
    const frame = parseSyslogFrame('Jan  1 00:03:12 vault01 CEF:0|x');
    expect(frame.framing).toBe('bsd');
    expect(frame.host).toBe('vault01');
    expect(frame.time).toMatchObject({
      kind: 'bsd',
      text: 'Jan  1 00:03:12',
      month: 1,
      day: 1,
      hour: 0,
      minute: 3,
      second: 12,
    });
  });

  it('does not take the payload for a host when the BSD header has none', () => {
    const frame = parseSyslogFrame('Nov 10 13:13:32 CEF:0|Thycotic Software|Secret Server|');
    expect(frame.framing).toBe('bsd');
    expect(frame.host).toBeUndefined();
  });

  it('leaves a bare JSON line unframed', () => {
    expect(parseSyslogFrame('{"format":"elastic"}')).toEqual({
      framing: 'none',
      rest: '{"format":"elastic"}',
    });
  });
});

describe('resolveYearlessTime', () => {
  const dec31 = parseYearlessTime('Dec 31 23:58:40')!;
  const jan1 = parseYearlessTime('Jan  1 00:03:12')!;

  it('takes the year from the close time and steps back across the year boundary', () => {
    const clock = { zone: 'America/Denver', closedAt: '2025-01-02T09:00:00Z' };
    expect(iso(resolveYearlessTime(dec31, clock))).toBe('2025-01-01T06:58:40.000Z');
    expect(iso(resolveYearlessTime(jan1, clock))).toBe('2025-01-01T07:03:12.000Z');
  });

  it('puts a same-month day after the close into the year before', () => {
    const jan30 = parseYearlessTime('Jan 30 10:00:00')!;
    expect(iso(resolveYearlessTime(jan30, { zone: 'UTC', closedAt: '2025-01-02T09:00:00Z' }))).toBe(
      '2024-01-30T10:00:00.000Z',
    );
  });

  it('rejects without a zone, and without a close time, naming what is missing', () => {
    expect(() => resolveYearlessTime(dec31, { closedAt: '2025-01-02T09:00:00Z' })).toThrow(
      /timezone unknown.*assumed zone/,
    );
    expect(() => resolveYearlessTime(dec31, { zone: 'America/Denver' })).toThrow(
      /year unknown.*closedAt/,
    );
  });

  it('prefers the export context zone over the config zone', () => {
    const clock = localClock({
      options: {},
      timezone: 'UTC',
      exportContext: { timezone: 'Europe/Berlin', closedAt: 'x' },
    });
    expect(clock).toEqual({ zone: 'Europe/Berlin', closedAt: 'x' });
  });
});
