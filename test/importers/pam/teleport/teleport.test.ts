// Teleport importer: the access-request lifecycle, certificates, sessions, quirks and samples.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { teleport } from '../../../../src/importers/pam/teleport/index.js';
import {
  detectionSample,
  drafts,
  otherSamples,
  repoRoot,
  runFile,
  runText,
  samplesDir,
} from '../vault/harness.js';

const result = runFile(teleport, path.join(repoRoot, 'fixtures/teleport/audit.log'));
const events = drafts(result);
const at = (locator: string) => {
  const found = events.filter((e) => e.locator === locator);
  if (found.length !== 1) throw new Error(`${found.length} events at ${locator}`);
  return found[0];
};

const R1 = '3f2b9c10-5d4e-4a6b-9c8d-1e2f3a4b5c61';
const R2 = '7a8b9c0d-1e2f-4a3b-8c5d-6e7f8a9b0c72';
const R3 = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e83';
const R4 = 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f94';
const S1 = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a801';
const alice = { id: 'alice@bank.example', raw: 'alice@bank.example', kind: 'human' };
const bob = { id: 'bob@bank.example', raw: 'bob@bank.example', kind: 'human' };

describe('teleport fixture', () => {
  test('every event is accounted for', () => {
    expect(result.rejected).toEqual([]);
    expect(result.accounting).toMatchObject({
      read: 26,
      normalized: 25,
      ignored: 1,
      ignoredByKind: { 'role.created': 1 },
    });
  });

  test('access_request.create is the request, with reason, tickets and roles sorted', () => {
    expect(at('line 3')).toEqual({
      locator: 'line 3',
      at: '2026-03-02T08:05:00.000Z',
      stage: 'request',
      tickets: ['INC0012345', 'OPS-4711'],
      action: 'access_request.create',
      outcome: 'success',
      grantKey: R1,
      reason: 'Fix INC0012345: payments DB replication lag',
      target: { id: 'db-admin,prod-ssh', raw: 'prod-ssh,db-admin', kind: 'role' },
      expiresAt: '2026-03-02T12:05:00.000Z',
      actor: alice,
      subject: alice,
      summary:
        `Teleport access request ${R1} by alice@bank.example for db-admin,prod-ssh ` +
        '(PENDING, at most until 2026-03-02T12:05:00.000Z)',
    });
  });

  test('max_duration is an instant, not a number of seconds', () => {
    const text = JSON.stringify({
      event: 'access_request.create',
      code: 'T5000I',
      time: '2026-03-02T08:00:00Z',
      id: 'r-x',
      user: 'alice@bank.example',
      roles: ['db-admin'],
      state: 'PENDING',
      max_duration: '2026-03-02T16:00:00Z',
    });
    const [event] = drafts(runText(teleport, text));
    expect(event.expiresAt).toBe('2026-03-02T16:00:00.000Z');
    expect(event.durationSeconds).toBeUndefined();
  });

  test('each review is an approval by its reviewer; the plugin is named', () => {
    expect(at('line 4')).toMatchObject({ stage: 'approval', actor: bob, grantKey: R1 });
    expect(at('line 5')).toMatchObject({
      stage: 'approval',
      actor: { id: 'carol@bank.example', kind: 'human' },
      grantKey: R1,
      tickets: ['INC0012345'],
      summary:
        `Teleport review of ${R1} by carol@bank.example: APPROVED for the requested access, ` +
        'request now APPROVED (submitted by slack-access-plugin)',
    });
  });

  test('a certificate carrying access_requests is the issuance of that request', () => {
    expect(at('line 6/identity/access_requests/0')).toMatchObject({
      stage: 'issuance',
      grantKey: R1,
      subject: alice,
      target: { id: 'access,db-admin,prod-ssh', kind: 'role' },
      expiresAt: '2026-03-02T12:05:00.000Z',
      mfa: true,
    });
  });

  test('a standing certificate has no grant key and keeps its expiry truncated to ms', () => {
    const cert = at('line 2');
    expect(cert).toMatchObject({ stage: 'issuance', expiresAt: '2026-03-02T20:00:00.175Z' });
    expect(cert.grantKey).toBeUndefined();
  });

  test('sessions are linked by sid and by the access request behind them', () => {
    expect(at('line 7')).toMatchObject({
      stage: 'session-start',
      sessionId: S1,
      grantKey: R1,
      subject: alice,
      target: { id: 'db-01.bank.example', kind: 'host' },
    });
    expect(at('line 8')).toMatchObject({
      stage: 'activity',
      sessionId: S1,
      action: 'session.command',
    });
    expect(at('line 9')).toMatchObject({ stage: 'session-end', sessionId: S1 });
    expect(at('line 10')).toMatchObject({
      stage: 'context',
      sessionId: S1,
      action: 'session.upload',
    });
    expect(at('line 11')).toMatchObject({
      stage: 'session-start',
      target: { id: 'payments-db', kind: 'database', name: 'payments' },
    });
    expect(at('line 12')).toMatchObject({ stage: 'activity', action: 'db.session.query' });
    expect(at('line 13')).toMatchObject({ stage: 'session-end' });
    expect(at('line 24')).toMatchObject({
      stage: 'session-start',
      target: { id: 'grafana', kind: 'app' },
    });
    expect(at('line 25')).toMatchObject({ stage: 'session-end' });
  });

  test('a resource request targets the resource ids; a DENIED review is a denial', () => {
    expect(at('line 14')).toMatchObject({
      stage: 'request',
      grantKey: R2,
      target: {
        id: '/bank-prod.teleport.example.com/node/b2c3d4e5-0000-4000-8000-0000000a0007',
        kind: 'resource',
        name: 'access',
      },
    });
    expect(at('line 15')).toMatchObject({ stage: 'denial', grantKey: R2, actor: bob });
  });

  test('PROMOTED is an approval into an access list', () => {
    expect(at('line 17')).toMatchObject({
      stage: 'approval',
      grantKey: R3,
      actor: bob,
      summary:
        `Teleport access request ${R3} set to PROMOTED by bob@bank.example for the requested access ` +
        '(promoted to access list payments-oncall-list)',
    });
  });

  test('expire is the expiry, delete is a revocation', () => {
    expect(at('line 19')).toMatchObject({
      stage: 'expiry',
      grantKey: R4,
      expiresAt: '2026-03-02T10:30:00.000Z',
    });
    expect(at('line 20')).toMatchObject({ stage: 'revocation', grantKey: R1, actor: bob });
  });

  test('user.create is a standing grant; a bot is a service; zero time means no expiry', () => {
    expect(at('line 21')).toMatchObject({
      stage: 'issuance',
      subject: { id: 'bot-deployer', kind: 'service' },
      actor: bob,
      target: { id: 'bot-deployer,deploy', kind: 'role' },
      expiresAt: '2026-06-30T00:00:00.000Z',
    });
    expect(at('line 22').expiresAt).toBeUndefined();
  });

  test('user.login with an MFA device sets mfa; a W code is a failure', () => {
    expect(at('line 1')).toMatchObject({
      stage: 'context',
      mfa: true,
      outcome: 'success',
      subject: alice,
    });
    expect(at('line 23')).toMatchObject({ stage: 'context', outcome: 'failure' });
    expect(at('line 23').mfa).toBeUndefined();
  });
});

