// Vault audit importer: every lifecycle stage of the fixture, each quirk, and the shared samples.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { vault } from '../../../../src/importers/pam/vault/index.js';
import {
  detectionSample,
  drafts,
  otherSamples,
  repoRoot,
  runFile,
  runText,
  samplesDir,
} from './harness.js';

const fixture = path.join(repoRoot, 'fixtures/vault/audit.log');
const result = runFile(vault, fixture);
const events = drafts(result);
const at = (locator: string) => {
  const event = events.find((e) => e.locator === locator);
  if (!event) throw new Error(`no event at ${locator}`);
  return event;
};

// The fixture's opaque values, written by the same (fictional) audit device key.
const ALICE_ACCESSOR =
  'hmac-sha256:67abe3db2bd7760de58ed2f4d7d7414e028979a61579c69886feb037fb2bdce6';
const BATCH_ACCESSOR =
  'hmac-sha256:d079e0326afda216ffc28a409f7cb29813886e70e57574dcf1ce97acf2ba2da9';
const CI_ACCESSOR = 'hmac-sha256:ced7ce25834bb7a4bdf242eba4af60fd879a9d50ca02450f3a112b1aa09d098d';
const LEASE = 'database/creds/prod-readonly/Qm9vVGVzdExlYXNl01';
const alice = { id: 'alice.smith@bank.example', raw: 'Alice.Smith@Bank.example', kind: 'human' };

describe('vault fixture', () => {
  test('counts each request/response pair once and balances', () => {
    expect(result.rejected).toEqual([]);
    expect(result.accounting).toMatchObject({
      read: 32,
      normalized: 16,
      ignored: 16,
      rejected: 0,
      ignoredByKind: { 'kmip-response': 1, 'paired-request': 15 },
    });
  });

  test('an OIDC login is the issuance of a token with its expiry', () => {
    expect(at('line 2')).toEqual({
      locator: 'line 2',
      at: '2026-02-10T09:00:00.987Z',
      stage: 'issuance',
      tickets: [],
      action: 'read auth/oidc/oidc/callback',
      outcome: 'success',
      summary:
        'Vault token issued to Alice.Smith@Bank.example by login ' +
        '(policies default,prod-db-admin; expires 2026-02-10T10:00:00.000Z)',
      actor: alice,
      subject: alice,
      target: { id: 'prod-db-admin', raw: 'default,prod-db-admin', kind: 'policy' },
      grantKey: ALICE_ACCESSOR,
      durationSeconds: 3600,
      expiresAt: '2026-02-10T10:00:00.000Z',
    });
  });

  test('token_issue_time with a -05:00 offset is normalized before the TTL is added', () => {
    // 04:00:00-05:00 is 09:00:00Z; plus token_ttl 3600 s.
    expect(at('line 2').expiresAt).toBe('2026-02-10T10:00:00.000Z');
  });

  test('without token_issue_time the expiry counts from the response time', () => {
    const login = at('line 16');
    expect(login).toMatchObject({
      stage: 'issuance',
      subject: { id: 'ci-deployer', raw: 'ci-deployer', kind: 'service' },
      grantKey: CI_ACCESSOR,
      expiresAt: '2026-02-10T10:10:00.250Z',
    });
  });

  test('nine fractional digits are truncated to milliseconds, never rounded', () => {
    expect(at('line 2').at).toBe('2026-02-10T09:00:00.987Z');
  });

  test('a token created for another party names the creator as actor', () => {
    expect(at('line 18')).toMatchObject({
      stage: 'issuance',
      actor: alice,
      subject: { id: 'token-ops-batch', kind: 'service' },
      grantKey: BATCH_ACCESSOR,
      expiresAt: '2026-02-10T11:40:00.000Z',
    });
  });

  test('a secret-engine read returning a lease is a credential issuance with no expiry', () => {
    const issued = at('line 4');
    expect(issued).toMatchObject({
      stage: 'issuance',
      grantKey: LEASE,
      target: { id: 'database/creds/prod-readonly', kind: 'credential' },
      subject: alice,
    });
    expect(issued.expiresAt).toBeUndefined();
  });

  test('reads by the token accessor are activity under that accessor', () => {
    expect(at('line 6')).toMatchObject({
      stage: 'activity',
      grantKey: ALICE_ACCESSOR,
      action: 'read secret/data/prod/payments',
      outcome: 'success',
    });
  });

  test('renew-self extends the token grant with the renewed TTL', () => {
    expect(at('line 8')).toMatchObject({
      stage: 'issuance',
      grantKey: ALICE_ACCESSOR,
      expiresAt: '2026-02-10T10:30:00.040Z',
      durationSeconds: 3600,
    });
  });

  test('a lease renewal names the lease but no new expiry (not in the audit log)', () => {
    const renewed = at('line 10');
    expect(renewed).toMatchObject({ stage: 'issuance', grantKey: LEASE });
    expect(renewed.expiresAt).toBeUndefined();
  });

  test('a multi-line "permission denied" error is a failed attempt', () => {
    expect(at('line 12')).toMatchObject({
      stage: 'activity',
      outcome: 'failure',
      summary:
        'Vault update sys/policies/acl/admin by Alice.Smith@Bank.example failed (permission denied)',
    });
  });

  test('revocations name what they revoke', () => {
    expect(at('line 14')).toMatchObject({ stage: 'revocation', grantKey: LEASE, actor: alice });
    expect(at('line 14').subject).toBeUndefined();
    expect(at('line 20')).toMatchObject({ stage: 'revocation', grantKey: BATCH_ACCESSOR });
    expect(at('line 22')).toMatchObject({ stage: 'revocation', grantKey: CI_ACCESSOR });
    expect(at('line 26')).toMatchObject({ stage: 'revocation', grantKey: 'aws/creds/deploy' });
    expect(at('line 30')).toMatchObject({
      stage: 'revocation',
      grantKey: ALICE_ACCESSOR,
      subject: alice,
    });
  });

  test('an HMAC in a revoke body is kept verbatim as an opaque id', () => {
    expect(at('line 24')).toMatchObject({
      stage: 'revocation',
      grantKey: 'hmac-sha256:cda401cef93416e1cf96c19fe28de6cde46784cd706391324029275ade362447',
    });
  });

  test('a failed login is a failed attempt without a subject', () => {
    const failed = at('line 28');
    expect(failed).toMatchObject({ stage: 'activity', outcome: 'failure' });
    expect(failed.subject).toBeUndefined();
  });

  test('a request without a response is normalized on its own at the end', () => {
    expect(at('line 31')).toMatchObject({
      stage: 'activity',
      summary:
        'Vault read secret/data/prod/ledger by Alice.Smith@Bank.example (request logged without a response)',
    });
  });

  test('no event carries a client token HMAC', () => {
    const text = JSON.stringify(result.events);
    for (const label of ['tok-alice', 'tok-ci', 'tok-batch']) {
      const tokenHmac = 'hmac-sha256:' + createHash('sha256').update(label).digest('hex');
      expect(readFileSync(fixture, 'utf8')).toContain(tokenHmac);
      expect(text).not.toContain(tokenHmac);
    }
  });
});

