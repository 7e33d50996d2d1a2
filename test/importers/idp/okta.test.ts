// Okta importer: exact events per lifecycle stage and quirk, bug-06, and the shared samples.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { okta } from '../../../src/importers/idp/okta/index.js';
import { importRecords, type FileImportResult } from '../../../src/pipeline/run-importer.js';
import { importPaths } from '../../../src/pipeline/import.js';
import type { TimelineEvent } from '../../../src/model/event.js';
import type { RawRecord } from '../../../src/read/record.js';
import { detectionSampleOf, loadFile, recordsFromText } from './okta-records.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.join(repoRoot, 'fixtures/okta');
const samples = path.resolve(repoRoot, '../shared/samples');
const bugcases = path.resolve(repoRoot, '../shared/bugcases');

function importFixture(name: string, run = okta.createRun({ options: {} })): FileImportResult {
  const { file, records } = loadFile(path.join(fixtures, name));
  return importRecords(okta, run, file, records);
}

/** The fields the brief asks tests to pin, without ids and hashes. */
function brief(event: TimelineEvent) {
  return {
    stage: event.stage,
    at: event.at,
    actor: event.actor?.id,
    subject: event.subject?.id,
    target: event.target?.id,
    tickets: event.tickets,
    grantKey: event.grantKey,
    expiresAt: event.expiresAt,
    locator: event.source.locator,
  };
}

function balanced(result: FileImportResult): boolean {
  const a = result.accounting;
  return a.read === a.normalized + a.ignored + a.rejected;
}

describe('OIG access request lifecycle over two concatenated API pages', () => {
  const result = importFixture('oig-access-request-pages.json');

  test('request, approval, issuance, sessions and system expiry, in order', () => {
    expect(result.events.slice(0, 7).map(brief)).toEqual([
      {
        stage: 'request',
        at: '2026-02-02T08:00:05.120Z',
        actor: 'nora.lind@bank.example',
        subject: 'nora.lind@bank.example',
        target: 'okta:AWS Prod Admins',
        tickets: ['CHG0041234'],
        grantKey: 'req-8f1c2a7e-0001',
        expiresAt: undefined,
        locator: '/0/0',
      },
      {
        stage: 'approval',
        at: '2026-02-02T08:14:40.001Z',
        actor: 'omar.haddad@bank.example',
        subject: 'nora.lind@bank.example',
        target: 'okta:AWS Prod Admins',
        tickets: [],
        grantKey: 'req-8f1c2a7e-0001',
        expiresAt: undefined,
        locator: '/0/1',
      },
      {
        stage: 'issuance',
        at: '2026-02-02T08:14:41.532Z',
        actor: 'system@okta.com',
        subject: 'nora.lind@bank.example',
        target: 'okta:AWS Prod Admins',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/0/2',
      },
      {
        stage: 'session-start',
        at: '2026-02-02T08:20:00.000Z',
        actor: 'nora.lind@bank.example',
        subject: 'nora.lind@bank.example',
        target: 'okta:AWS Prod Account',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/1/1',
      },
      {
        stage: 'session-start',
        at: '2026-02-02T08:20:09.777Z',
        actor: 'nora.lind@bank.example',
        subject: 'nora.lind@bank.example',
        target: 'okta:AWS Prod Account',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/1/2',
      },
      {
        stage: 'session-end',
        at: '2026-02-02T09:05:00.000Z',
        actor: 'nora.lind@bank.example',
        subject: 'nora.lind@bank.example',
        target: 'okta:AWS Prod Account',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/1/3',
      },
      {
        stage: 'expiry',
        at: '2026-02-02T12:14:41.600Z',
        actor: 'system@okta.com',
        subject: 'nora.lind@bank.example',
        target: 'okta:AWS Prod Admins',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/1/4',
      },
    ]);
  });

  test('the session events carry the Okta session id and the user kinds', () => {
    const sessions = result.events.filter((e) => e.stage.startsWith('session'));
    expect(sessions.map((e) => e.sessionId)).toEqual([
      '102nora-sess-0001',
      '102nora-sess-0001',
      '102nora-sess-0001',
    ]);
    expect(result.events[0]?.actor?.kind).toBe('human');
    expect(result.events[2]?.actor?.kind).toBe('service');
    expect(result.events[0]?.reason).toBe('Deploy hotfix for CHG0041234');
  });

  test('a rejected request is a denial linked by the request id', () => {
    const denial = result.events.find((e) => e.stage === 'denial');
    expect(denial && brief(denial)).toEqual({
      stage: 'denial',
      at: '2026-02-03T10:30:00.250Z',
      actor: 'omar.haddad@bank.example',
      subject: 'pia.berg@bank.example',
      target: 'okta:AWS Prod Admins',
      tickets: [],
      grantKey: 'req-8f1c2a7e-0002',
      expiresAt: undefined,
      locator: '/1/6',
    });
  });

  test('a FAILURE outcome is never a grant', () => {
    const failed = result.events.find((e) => e.source.locator === '/1/8');
    expect(failed?.stage).toBe('context');
    expect(failed?.outcome).toBe('failure');
    expect(result.events.filter((e) => e.stage === 'issuance')).toHaveLength(1);
  });

  test('the event repeated across pages is a duplicate; unknown types are counted by kind', () => {
    expect(result.accounting).toMatchObject({ read: 12, normalized: 10, ignored: 2, rejected: 0 });
    expect(result.accounting.ignoredByKind).toEqual({ duplicate: 1, 'policy.evaluate_sign_on': 1 });
  });
});

