// Entra ID importer: PIM lifecycle stages, sign-ins, CSV layouts, and each vendor quirk.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { entraIdImporter } from '../../../src/importers/idp/entra-id/index.js';
import {
  essentials,
  fixture,
  hasShared,
  importFile,
  runValues,
  sharedDir,
} from '../cloud/helpers.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const REQ = '7d4b2a19-0000-4000-9000-0000000000b1';
const REQ2 = '7d4b2a19-0000-4000-9000-0000000000c2';
const nora = { id: 'nora.becker@bank.example', raw: 'Nora.Becker@bank.example', kind: 'human' };
const jonas = { id: 'jonas.weber@bank.example', raw: 'jonas.weber@bank.example', kind: 'human' };
const ida = { id: 'ida.schulz@bank.example', raw: 'ida.schulz@bank.example', kind: 'human' };
const globalAdmin = { id: GA, raw: GA, kind: 'entra-role', name: 'Global Administrator' };
const justification = 'CHG0031337 rotate the conditional access policy';

describe('entra-id: PIM lifecycle from a Graph directoryAudits page', async () => {
  const { events, accounting } = await importFile(
    fixture('entra-id', 'directory-audits-pim-lifecycle.json'),
  );
  const byId = (stageAction: string) => events.filter((e) => e.action === stageAction);

  test('every record is normalized once', () => {
    expect(accounting).toMatchObject({
      importer: 'entra-id',
      read: 11,
      normalized: 11,
      ignored: 0,
      rejected: 0,
    });
  });

  test('activation requested: request with justification, ticket and requested window', () => {
    expect(essentials(byId('Add member to role requested (PIM activation)')[0])).toEqual({
      at: '2026-02-10T08:00:03.045Z',
      stage: 'request',
      action: 'Add member to role requested (PIM activation)',
      outcome: 'success',
      actor: nora,
      subject: nora,
      target: globalAdmin,
      tickets: ['CHG0031337'],
      grantKey: REQ,
      reason: justification,
      expiresAt: '2026-02-10T12:00:05.123Z',
      durationSeconds: 14400,
    });
  });

  test('approval is joined by the request id although its correlationId differs', () => {
    const approval = byId('Add member to role request approved (PIM activation)')[0];
    expect(approval).toMatchObject({
      stage: 'approval',
      actor: jonas,
      subject: nora,
      grantKey: REQ,
      at: '2026-02-10T08:00:04.500Z',
    });
    expect(approval.grantKey).not.toBe('c0ffee01-0000-4000-9000-000000000002');
  });

  test('activation completed: issuance expiring at ExpirationTime, 7-digit fraction truncated', () => {
    const [first, second] = byId('Add member to role completed (PIM activation)');
    expect(first).toMatchObject({
      stage: 'issuance',
      at: '2026-02-10T08:00:05.999Z',
      grantKey: REQ,
      subject: nora,
      target: globalAdmin,
      expiresAt: '2026-02-10T12:00:05.123Z',
      tickets: ['CHG0031337'],
    });
    expect(second).toMatchObject({
      stage: 'issuance',
      grantKey: REQ2,
      expiresAt: '2026-02-11T11:15:00.000Z',
      tickets: ['INC0004242'],
    });
  });

  test('the Core Directory copy written by MS-PIM is context, role decoded from modifiedProperties', () => {
    expect(essentials(byId('Add member to role')[0])).toEqual({
      at: '2026-02-10T08:00:05.800Z',
      stage: 'context',
      action: 'Add member to role',
      outcome: 'success',
      actor: { id: 'MS-PIM', raw: 'MS-PIM', kind: 'service' },
      subject: nora,
      target: globalAdmin,
      tickets: [],
    });
  });

  test('activation expired: expiry by the PIM system identity, principal found by type at index 3', () => {
    expect(byId('Remove member from role (PIM activation expired)')[0]).toMatchObject({
      stage: 'expiry',
      at: '2026-02-10T12:00:06.000Z',
      actor: { id: 'Azure AD PIM', kind: 'service' },
      subject: nora,
      target: globalAdmin,
      grantKey: REQ,
    });
  });

  test('deactivation: the request is context, the completion is the revocation', () => {
    expect(byId('Remove member from role requested (PIM deactivate)')[0]).toMatchObject({
      stage: 'context',
      grantKey: REQ2,
    });
    expect(byId('Remove member from role completed (PIM deactivate)')[0]).toMatchObject({
      stage: 'revocation',
      grantKey: REQ2,
      subject: nora,
      at: '2026-02-11T09:40:01.000Z',
    });
  });

  test('denial, eligibility change and a permanent assignment outside PIM', () => {
    expect(byId('Add member to role request denied (PIM activation)')[0]).toMatchObject({
      stage: 'denial',
      actor: jonas,
      reason: 'no ticket given',
    });
    expect(byId('Add eligible member to role in PIM completed (timebound)')[0]).toMatchObject({
      stage: 'context',
      actor: ida,
    });
    const standing = byId('Add member to role outside of PIM (permanent)')[0];
    expect(standing).toMatchObject({
      stage: 'issuance',
      actor: ida,
      subject: jonas,
      target: globalAdmin,
    });
    expect(standing.grantKey).toBeUndefined();
    expect(standing.expiresAt).toBeUndefined();
  });
});

