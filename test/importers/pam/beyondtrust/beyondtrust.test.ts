// BeyondTrust importer: Password Safe requests and sessions, PRA sessions, quirks and samples.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { beyondtrust } from '../../../../src/importers/pam/beyondtrust/index.js';
import {
  detectionSample,
  drafts,
  otherSamples,
  repoRoot,
  runFile,
  runText,
  samplesDir,
} from '../vault/harness.js';

const fixture = (name: string) => path.join(repoRoot, 'fixtures/beyondtrust', name);
const requests = runFile(beyondtrust, fixture('passwordsafe-requests.json'));
const requestEvents = drafts(requests);
const stagesOf = (grantKey: string) =>
  requestEvents.filter((e) => e.grantKey === grantKey).map((e) => [e.stage, e.at]);

const alice = { id: 'alice.smith@bank.example', raw: 'alice.smith@bank.example', kind: 'human' };
const bob = { id: 'bob.jones@bank.example', raw: 'bob.jones@bank.example', kind: 'human' };
const dbadmin = {
  id: 'dbadmin@pay-db-01.bank.example',
  raw: 'dbadmin@pay-db-01.bank.example',
  kind: 'account',
};

describe('Password Safe requests', () => {
  test('every request record is normalized', () => {
    expect(requests.rejected).toEqual([]);
    expect(requests.accounting).toMatchObject({ read: 6, normalized: 6, ignored: 0, rejected: 0 });
  });

  test('a pending request is the request only', () => {
    expect(stagesOf('3101')).toEqual([['request', '2026-03-03T09:00:00.000Z']]);
  });

  test('an active request is requested, approved and released for its minutes', () => {
    const events = requestEvents.filter((e) => e.grantKey === '3102');
    expect(events).toEqual([
      {
        locator: '/1',
        at: '2026-03-03T09:55:10.000Z',
        stage: 'request',
        tickets: ['CHG0045678'],
        grantKey: '3102',
        action: 'Request Active',
        outcome: 'success',
        subject: alice,
        actor: alice,
        target: dbadmin,
        reason: 'Patching window CHG0045678',
        durationSeconds: 7200,
        summary:
          'Password Safe RDP request 3102 for dbadmin@pay-db-01.bank.example by ' +
          'alice.smith@bank.example (now Active)',
      },
      {
        locator: '/1',
        at: '2026-03-03T10:02:30.000Z',
        stage: 'approval',
        tickets: ['CHG0045678'],
        grantKey: '3102',
        action: 'Request Active',
        outcome: 'success',
        subject: alice,
        actor: bob,
        target: dbadmin,
        reason: 'Patching window CHG0045678',
        summary:
          'Password Safe RDP request 3102 for dbadmin@pay-db-01.bank.example approved by ' +
          'bob.jones@bank.example',
      },
      {
        locator: '/1',
        at: '2026-03-03T10:02:30.000Z',
        stage: 'issuance',
        tickets: ['CHG0045678'],
        grantKey: '3102',
        action: 'Request Active',
        outcome: 'success',
        subject: alice,
        target: dbadmin,
        reason: 'Patching window CHG0045678',
        expiresAt: '2026-03-03T12:02:30.000Z',
        durationSeconds: 7200,
        summary:
          'Password Safe released RDP request 3102 for dbadmin@pay-db-01.bank.example ' +
          'for 120 minutes, until 2026-03-03T12:02:30.000Z',
      },
    ]);
  });

  test('release durations are minutes (RequestedDurationMinutes and DurationMinutes)', () => {
    expect(
      requestEvents.find((e) => e.grantKey === '3105' && e.stage === 'issuance')?.durationSeconds,
    ).toBe(14400);
    expect(requestEvents.find((e) => e.grantKey === '3103')?.durationSeconds).toBe(1800);
  });

  test('a denied request is a denial by the approver at DeniedDate', () => {
    expect(stagesOf('3103')).toEqual([
      ['request', '2026-03-03T11:00:00.000Z'],
      ['denial', '2026-03-03T11:04:00.000Z'],
    ]);
    expect(requestEvents.find((e) => e.stage === 'denial')?.actor).toEqual(bob);
  });

  test('an expired request ends in expiry at ExpiresDate', () => {
    expect(stagesOf('3104')).toEqual([
      ['request', '2026-03-02T22:00:00.000Z'],
      ['approval', '2026-03-02T22:01:00.000Z'],
      ['issuance', '2026-03-02T22:01:00.000Z'],
      ['expiry', '2026-03-02T23:01:00.000Z'],
    ]);
  });

  test('a check-in is the revocation of the released credential', () => {
    expect(stagesOf('3105')).toEqual([
      ['request', '2026-03-03T13:00:00.000Z'],
      ['approval', '2026-03-03T13:01:00.000Z'],
      ['issuance', '2026-03-03T13:01:00.000Z'],
      ['revocation', '2026-03-03T13:40:00.000Z'],
    ]);
  });

  test('a request cancelled before approval is only a withdrawn request', () => {
    expect(stagesOf('3106')).toEqual([['request', '2026-03-03T14:00:00.000Z']]);
    expect(requestEvents.find((e) => e.grantKey === '3106')?.summary).toContain(
      'withdrawn at 2026-03-03T14:05:00.000Z',
    );
  });

  test('an unknown status is rejected with the expected values', () => {
    const text = JSON.stringify([
      { RequestID: 1, Status: 'Parked', RequestReleaseDate: '2026-03-03T09:00:00Z' },
    ]);
    expect(runText(beyondtrust, text).rejected[0].reason).toBe(
      'Status "Parked" unknown: expected Pending, Approved, Active, Denied, Expired, Cancelled or CheckedIn',
    );
  });
});