describe('admin roles, resource-set bindings, app assignments, tokens, support access, reviews', () => {
  const result = importFixture('admin-roles-tokens.ndjson');
  const at = (locator: string) =>
    result.events.filter((e) => e.source.locator === locator).map(brief);

  test('privilegeGranted lists are diffed per user into role grants and revocations', () => {
    expect([...at('line 1'), ...at('line 2'), ...at('line 3')]).toEqual([
      {
        stage: 'issuance',
        at: '2026-02-10T09:00:00.000Z',
        actor: 'omar.haddad@bank.example',
        subject: 'pia.berg@bank.example',
        target: 'okta-role:Help Desk administrator',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: 'line 1',
      },
      {
        stage: 'issuance',
        at: '2026-02-10T09:30:00.000Z',
        actor: 'omar.haddad@bank.example',
        subject: 'pia.berg@bank.example',
        target: 'okta-role:Super administrator',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: 'line 2',
      },
      {
        stage: 'revocation',
        at: '2026-02-10T13:30:00.000Z',
        actor: 'omar.haddad@bank.example',
        subject: 'pia.berg@bank.example',
        target: 'okta-role:Super administrator',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: 'line 3',
      },
    ]);
  });

  test('resource-set bindings grant and remove the custom role', () => {
    expect(
      [...at('line 4'), ...at('line 5')].map((e) => [e.stage, e.at, e.subject, e.target]),
    ).toEqual([
      [
        'issuance',
        '2026-02-11T07:00:00.000Z',
        'nora.lind@bank.example',
        'okta:Prod Helpdesk Admin',
      ],
      [
        'revocation',
        '2026-02-11T15:00:00.000Z',
        'nora.lind@bank.example',
        'okta:Prod Helpdesk Admin',
      ],
    ]);
  });

  test('application assignment add and remove', () => {
    expect(
      [...at('line 6'), ...at('line 7')].map((e) => [e.stage, e.at, e.subject, e.target]),
    ).toEqual([
      ['issuance', '2026-02-12T08:00:00.000Z', 'pia.berg@bank.example', 'okta:AWS Prod Account'],
      ['revocation', '2026-02-12T18:00:00.000Z', 'pia.berg@bank.example', 'okta:AWS Prod Account'],
    ]);
  });

  test('API token creation and revocation share the token id as grant key', () => {
    expect([...at('line 8'), ...at('line 9')]).toEqual([
      {
        stage: 'issuance',
        at: '2026-02-13T09:00:00.000Z',
        actor: 'omar.haddad@bank.example',
        subject: 'omar.haddad@bank.example',
        target: 'okta:deploy-bot token',
        tickets: [],
        grantKey: '00T1deploybot0EXMP',
        expiresAt: undefined,
        locator: 'line 8',
      },
      {
        stage: 'revocation',
        at: '2026-02-20T09:00:00.000Z',
        actor: 'omar.haddad@bank.example',
        subject: 'omar.haddad@bank.example',
        target: 'okta:deploy-bot token',
        tickets: [],
        grantKey: '00T1deploybot0EXMP',
        expiresAt: undefined,
        locator: 'line 9',
      },
    ]);
  });

  test('Okta Support impersonation is an issuance to Okta Support, granted by the admin', () => {
    expect(at('line 10')).toEqual([
      {
        stage: 'issuance',
        at: '2026-02-14T10:00:00.000Z',
        actor: 'omar.haddad@bank.example',
        subject: 'Okta Support',
        target: 'okta:support-impersonation',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: 'line 10',
      },
    ]);
  });

  test('a certification decision is review evidence', () => {
    expect(at('line 11').map((e) => [e.stage, e.actor, e.subject, e.target])).toEqual([
      [
        'review',
        'omar.haddad@bank.example',
        'pia.berg@bank.example',
        'okta:Q1 privileged access review',
      ],
    ]);
  });

  test('a record without published is rejected with a clear reason; the rest is imported', () => {
    expect(result.rejected).toEqual([
      {
        file: path.join(fixtures, 'admin-roles-tokens.ndjson'),
        locator: 'line 13',
        reason:
          'user.session.start: published missing: expected the ISO 8601 UTC time of the event',
      },
    ]);
    expect(result.accounting).toMatchObject({ read: 13, normalized: 12, ignored: 0, rejected: 1 });
  });
});