const line = (value: object) => JSON.stringify(value);
const request = (id: string, extra: object = {}) => ({
  time: '2026-03-01T10:00:00.000000001Z',
  type: 'request',
  auth: { accessor: 'hmac-sha256:aa', display_name: 'token' },
  request: { id, operation: 'update', path: 'sys/leases/revoke/aws/creds/x/1' },
  ...extra,
});

describe('vault quirks', () => {
  test('a failed revoke is never a revocation', () => {
    const text = [
      line(request('r1')),
      line({
        ...request('r1'),
        type: 'response',
        error: '1 error occurred:\n\t* permission denied\n\n',
      }),
    ].join('\n');
    const [event] = drafts(runText(vault, text));
    expect(event).toMatchObject({ stage: 'activity', outcome: 'failure', locator: 'line 2' });
  });

  test('a response without its request is normalized; a later request is counted as paired', () => {
    const text = [line({ ...request('r2'), type: 'response' }), line(request('r2'))].join('\n');
    const run = runText(vault, text);
    expect(run.accounting).toMatchObject({
      normalized: 1,
      ignored: 1,
      ignoredByKind: { 'paired-request': 1 },
    });
    expect(drafts(run)[0]).toMatchObject({ stage: 'revocation', grantKey: 'aws/creds/x/1' });
  });

  test('a bare "token" display name is of unknown kind', () => {
    const [event] = drafts(runText(vault, line({ ...request('r3'), type: 'response' })));
    expect(event.actor).toEqual({ id: 'token', raw: 'token', kind: 'unknown' });
  });

  test('a missing or zone-less time rejects the entry with the reason', () => {
    const text = [
      line({ ...request('r4'), time: undefined }),
      line({ ...request('r5'), type: 'response', time: '2026-03-01 10:00:00' }),
    ].join('\n');
    const run = runText(vault, text);
    expect(run.rejected.map((r) => [r.locator, r.reason])).toEqual([
      [
        'line 2',
        'time unusable: time "2026-03-01 10:00:00" has no offset and no timezone is configured',
      ],
      ['line 1', 'time missing: expected RFC 3339 time of the audit entry'],
    ]);
  });

  test('kmip entries are ignored under their type', () => {
    const run = runText(
      vault,
      line({ type: 'kmip-request', time: '2026-03-01T10:00:00Z', request: {} }),
    );
    expect(run.accounting.ignoredByKind).toEqual({ 'kmip-request': 1 });
  });
});

describe.skipIf(!existsSync(samplesDir('vault')))('vault shared samples', () => {
  const files = existsSync(samplesDir('vault')) ? readdirSync(samplesDir('vault')) : [];

  test.each(files)('%s is detected, balanced and has no rejection', (file) => {
    const full = path.join(samplesDir('vault'), file);
    expect(vault.detect(detectionSample(full))).toBeGreaterThanOrEqual(90);
    const run = runFile(vault, full);
    const { read, normalized, ignored, rejected } = run.accounting;
    expect(read).toBe(normalized + ignored + rejected);
    expect(run.rejected).toEqual([]);
  });

  test('elastic-test-audit.log: 13 entries, 4 pairs, 4 KMIP, 5 events', () => {
    const run = runFile(vault, path.join(samplesDir('vault'), 'elastic-test-audit.log'));
    expect(run.accounting).toMatchObject({
      read: 13,
      normalized: 5,
      ignored: 8,
      ignoredByKind: { 'kmip-request': 1, 'kmip-response': 3, 'paired-request': 4 },
    });
  });

  test('other vendors\u2019 samples are not claimed', () => {
    for (const file of otherSamples('vault')) {
      expect([file, vault.detect(detectionSample(file))]).toEqual([file, 0]);
    }
  });
});
