// Tests for resolving the period under review and the as-of instant.
import { describe, expect, it } from 'vitest';
import { resolvePeriod } from '../../src/cli/period.js';

describe('resolvePeriod', () => {
  it('reads bare dates as whole days in the configured zone, inclusive', () => {
    const period = resolvePeriod({
      since: '2026-01-01',
      until: '2026-03-31',
      timezone: 'Europe/Berlin',
    });
    expect(period).toMatchObject({
      since: '2025-12-31T23:00:00.000Z',
      until: '2026-03-31T21:59:59.999Z',
      asOf: '2026-03-31T21:59:59.999Z',
    });
  });

  it('takes 90d as 90 days before as-of', () => {
    const period = resolvePeriod({ since: '90d', asOf: '2026-04-01T00:00:00Z' });
    expect(period.since).toBe('2026-01-01T00:00:00.000Z');
    expect(period.until).toBe('2026-04-01T00:00:00.000Z');
  });

  it('falls back to the latest event for as-of, never to the clock', () => {
    const period = resolvePeriod(
      { latestEvent: '2026-02-03T04:05:06.007Z', earliestEvent: '2026-01-01T00:00:00.000Z' },
      () => {
        throw new Error('the clock must not be read');
      },
    );
    expect(period.asOf).toBe('2026-02-03T04:05:06.007Z');
    expect(period.origin.asOf).toBe('the latest event in the inputs');
  });

  it('rejects a period that ends before it starts and a zone-less time without zone', () => {
    expect(() => resolvePeriod({ since: '2026-02-01', until: '2026-01-01' })).toThrow(
      /starts .* after it ends/,
    );
    expect(() => resolvePeriod({ asOf: '2026-01-01T10:00:00' })).not.toThrow();
    expect(() => resolvePeriod({ asOf: 'yesterday' })).toThrow(/--as-of: not an ISO 8601 time/);
  });

  it('refuses dates that do not exist instead of rolling them over', () => {
    expect(() => resolvePeriod({ since: '2025-02-30', asOf: '2025-04-01T00:00:00Z' })).toThrow(
      /--since: impossible date/,
    );
    expect(() => resolvePeriod({ until: '2026-13-01' })).toThrow(/--until: impossible date/);
  });
});

describe('resolvePeriod origins', () => {
  it('names where since and until came from in the origin and in errors', () => {
    const period = resolvePeriod({
      since: '2026-01-01',
      until: '2026-01-31',
      sinceFrom: 'the config period.since',
      untilFrom: 'the config period.until',
    });
    expect(period.origin).toEqual({
      since: 'the config period.since',
      until: 'the config period.until',
      asOf: 'the end of the period (the config period.until)',
    });
    expect(() =>
      resolvePeriod({
        since: '2026-02-30',
        asOf: '2026-03-01',
        sinceFrom: 'the config period.since',
      }),
    ).toThrow(/^the config period\.since: /);
    expect(resolvePeriod({ since: '2026-01-01', asOf: '2026-03-01' }).origin.since).toBe('--since');
  });
});