describe('teleport quirks', () => {
  const one = (value: object) => drafts(runText(teleport, JSON.stringify(value)));

  test('a key with a literal dot is a key, not a path', () => {
    const [event] = one({
      event: 'user.login',
      code: 'T1000I',
      time: '2026-03-02T08:00:00Z',
      user: 'u',
      method: 'oidc',
      success: true,
      'addr.remote': '198.51.100.1:1',
      addr: { remote: '192.0.2.99:9' },
    });
    expect(event.summary).toBe('Teleport login of u via oidc from 198.51.100.1:1');
  });

  test('an integer expires (type drift) is read as Unix seconds', () => {
    const [event] = one({
      event: 'user.update',
      code: 'T1003I',
      time: '2020-06-05T16:24:05Z',
      name: 'bob',
      expires: 111111,
      roles: ['root'],
    });
    expect(event.expiresAt).toBe('1970-01-02T06:51:51.000Z');
  });

  test('code suffix W is a failure even without success=false', () => {
    const [event] = one({
      event: 'db.session.start',
      code: 'TDB00W',
      time: '2026-03-02T08:00:00Z',
      sid: 's',
      user: 'u',
    });
    expect(event.outcome).toBe('failure');
  });

  test('a local login without an MFA device is mfa=false; SSO leaves it unknown', () => {
    const base = {
      event: 'user.login',
      code: 'T1000I',
      time: '2026-03-02T08:00:00Z',
      user: 'u',
      success: true,
    };
    expect(one({ ...base, method: 'local' })[0].mfa).toBe(false);
    expect(one({ ...base, method: 'oidc' })[0].mfa).toBeUndefined();
  });

  test('a certificate from two requests is one issuance per request', () => {
    const events = one({
      event: 'cert.create',
      code: 'TC000I',
      time: '2026-03-02T08:00:00Z',
      identity: {
        user: 'u',
        roles: ['a'],
        expires: '0001-01-01T00:00:00Z',
        access_requests: ['r1', 'r2'],
      },
    });
    expect(events.map((e) => [e.locator, e.grantKey, e.expiresAt])).toEqual([
      ['line 1/identity/access_requests/0', 'r1', undefined],
      ['line 1/identity/access_requests/1', 'r2', undefined],
    ]);
  });

  test('an exported JSON array is read like the log', () => {
    const text = JSON.stringify([
      { event: 'session.start', code: 'T2000I', time: '2026-03-02T08:00:00Z', sid: 's', user: 'u' },
      { event: 'session.end', code: 'T2004I', time: '2026-03-02T08:01:00Z', sid: 's', user: 'u' },
    ]);
    expect(drafts(runText(teleport, text)).map((e) => [e.locator, e.stage])).toEqual([
      ['/0', 'session-start'],
      ['/1', 'session-end'],
    ]);
  });

  test('missing type or time and bad expiry reject with the reason', () => {
    const text = [
      JSON.stringify({ code: 'T2000I', time: '2026-03-02T08:00:00Z' }),
      JSON.stringify({ event: 'session.start', code: 'T2000I' }),
      JSON.stringify({
        event: 'user.create',
        code: 'T1002I',
        time: '2026-03-02T08:00:00Z',
        expires: 'soon',
      }),
    ].join('\n');
    expect(runText(teleport, text).rejected.map((r) => r.reason)).toEqual([
      'event missing: expected the Teleport event type (e.g. session.start)',
      'time missing: expected RFC 3339 UTC time',
      'expires unusable: not an ISO 8601 time: "soon"',
    ]);
  });
});