describe('event hooks and SIEM wrappers', () => {
  test('one event hook delivery holding two events is one accepted record', () => {
    const result = importFixture('event-hook-delivery.json');
    expect(result.accounting).toMatchObject({ read: 1, normalized: 1, ignored: 0, rejected: 0 });
    expect(result.events.map(brief)).toEqual([
      {
        stage: 'issuance',
        at: '2026-03-05T07:45:12.345Z',
        actor: 'omar.haddad@bank.example',
        subject: 'nora.lind@bank.example',
        target: 'okta:AWS Prod Admins',
        tickets: [],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/data/events/0',
      },
    ]);
  });

  test('LogEvents inside message strings; zone-less nanosecond times are UTC, truncated to ms', () => {
    const result = importFixture(
      'siem-message-wrapped.ndjson',
      okta.createRun({ options: {}, timezone: 'Asia/Tokyo' }),
    );
    expect(
      result.events.map((e) => [e.stage, e.at, e.subject?.id, e.target?.id, e.source.locator]),
    ).toEqual([
      [
        'issuance',
        '2026-03-06T06:00:00.123Z',
        'nora.lind@bank.example',
        'okta-role:Read only administrator',
        'line 1/message',
      ],
      // An empty privilegeGranted after a revoke: the only role the user held is gone.
      [
        'revocation',
        '2026-03-06T18:00:00.500Z',
        'nora.lind@bank.example',
        'okta-role:Read only administrator',
        'line 2/message',
      ],
    ]);
  });

  test('a delivery with an unusable event is rejected naming that event', () => {
    const delivery = {
      eventType: 'com.okta.event_hook',
      data: {
        events: [
          {
            uuid: 'x-1',
            eventType: 'user.session.start',
            actor: { type: 'User', alternateId: 'a@b.example' },
          },
        ],
      },
    };
    const records: RawRecord[] = [{ locator: '', data: { kind: 'json', value: delivery } }];
    const file = { path: 'hook.json', sha256: '0'.repeat(64), size: 1 };
    const result = importRecords(okta, okta.createRun({ options: {} }), file, records);
    expect(result.rejected[0]?.reason).toBe(
      '/data/events/0: user.session.start: published missing: expected the ISO 8601 UTC time of the event',
    );
  });

  test('a reused uuid with different content is kept and noted, an identical copy is not', () => {
    const base = {
      uuid: 'u-1',
      published: '2026-01-01T00:00:00.000Z',
      eventType: 'system.api_token.create',
      actor: { id: '00u1', type: 'User', alternateId: 'a@b.example' },
      outcome: { result: 'SUCCESS' },
      target: [{ id: '00T1', type: 'Token', displayName: 't' }],
    };
    const other = { ...base, eventType: 'system.api_token.revoke' };
    const records: RawRecord[] = [base, base, other].map((value, i) => ({
      locator: `/${i}`,
      data: { kind: 'json', value },
    }));
    const file = { path: 'reuse.json', sha256: '0'.repeat(64), size: 1 };
    const run = okta.createRun({ options: {} });
    const result = importRecords(okta, run, file, records);
    expect(result.events.map((e) => e.stage)).toEqual(['issuance', 'revocation']);
    expect(result.accounting.ignoredByKind).toEqual({ duplicate: 1 });
    expect(run.finish?.()).toEqual([
      {
        kind: 'info',
        file: 'reuse.json',
        message: 'Okta uuid u-1 is reused by events that differ; all of them were kept',
      },
    ]);
  });
});

