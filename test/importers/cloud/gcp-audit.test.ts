// GCP Cloud Audit Logs importer: binding deltas, conditional expiry, PAM grants, NHI credentials.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { gcpAuditImporter } from '../../../src/importers/cloud/gcp-audit/index.js';
import { conditionExpiry } from '../../../src/importers/cloud/gcp-audit/iam-policy.js';
import { essentials, fixture, hasShared, importFile, runValues, sharedDir } from './helpers.js';

const P = 'payments-prod-4711';
const ENT = `projects/${P}/locations/global/entitlements/prod-db-admin`;
const G1 = `${ENT}/grants/7f3e9a2b-0000-4000-9000-000000000001`;
const SA = `ci-deployer@${P}.iam.gserviceaccount.com`;
const KEY = '9c1f2e3d4b5a69788796a5b4c3d2e1f0a9b8c7d6';
const erik = { id: 'erik.lund@bank.example', raw: 'erik.lund@bank.example', kind: 'human' };
const mia = { id: 'mia.holm@bank.example', raw: 'mia.holm@bank.example', kind: 'human' };
const miaMember = { id: 'mia.holm@bank.example', raw: 'user:mia.holm@bank.example', kind: 'human' };
const saMember = { id: SA, raw: `serviceAccount:${SA}`, kind: 'service' };