describe('entra-id: sign-ins from a diagnostic-setting blob', async () => {
  const { events, accounting, rejected } = await importFile(
    fixture('entra-id', 'diagnostic-signins-PT1H.json'),
  );

  test('accounting: 5 sign-ins, the provisioning record ignored, the timeless record rejected', () => {
    expect(accounting).toMatchObject({
      read: 7,
      normalized: 5,
      ignored: 1,
      rejected: 1,
      ignoredByKind: { ProvisioningLogs: 1 },
    });
    expect(rejected[0]).toMatchObject({ locator: 'line 6' });
    expect(rejected[0].reason).toMatch(/^createdDateTime missing/);
  });

  test('interactive sign-in with a second factor', () => {
    expect(essentials(events[0])).toEqual({
      at: '2026-02-10T07:58:12.003Z',
      stage: 'session-start',
      action: 'SignInLogs',
      outcome: 'success',
      actor: nora,
      subject: nora,
      target: {
        id: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
        raw: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
        kind: 'app',
        name: 'Windows Azure Service Management API',
      },
      mfa: true,
      sessionId: '5e55f00d-0000-4000-9000-000000000001',
      tickets: [],
    });
  });

  test('failed single-factor sign-in: outcome from status.errorCode, mfa false', () => {
    expect(events[1]).toMatchObject({
      outcome: 'failure',
      mfa: false,
      subject: jonas,
      at: '2026-02-10T08:29:59.500Z',
    });
    expect(events[1].summary).toContain('50126');
  });

  test('non-interactive refresh satisfied by an MFA claim; workloads have no mfa and are services', () => {
    expect(events[2]).toMatchObject({
      action: 'NonInteractiveUserSignInLogs',
      mfa: true,
      at: '2026-02-10T09:01:00.000Z',
    });
    expect(events[3]).toMatchObject({
      action: 'ServicePrincipalSignInLogs',
      subject: { id: '8a7b6c5d-0000-4000-9000-000000000301', kind: 'service' },
    });
    expect(events[3].mfa).toBeUndefined();
    expect(events[3].summary).toContain('payments-deployer');
    expect(events[4]).toMatchObject({
      action: 'ManagedIdentitySignInLogs',
      subject: { kind: 'service' },
    });
  });
});