describe('Password Safe sessions in the Elastic wrapper', () => {
  const run = runFile(beyondtrust, fixture('passwordsafe-elastic-events.json'));
  const events = drafts(run);

  test('each wrapper element is one record; event.original is parsed', () => {
    expect(run.accounting).toMatchObject({ read: 3, normalized: 3, rejected: 0 });
    expect(events.map((e) => [e.locator, e.stage, e.sessionId, e.grantKey])).toEqual([
      ['/events/0', 'session-start', '7001', '3102'],
      ['/events/0', 'session-end', '7001', '3102'],
      ['/events/1', 'session-start', '7002', '3105'],
      ['/events/2', 'context', undefined, undefined],
    ]);
  });

  test('a closed session has its end and duration; an open one only its start', () => {
    expect(events[1]).toMatchObject({ at: '2026-03-03T10:47:30.000Z', durationSeconds: 2550 });
    expect(events.filter((e) => e.sessionId === '7002')).toHaveLength(1);
  });

  test('the {"message":{...}} form is read as the record itself', () => {
    expect(events[3]).toMatchObject({
      at: '2026-03-03T08:30:12.450Z',
      action: 'Update ManagedAccount',
      actor: { id: 'carol.white@bank.example', kind: 'human' },
    });
  });

  test('the session token is never copied', () => {
    expect(JSON.stringify(run.events)).not.toContain('tk-never-copy');
  });

  test('an event.original that is not JSON is rejected', () => {
    const text = JSON.stringify({ events: [{ event: { original: 'SessionID=1' } }] });
    expect(runText(beyondtrust, text).rejected.map((r) => [r.locator, r.reason])).toEqual([
      ['/events/0', 'event.original is not JSON: expected the API record as a JSON string'],
    ]);
  });
});

describe('zone-less Password Safe times', () => {
  const file = fixture('passwordsafe-managed-accounts.json');

  test('without a configured zone LastChangeDate rejects the record', () => {
    const run = runFile(beyondtrust, file);
    expect(run.rejected.map((r) => [r.locator, r.reason])).toEqual([
      [
        '/0',
        'LastChangeDate unusable: time "2026-03-03T13:41:07" has no offset and no timezone is configured',
      ],
    ]);
    expect(run.accounting.ignoredByKind).toEqual({ 'ManagedAccount without LastChangeDate': 1 });
  });

  test('with the configured zone it is read in that zone', () => {
    const [event] = drafts(runFile(beyondtrust, file, { timezone: 'Europe/Berlin' }));
    expect(event).toMatchObject({
      at: '2026-03-03T12:41:07.000Z',
      stage: 'context',
      target: dbadmin,
      summary:
        'Password Safe account dbadmin@pay-db-01.bank.example password last changed; ' +
        'next change 2026-04-02T11:41:07.000Z; releases up to 525600 minutes',
    });
  });
});

