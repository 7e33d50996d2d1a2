// Credential expiry: the zone-less English expiration text, durations and documented defaults.
import { describe, expect, it } from 'vitest';
import {
  credentialExpiry,
  parseExpiration,
} from '../../../../src/importers/cloud/aws-cloudtrail/expiry.js';
import { TimeError } from '../../../../src/util/time.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('aws-cloudtrail credentials.expiration', () => {
  it.each([
    ['Nov 18, 2017 1:21:51 AM', '2017-11-18T01:21:51.000Z'],
    ['Sep 14, 2020, 7:01:26 AM', '2020-09-14T07:01:26.000Z'],
    ['Nov 30, 2024, 8:43:17 PM', '2024-11-30T20:43:17.000Z'],
    ['Jan 1, 2026, 12:00:05 AM', '2026-01-01T00:00:05.000Z'],
    ['Jan 1, 2026, 12:00:05 PM', '2026-01-01T12:00:05.000Z'],
    // Newer Java runtimes print a narrow no-break space before AM/PM.
    ['Mar 3, 2026, 9:15:00\u202fPM', '2026-03-03T21:15:00.000Z'],
    ['2026-03-03T21:15:00Z', '2026-03-03T21:15:00.000Z'],
  ])('%s is read as UTC: %s', (text, expected) => {
    expect(iso(parseExpiration(text))).toBe(expected);
  });

  it('takes epoch milliseconds (Identity Center roleCredentials) as they are', () => {
    expect(iso(parseExpiration(1768471200000))).toBe('2026-01-15T10:00:00.000Z');
  });

  it.each([
    'Foo 18, 2017 1:21:51 AM',
    'Nov 18, 2017 13:21:51 PM',
    'tomorrow',
    'Feb 30, 2026, 1:00:00 AM',
  ])('refuses %s loudly', (text) => {
    expect(() => parseExpiration(text)).toThrow(TimeError);
  });
});

describe('aws-cloudtrail expiry precedence', () => {
  const at = Date.parse('2026-01-15T09:00:00Z');
  it('stated expiration wins over the requested duration', () => {
    const expiry = credentialExpiry(
      {
        requestParameters: { durationSeconds: 900 },
        responseElements: { credentials: { expiration: 'Jan 15, 2026, 9:30:00 AM' } },
      },
      'AssumeRole',
      at,
    );
    expect({ ...expiry, expiresAtMs: iso(expiry.expiresAtMs!) }).toEqual({
      expiresAtMs: '2026-01-15T09:30:00.000Z',
      durationSeconds: 900,
      basis: 'stated',
    });
  });

  it.each([
    ['AssumeRole', '2026-01-15T10:00:00.000Z'],
    ['AssumeRoleWithSAML', '2026-01-15T10:00:00.000Z'],
    ['AssumeRoleWithWebIdentity', '2026-01-15T10:00:00.000Z'],
    ['GetFederationToken', '2026-01-15T21:00:00.000Z'],
    ['GetSessionToken', '2026-01-15T21:00:00.000Z'],
  ])('%s without duration or expiration uses the documented default', (name, expected) => {
    const expiry = credentialExpiry({ requestParameters: null, responseElements: null }, name, at);
    expect([iso(expiry.expiresAtMs!), expiry.basis, expiry.durationSeconds]).toEqual([
      expected,
      'default',
      undefined,
    ]);
  });

  it('a call with no documented default gets no invented expiry', () => {
    expect(
      credentialExpiry(
        { requestParameters: null, responseElements: null },
        'GetRoleCredentials',
        at,
      ),
    ).toEqual({ basis: 'none' });
  });
});