describe('entra-id-csv: portal downloads and Log Analytics export', () => {
  test('portal audit CSV: PIM request and activation joined by the Request target id', async () => {
    const { events, accounting } = await importFile(fixture('entra-id', 'portal-audit-logs.csv'));
    expect(accounting).toMatchObject({ importer: 'entra-id-csv', read: 2, normalized: 2 });
    const userAdmin = {
      id: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
      kind: 'entra-role',
      name: 'User Administrator',
    };
    expect(events[0]).toMatchObject({
      stage: 'request',
      at: '2026-03-02T14:05:09.123Z',
      grantKey: '7d4b2a19-0000-4000-9000-0000000000f5',
      tickets: ['RITM0012345'],
      reason: 'RITM0012345 quarterly access review fixes',
      target: userAdmin,
      subject: { id: 'nora.becker@bank.example' },
      expiresAt: '2026-03-02T16:05:08.000Z',
    });
    expect(events[1]).toMatchObject({
      stage: 'issuance',
      grantKey: '7d4b2a19-0000-4000-9000-0000000000f5',
      target: userAdmin,
    });
  });

  test('portal sign-in CSV: MFA result and error code columns', async () => {
    const { events } = await importFile(fixture('entra-id', 'portal-signin-logs.csv'));
    expect(events[0]).toMatchObject({
      stage: 'session-start',
      at: '2026-03-02T14:03:00.000Z',
      outcome: 'success',
      mfa: true,
      sessionId: '5e55f00d-0000-4000-9000-000000000002',
    });
    expect(events[1]).toMatchObject({
      outcome: 'failure',
      mfa: false,
      subject: { id: 'jonas.weber@bank.example' },
    });
  });

  test('Log Analytics CSV: JSON-text columns decoded, ActivityDateTime used (not TimeGenerated)', async () => {
    const { events } = await importFile(fixture('entra-id', 'log-analytics-auditlogs.csv'));
    expect(essentials(events[0])).toEqual({
      at: '2026-03-03T09:11:58.001Z',
      stage: 'issuance',
      action: 'Add member to role',
      outcome: 'success',
      actor: ida,
      subject: { id: 'paul.klein@bank.example', raw: 'paul.klein@bank.example', kind: 'human' },
      target: {
        id: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
        raw: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
        kind: 'entra-role',
        name: 'Privileged Role Administrator',
      },
      tickets: [],
    });
  });
});

describe('entra-id quirks', () => {
  const audit = (overrides: Record<string, unknown>) => ({
    id: 'PIM_q',
    activityDisplayName: 'Add member to role completed (PIM activation)',
    activityDateTime: '2026-01-05T10:00:00.0000000Z',
    loggedByService: 'PIM',
    result: 'success',
    initiatedBy: { user: { userPrincipalName: 'a@bank.example' } },
    targetResources: [
      { type: 'User', id: 'u1', userPrincipalName: 'b@bank.example' },
      { type: 'Request', id: 'req-1' },
      { type: 'Role', id: 'r1', displayName: 'Exchange Administrator' },
    ],
    additionalDetails: [],
    ...overrides,
  });

  test('targetResources are matched by type, whatever their order', () => {
    const { events } = runValues(entraIdImporter, [audit({})]);
    expect(events[0]).toMatchObject({
      subject: { id: 'b@bank.example' },
      target: { id: 'r1', name: 'Exchange Administrator' },
      grantKey: 'req-1',
    });
  });

  test('keys compared case-insensitively (Graph docs capitalise Type)', () => {
    const { events } = runValues(entraIdImporter, [
      audit({
        targetResources: [
          { Type: 'Role', Id: 'r2', DisplayName: 'Helpdesk Administrator' },
          { Type: 'User', Id: 'u2', UserPrincipalName: 'c@bank.example' },
        ],
      }),
    ]);
    expect(events[0]).toMatchObject({ subject: { id: 'c@bank.example' }, target: { id: 'r2' } });
  });

  test('RoleAssignmentRequestId in additionalDetails wins over the Request target and correlationId', () => {
    const { events } = runValues(entraIdImporter, [
      audit({
        correlationId: 'corr-9',
        additionalDetails: [{ key: 'RoleAssignmentRequestId', value: 'rar-7' }],
      }),
    ]);
    expect(events[0].grantKey).toBe('rar-7');
  });

  test('7-digit fractions: truncated, leading zeros kept, never rounded', () => {
    const { events } = runValues(entraIdImporter, [
      audit({ activityDateTime: '2026-01-05T10:00:00.0824212Z' }),
      audit({ activityDateTime: '2026-01-05T10:00:59.9999999+00:00' }),
    ]);
    expect(events.map((e) => e.at)).toEqual([
      '2026-01-05T10:00:00.082Z',
      '2026-01-05T10:00:59.999Z',
    ]);
  });

  test('Panther times without T or zone are UTC (Microsoft defines these fields as UTC)', () => {
    const { events } = runValues(
      entraIdImporter,
      [audit({ activityDateTime: '2024-12-16 16:32:16.087554000' })],
      { timezone: 'Europe/Berlin' },
    );
    expect(events[0].at).toBe('2024-12-16T16:32:16.087Z');
  });

  test('modifiedProperties new values are decoded twice', () => {
    const { events } = runValues(entraIdImporter, [
      audit({
        activityDisplayName: 'Add member to role',
        loggedByService: 'Core Directory',
        targetResources: [
          {
            type: 'User',
            id: 'u3',
            userPrincipalName: 'd@bank.example',
            modifiedProperties: [
              { displayName: 'Role.DisplayName', newValue: '"Security Administrator"' },
              {
                displayName: 'Role.TemplateId',
                newValue: '"194ae4cb-b126-40b2-bd5b-6091b380977d"',
              },
            ],
          },
        ],
      }),
    ]);
    expect(events[0].target).toEqual({
      id: '194ae4cb-b126-40b2-bd5b-6091b380977d',
      raw: '194ae4cb-b126-40b2-bd5b-6091b380977d',
      kind: 'entra-role',
      name: 'Security Administrator',
    });
    expect(events[0].stage).toBe('issuance');
  });

  test('TicketNumber and TicketSystem from PIM additionalDetails reach tickets and the summary', () => {
    const { events } = runValues(entraIdImporter, [
      audit({
        additionalDetails: [
          { key: 'Justification', value: 'see the change' },
          { key: 'TicketNumber', value: '4711' },
          { key: 'TicketSystem', value: 'Jira' },
        ],
      }),
    ]);
    expect(events[0]).toMatchObject({ tickets: ['4711'], reason: 'see the change' });
    expect(events[0].summary).toContain('ticket Jira 4711');
  });

  test('an audit record with no time at all is rejected, not stamped now', () => {
    const { accounting, rejected } = runValues(entraIdImporter, [
      audit({ activityDateTime: undefined }),
    ]);
    expect(accounting).toMatchObject({ rejected: 1, normalized: 0 });
    expect(rejected[0].reason).toMatch(/activityDateTime missing/);
  });
});