describe('Privileged Remote Access sessions', () => {
  const events = drafts(runFile(beyondtrust, fixture('pra-access-sessions.ndjson')));

  test('start, activity and end share the lsid; times come from #text with offset', () => {
    expect(events.map((e) => [e.stage, e.at, e.sessionId])).toEqual([
      ['session-start', '2026-03-03T14:00:00.000Z', 'c0ffee1234abcd5678ef'],
      ['activity', '2026-03-03T14:10:00.000Z', 'c0ffee1234abcd5678ef'],
      ['session-end', '2026-03-03T14:45:00.000Z', 'c0ffee1234abcd5678ef'],
    ]);
  });

  test('performed_by is the subject, the ticket comes from custom_attributes (object or array)', () => {
    for (const event of events) {
      expect(event.subject).toEqual({
        id: 'grace.lee@bank.example',
        raw: 'grace.lee@bank.example',
        kind: 'human',
      });
      expect(event.tickets).toEqual(['INC0098765']);
      expect(event.target).toEqual({
        id: 'kiosk17.branch.bank.example',
        raw: 'kiosk17.branch.bank.example',
        kind: 'host',
      });
    }
  });

  test('HH:MM:SS durations are seconds', () => {
    expect(events[2].durationSeconds).toBe(2700);
  });

  test('an epoch timestamp is used when #text is absent', () => {
    const record = {
      event_type: 'Session End',
      timestamp: '2026-03-03T14:45:01Z',
      session: { lsid: 'x', end_time: { timestamp: '1772549100' } },
    };
    expect(drafts(runText(beyondtrust, JSON.stringify(record)))[0].at).toBe(
      '2026-03-03T14:45:00.000Z',
    );
  });
});

describe.skipIf(!existsSync(samplesDir('beyondtrust')))('beyondtrust shared samples', () => {
  const files = existsSync(samplesDir('beyondtrust')) ? readdirSync(samplesDir('beyondtrust')) : [];

  test.each(files)('%s is detected, balanced and has no rejection', (file) => {
    const full = path.join(samplesDir('beyondtrust'), file);
    expect(beyondtrust.detect(detectionSample(full))).toBeGreaterThanOrEqual(90);
    const run = runFile(beyondtrust, full);
    const { read, normalized, ignored, rejected } = run.accounting;
    expect(read).toBe(normalized + ignored + rejected);
    expect(run.rejected).toEqual([]);
  });

  test('the PRA sample: session start at start_time, 01:00:00 is 3600 s', () => {
    const file = path.join(samplesDir('beyondtrust'), 'elastic-pra-access_session-test-event.log');
    const [event] = drafts(runFile(beyondtrust, file));
    expect(event).toMatchObject({
      stage: 'session-start',
      at: '2024-01-01T12:00:00.000Z',
      sessionId: '12345',
      durationSeconds: 3600,
    });
  });

  test('the session sample links to its request and never copies the token', () => {
    const run = runFile(
      beyondtrust,
      path.join(samplesDir('beyondtrust'), 'elastic-passwordsafe-test-session.json'),
    );
    expect(drafts(run).map((e) => [e.stage, e.at, e.grantKey])).toEqual([
      ['session-start', '2025-01-15T08:30:00.000Z', '201'],
      ['session-end', '2025-01-15T10:45:00.000Z', '201'],
    ]);
    expect(JSON.stringify(run.events)).not.toContain('token_xyz789');
  });

  test('other vendors\u2019 samples are not claimed', () => {
    for (const file of otherSamples('beyondtrust')) {
      expect([file, beyondtrust.detect(detectionSample(file))]).toEqual([file, 0]);
    }
  });
});