describe.skipIf(!existsSync(samplesDir('teleport')))('teleport shared samples', () => {
  const files = existsSync(samplesDir('teleport')) ? readdirSync(samplesDir('teleport')) : [];

  test.each(files)('%s is detected, balanced and has no rejection', (file) => {
    const full = path.join(samplesDir('teleport'), file);
    expect(teleport.detect(detectionSample(full))).toBeGreaterThanOrEqual(90);
    const run = runFile(teleport, full);
    const { read, normalized, ignored, rejected } = run.accounting;
    expect(read).toBe(normalized + ignored + rejected);
    expect(run.rejected).toEqual([]);
  });

  test('the catalogue sample keeps its access request lifecycle', () => {
    const file = path.join(samplesDir('teleport'), 'elastic-test-teleport-all-events.first46.log');
    const run = drafts(runFile(teleport, file));
    const lifecycle = run.filter((e) => e.grantKey === '66b827b2-1b0b-512b-965d-6c789388d3c9');
    expect(lifecycle.map((e) => [e.action, e.stage])).toEqual([
      ['access_request.create', 'request'],
      ['access_request.update', 'approval'],
      ['access_request.delete', 'revocation'],
    ]);
    expect(lifecycle[1].actor?.id).toBe('Sam_Waters');
  });

  test('other vendors\u2019 samples are not claimed', () => {
    for (const file of otherSamples('teleport')) {
      expect([file, teleport.detect(detectionSample(file))]).toEqual([file, 0]);
    }
  });
});