describe.skipIf(!hasShared)(
  'bug-08: Entra 7-digit fractions and records without top-level time',
  () => {
    const file = path.join(sharedDir, 'bugcases/bug-08/entra-signins-mixed.ndjson');
    const values = () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l));

    test('exact times, identities and order from expect.md', async () => {
      const { events, accounting } = await importFile(file);
      expect(accounting).toMatchObject({ read: 2, normalized: 2, rejected: 0 });
      expect(events.map((e) => e.at)).toEqual([
        '2025-07-01T10:45:17.082Z',
        '2025-07-01T10:45:17.999Z',
      ]);
      expect(events[0]).toMatchObject({
        subject: { id: '5e1a77c0-0000-4000-9000-000000000b02', kind: 'service' },
        outcome: 'success',
        action: 'ServicePrincipalSignInLogs',
      });
      expect(events[0].summary).toContain('deploy-bot-fict');
      expect(events[1]).toMatchObject({
        subject: { id: 'sofia.lindqvist@corp.example', kind: 'human' },
        outcome: 'success',
      });
      expect(events[0].at < events[1].at).toBe(true);
    });

    test('a record with neither time nor createdDateTime is rejected (quarantined)', () => {
      const [first] = values();
      delete first.CreatedDateTime;
      const { accounting, rejected, events } = runValues(entraIdImporter, [first]);
      expect(events).toHaveLength(0);
      expect(accounting.rejected).toBe(1);
      expect(rejected[0].reason).toMatch(
        /createdDateTime missing.*TimeGenerated is ingestion time/,
      );
    });

    test('durationMs as the string "0" does not disturb the record', () => {
      const second = values()[1];
      expect(second.durationMs).toBe('0');
      expect(runValues(entraIdImporter, [second]).accounting.normalized).toBe(1);
    });
  },
);