describe.skipIf(!existsSync(path.join(bugcases, 'bug-06')))('bug-06: multi-member gzip', () => {
  test('all 5 events, with the grant and the revocation in Prod-Admins', () => {
    const gz = path.join(bugcases, 'bug-06/okta-system-log-2024-08-19.ndjson.gz');
    // gunzipSync decodes every member until the input ends, as the reader must.
    const text = gunzipSync(readFileSync(gz)).toString('utf8');
    const file = { path: gz, sha256: '0'.repeat(64), size: 1200 };
    const result = importRecords(
      okta,
      okta.createRun({ options: {} }),
      file,
      recordsFromText(text, true),
    );
    expect(result.accounting).toMatchObject({ read: 5, normalized: 5, ignored: 0, rejected: 0 });
    expect(result.events.map((e) => [e.stage, e.at, e.action])).toEqual([
      ['session-start', '2024-08-19T07:58:03.112Z', 'user.session.start'],
      ['issuance', '2024-08-19T08:01:44.905Z', 'group.user_membership.add'],
      ['session-start', '2024-08-19T08:02:10.077Z', 'user.authentication.sso'],
      ['revocation', '2024-08-19T12:01:45.300Z', 'group.user_membership.remove'],
      ['session-end', '2024-08-19T12:03:00.018Z', 'user.session.end'],
    ]);
    const grant = result.events[1];
    const revoke = result.events[3];
    expect([grant?.target?.name, revoke?.target?.name]).toEqual(['Prod-Admins', 'Prod-Admins']);
    expect(Date.parse(revoke!.at) - Date.parse(grant!.at)).toBe(4 * 3600_000 + 395);
    expect(result.events[0]?.subject?.raw).toBe('ravi.menon@corp.example');
  });

  test('through the real reader: every gzip member is decoded, nothing rejected', async () => {
    const imported = await importPaths([
      path.join(bugcases, 'bug-06/okta-system-log-2024-08-19.ndjson.gz'),
    ]);
    expect(
      imported.accounting.map((a) => [a.importer, a.read, a.normalized, a.ignored, a.rejected]),
    ).toEqual([['okta', 5, 5, 0, 0]]);
    const membership = imported.events.filter((e) => e.action.startsWith('group.user_membership'));
    expect(membership.map((e) => [e.stage, e.at, e.target?.name, e.source.locator])).toEqual([
      ['issuance', '2024-08-19T08:01:44.905Z', 'Prod-Admins', 'line 2'],
      ['revocation', '2024-08-19T12:01:45.300Z', 'Prod-Admins', 'line 4'],
    ]);
  });
});

const oktaSamples = path.join(samples, 'okta');

describe.skipIf(!existsSync(oktaSamples))('conformance over shared/samples/okta', () => {
  const files = existsSync(oktaSamples) ? readdirSync(oktaSamples).sort() : [];

  test.each(files)('%s is detected, balanced and nothing valid is rejected', (name) => {
    const full = path.join(oktaSamples, name);
    expect(okta.detect(detectionSampleOf(full))).toBeGreaterThanOrEqual(80);
    const { file, records } = loadFile(full);
    const result = importRecords(okta, okta.createRun({ options: {} }), file, records);
    expect(balanced(result)).toBe(true);
    expect(result.rejected).toEqual([]);
    expect(result.accounting.normalized).toBeGreaterThan(0);
  });

  test('the Panther sample: role lists diffed without implied revocations, tokens, session, UTC', () => {
    const { file, records } = loadFile(
      path.join(oktaSamples, 'panther_okta_admin_tokens_sessions.ndjson'),
    );
    const result = importRecords(okta, okta.createRun({ options: {} }), file, records);
    expect(
      result.events.map((e) => [e.stage, e.at, e.subject?.id, e.target?.id, e.source.locator]),
    ).toEqual([
      [
        'issuance',
        '2020-11-25T21:27:03.496Z',
        'alice@acme.io',
        'okta-role:Organization administrator',
        'line 1',
      ],
      [
        'issuance',
        '2020-11-25T21:27:03.496Z',
        'alice@acme.io',
        'okta-role:Application administrator (all)',
        'line 1',
      ],
      [
        'issuance',
        '2020-11-25T21:27:03.496Z',
        'alice@acme.io',
        'okta-role:Super administrator',
        'line 2',
      ],
      [
        'issuance',
        '2020-11-25T21:27:03.496Z',
        'alice@acme.io',
        'okta-role:Read only admin',
        'line 2',
      ],
      // Line 2 lists other roles than line 1, but a grant record never revokes: no revocation.
      ['issuance', '2021-01-08T21:28:34.875Z', 'user@example.com', 'okta:test_key', 'line 3'],
      ['revocation', '2021-01-08T21:28:34.875Z', 'user@example.com', 'okta:test_key', 'line 4'],
      [
        'session-start',
        '2024-04-02T19:17:37.621Z',
        'casey.hill@hey.com',
        'okta:Okta Dashboard',
        'line 5',
      ],
    ]);
    expect(result.events.at(-1)?.sessionId).toBe('idxvF50v_5sT2-GOA7_K0Amyw');
  });
});

describe.skipIf(!existsSync(samples))('detect() claims no other vendor sample', () => {
  const others = existsSync(samples)
    ? readdirSync(samples, { withFileTypes: true })
        .filter((d) => d.isDirectory() && d.name !== 'okta')
        .flatMap((d) =>
          readdirSync(path.join(samples, d.name)).map((f) => path.join(samples, d.name, f)),
        )
    : [];

  test.each(others)('%s scores 0', (full) => {
    expect(okta.detect(detectionSampleOf(full))).toBe(0);
    expect(okta.detect(detectionSampleOf(full, false))).toBe(0);
  });
});