describe('gcp-audit: lifecycle fixture (NDJSON sink export)', async () => {
  const { events, accounting } = await importFile(fixture('gcp-audit', 'audit-lifecycle.ndjson'));
  const line = (n: number) =>
    events
      .filter((e) => e.source.locator === `line ${n}` || e.source.locator.startsWith(`line ${n}/`))
      .sort((a, b) => a.source.locator.localeCompare(b.source.locator));

  test('accounting: the caller-less system event is ignored by method name', () => {
    expect(accounting).toMatchObject({
      read: 15,
      normalized: 14,
      ignored: 1,
      rejected: 0,
      ignoredByKind: { 'compute.instances.migrateOnHostMaintenance': 1 },
    });
  });

  test('SetIamPolicy: one event per binding delta, never the bindings of request.policy', () => {
    const deltas = line(1);
    expect(deltas.map((e) => e.source.locator)).toEqual([
      'line 1/protoPayload/serviceData/policyDelta/bindingDeltas/0',
      'line 1/protoPayload/serviceData/policyDelta/bindingDeltas/1',
    ]);
    expect(essentials(deltas[0])).toEqual({
      at: '2026-02-20T10:00:00.123Z',
      stage: 'issuance',
      action: 'SetIamPolicy',
      outcome: 'success',
      actor: erik,
      subject: miaMember,
      target: {
        id: `projects/${P}|roles/compute.admin`,
        raw: 'roles/compute.admin',
        kind: 'gcp-iam-role',
        name: `roles/compute.admin on projects/${P}`,
      },
      expiresAt: '2026-02-20T18:00:00.000Z',
      tickets: [],
    });
    expect(deltas[1]).toMatchObject({
      stage: 'revocation',
      subject: { id: `old-ci@${P}.iam.gserviceaccount.com`, kind: 'service' },
      target: { raw: 'roles/editor' },
    });
    expect(deltas[1].expiresAt).toBeUndefined();
  });

  test('method name variant v1.compute.instances.setIamPolicy is a policy change too', () => {
    expect(line(2)[0]).toMatchObject({
      stage: 'issuance',
      subject: miaMember,
      target: { raw: 'roles/compute.osAdminLogin' },
    });
  });

  test('PAM CreateGrant: request with grant name, requested duration and justification ticket', () => {
    expect(essentials(line(3)[0])).toEqual({
      at: '2026-02-21T08:00:00.100Z',
      stage: 'request',
      action: 'google.cloud.privilegedaccessmanager.v1.PrivilegedAccessManager.CreateGrant',
      outcome: 'success',
      actor: mia,
      subject: mia,
      target: {
        id: ENT,
        raw: ENT,
        kind: 'gcp-pam-entitlement',
        name: 'prod-db-admin (roles/cloudsql.admin)',
      },
      grantKey: G1,
      reason: 'CHG0050505 apply database patch',
      tickets: ['CHG0050505'],
      durationSeconds: 7200,
    });
  });

  test('PAM ApproveGrant / RevokeGrant / DenyGrant / WithdrawGrant', () => {
    expect(line(4)[0]).toMatchObject({
      stage: 'approval',
      actor: erik,
      subject: mia,
      grantKey: G1,
      reason: 'approved for the CHG0050505 window',
    });
    expect(line(5)[0]).toMatchObject({
      stage: 'revocation',
      actor: erik,
      grantKey: G1,
      reason: 'patch done early',
    });
    expect(line(6)[0]).toMatchObject({
      stage: 'denial',
      grantKey: `${ENT}/grants/7f3e9a2b-0000-4000-9000-000000000002`,
      reason: 'no change ticket',
    });
    expect(line(7)[0]).toMatchObject({
      stage: 'revocation',
      actor: mia,
      grantKey: `${ENT}/grants/7f3e9a2b-0000-4000-9000-000000000003`,
    });
    expect(line(7)[0].summary).toContain('withdrew');
  });

  test('the PAM service agent binding: expiry from a condition whose < arrived escaped as \\u003c', () => {
    expect(line(8)[0]).toMatchObject({
      stage: 'issuance',
      actor: { id: 'service-123456789012@gcp-sa-pam.iam.gserviceaccount.com', kind: 'service' },
      subject: miaMember,
      expiresAt: '2026-02-21T10:10:35.000Z',
    });
  });

  test('service account key: issuance without expiry (long-lived), then disable and delete revoke it', () => {
    const created = line(9)[0];
    expect(essentials(created)).toEqual({
      at: '2026-02-23T12:00:00.999Z',
      stage: 'issuance',
      action: 'google.iam.admin.v1.CreateServiceAccountKey',
      outcome: 'success',
      actor: erik,
      subject: saMember,
      target: {
        id: `projects/${P}/serviceAccounts/${SA}/keys/${KEY}`,
        raw: `projects/${P}/serviceAccounts/${SA}/keys/${KEY}`,
        kind: 'service-account-key',
        name: `key of ${SA}`,
      },
      grantKey: KEY,
      tickets: [],
    });
    expect(created.summary).toContain('no expiry (long-lived)');
    expect(line(10)[0]).toMatchObject({ stage: 'revocation', grantKey: KEY, subject: saMember });
    expect(line(11)[0]).toMatchObject({ stage: 'revocation', grantKey: KEY });
  });

  test('GenerateAccessToken with lifetime, GenerateIdToken with the 1 h default', () => {
    expect(line(12)[0]).toMatchObject({
      stage: 'issuance',
      at: '2026-02-24T06:30:00.000Z',
      actor: mia,
      subject: saMember,
      durationSeconds: 1800,
      expiresAt: '2026-02-24T07:00:00.000Z',
    });
    expect(line(13)[0]).toMatchObject({
      actor: { kind: 'service', raw: expect.stringContaining('workloadIdentityPools') },
      subject: saMember,
      durationSeconds: 3600,
      expiresAt: '2026-02-24T07:31:00.000Z',
    });
  });

  test('non-zero status.code is a failure; other calls are activity by principal', () => {
    expect(line(14)[0]).toMatchObject({
      stage: 'activity',
      outcome: 'failure',
      actor: mia,
      target: { id: 'projects/_/buckets/pay-archive' },
    });
  });
});

describe('gcp-audit: {"entries": [...]} API page', () => {
  test('entitlement change is context; CreateGrant without justification still keys the grant', async () => {
    const { events, accounting } = await importFile(fixture('gcp-audit', 'entries-page.json'));
    expect(accounting).toMatchObject({ read: 2, normalized: 2 });
    expect(events[0]).toMatchObject({ stage: 'context', target: { id: ENT } });
    expect(events[1]).toMatchObject({
      stage: 'request',
      grantKey: `${ENT}/grants/7f3e9a2b-0000-4000-9000-000000000004`,
      tickets: ['PAY-812'],
      durationSeconds: 3600,
    });
  });
});

describe('gcp-audit quirks', () => {
  const entry = (timestamp: string) => ({
    insertId: 'q1',
    logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity',
    timestamp,
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      methodName: 'storage.objects.get',
      serviceName: 'storage.googleapis.com',
      authenticationInfo: { principalEmail: 'a@bank.example' },
      resourceName: 'projects/_/buckets/b',
    },
  });

  test('nanosecond timestamps are truncated to milliseconds', () => {
    expect(
      runValues(gcpAuditImporter, [entry('2026-01-01T00:00:00.999999999Z')]).events[0].at,
    ).toBe('2026-01-01T00:00:00.999Z');
  });

  test('Panther timestamps without T and zone are UTC, whatever zone is configured', () => {
    const { events } = runValues(gcpAuditImporter, [entry('2022-05-05 14:00:48.814294000')], {
      timezone: 'America/New_York',
    });
    expect(events[0].at).toBe('2022-05-05T14:00:48.814Z');
  });

  test('a byte-identical repeat is a duplicate; same insertId with other content is not', () => {
    const other = { ...entry('2026-01-01T00:00:01Z') };
    const { accounting } = runValues(gcpAuditImporter, [
      entry('2026-01-01T00:00:00Z'),
      entry('2026-01-01T00:00:00Z'),
      other,
    ]);
    expect(accounting).toMatchObject({ normalized: 2, ignoredByKind: { duplicate: 1 } });
  });

  test('condition expiry: earliest bound of an && expression, none when || could keep it alive', () => {
    expect(
      conditionExpiry(
        'request.time < timestamp("2030-01-01T00:00:00Z") && request.time < timestamp(\'2029-06-01T12:00:00+02:00\')',
      ),
    ).toBe('2029-06-01T10:00:00.000Z');
    expect(
      conditionExpiry(
        'request.time < timestamp("2030-01-01T00:00:00Z") || resource.name.startsWith("x")',
      ),
    ).toBeUndefined();
    expect(conditionExpiry('request.time &lt; timestamp("2030-01-01T00:00:00Z")')).toBe(
      '2030-01-01T00:00:00.000Z',
    );
  });

  test('a SetIamPolicy without bindingDeltas grants nothing', () => {
    const record = {
      ...entry('2026-01-01T00:00:00Z'),
      protoPayload: {
        ...entry('x').protoPayload,
        methodName: 'SetIamPolicy',
        request: {
          policy: { bindings: [{ role: 'roles/owner', members: ['user:z@bank.example'] }] },
        },
      },
    };
    const { events } = runValues(gcpAuditImporter, [record]);
    expect(events).toHaveLength(1);
    expect(events[0].stage).toBe('context');
    expect(events[0].subject).toBeUndefined();
  });

  test('missing timestamp is rejected', () => {
    expect(runValues(gcpAuditImporter, [entry('')]).rejected[0].reason).toMatch(
      /^timestamp missing/,
    );
  });
});

describe.skipIf(!hasShared)('gcp-audit: shared samples, exact values', () => {
  test('the elastic SetIamPolicy gives the single ADD delta, not the seven request bindings', async () => {
    const { events } = await importFile(
      path.join(
        sharedDir,
        'samples/gcp-audit/elastic_test-cloudresourcemanager-googleapis-com.log',
      ),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      stage: 'issuance',
      at: '2024-11-19T13:12:20.942Z',
      subject: { id: 'project-id@cloudservices.gserviceaccount.com', kind: 'service' },
      target: { raw: 'roles/resourcemanager.projectIamAdmin' },
    });
  });

  test('Panther org-level records: REMOVE is a revocation, the Panther timestamp is UTC', async () => {
    const file = path.join(sharedDir, 'samples/gcp-audit/panther_gcp_iam_setiampolicy.ndjson');
    expect(readFileSync(file, 'utf8')).toContain('"timestamp":"2022-05-05 14:00:48.814294000"');
    const { events } = await importFile(file);
    expect(events.find((e) => e.subject?.id === 'backdoor@example.com')).toMatchObject({
      stage: 'issuance',
      at: '2022-05-05T14:00:48.814Z',
    });
    expect(events.find((e) => e.stage === 'revocation')).toMatchObject({
      subject: { id: 'diana@platform.iam.gserviceaccount.com' },
      target: { raw: 'roles/owner' },
    });
  });
});
