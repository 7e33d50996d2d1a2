// Azure Activity Log importer: role assignment lifecycle, PIM requests, elevation and quirks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { azureActivityImporter } from '../../../src/importers/cloud/azure-activity/index.js';
import { essentials, fixture, hasShared, importFile, runValues, sharedDir } from './helpers.js';

const SUB = '2c9e4f10-0000-4000-9000-00000000c001';
const CONTRIB = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const RA = '6f1e2d3c-0000-4000-9000-0000000000a1';
const SP = '8a7b6c5d-0000-4000-9000-000000000301';
const ida = { id: 'ida.schulz@bank.example', raw: 'ida.schulz@bank.example', kind: 'human' };
const rgCore = `/subscriptions/${SUB}/resourceGroups/rg-core`;
const contributorOnRg = {
  id: `${rgCore.toLowerCase()}|${CONTRIB}`,
  raw: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CONTRIB}`,
  kind: 'azure-role',
  name: `Contributor on ${rgCore}`,
};
const customRoles = {
  'azure-activity': {
    customRoles: { 'd3b1a2c4-0000-4000-9000-00000000f00d': 'Payments Operator' },
  },
};

describe('azure-activity: REST export of a role assignment lifecycle', async () => {
  const { events, accounting } = await importFile(
    fixture('azure-activity', 'rest-role-assignment-lifecycle.json'),
    customRoles,
  );

  test('each Start/Succeeded pair counts once', () => {
    expect(accounting).toMatchObject({
      read: 7,
      normalized: 5,
      ignored: 2,
      rejected: 0,
      ignoredByKind: { 'start-of-pair': 2 },
    });
    expect(events).toHaveLength(5);
  });

  test('roleAssignments/write: issuance of Contributor to the service principal', () => {
    expect(essentials(events[0])).toEqual({
      at: '2026-02-03T09:00:01.234Z',
      stage: 'issuance',
      action: 'Microsoft.Authorization/roleAssignments/write',
      outcome: 'success',
      actor: ida,
      subject: { id: SP, raw: SP, kind: 'service' },
      target: contributorOnRg,
      grantKey: RA,
      tickets: [],
    });
  });

  test('activity is tied to the authorizing assignment (evidence id without dashes)', () => {
    expect(events[1]).toMatchObject({
      stage: 'activity',
      action: 'Microsoft.Compute/virtualMachines/restart/action',
      actor: { id: SP, kind: 'service' },
      grantKey: RA,
      target: {
        id: `${rgCore.toLowerCase()}/providers/microsoft.compute/virtualmachines/vm-01`,
        kind: 'azure-resource',
      },
    });
  });

  test('roleAssignments/delete: revocation from the responseBody, Started listed after it', () => {
    expect(events[2]).toMatchObject({
      stage: 'revocation',
      at: '2026-02-03T17:45:02.000Z',
      grantKey: RA,
      subject: { id: SP },
      target: contributorOnRg,
    });
  });

  test('custom role names come from importers.azure-activity.customRoles', () => {
    expect(events[3].target?.name).toBe(`Payments Operator on /subscriptions/${SUB}`);
    expect(events[3].subject).toEqual({
      id: '3b6f0c11-0000-4000-9000-000000000104',
      raw: '3b6f0c11-0000-4000-9000-000000000104',
      kind: 'human',
    });
  });

  test('a failed write stays an issuance attempt with outcome failure', () => {
    expect(events[4]).toMatchObject({
      stage: 'issuance',
      outcome: 'failure',
      target: { name: `Owner on /subscriptions/${SUB}` },
    });
  });
});

describe('azure-activity: diagnostic records (PIM for Azure resources, elevate access)', async () => {
  const { events, accounting } = await importFile(
    fixture('azure-activity', 'diagnostic-PT1H.json'),
  );
  const ofAction = (action: string) =>
    events.filter((e) => e.action.toLowerCase() === action.toLowerCase());

  test('accounting: the service-health record ignored, the elevate Start folded into its Success', () => {
    expect(accounting).toMatchObject({
      read: 6,
      normalized: 4,
      ignored: 2,
      rejected: 0,
      ignoredByKind: { 'Microsoft.ServiceHealth/incident/action': 1, 'start-of-pair': 1 },
    });
  });

  test('SelfActivate with a Provisioned response: request then issuance, 4 h window, ticket', () => {
    const [request, issuance] = ofAction(
      'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTSCHEDULEREQUESTS/WRITE',
    );
    const common = {
      at: '2026-02-05T07:00:02.500Z',
      actor: { id: 'nora.becker@bank.example', kind: 'human' },
      subject: { id: '3b6f0c11-0000-4000-9000-000000000101' },
      target: {
        id: `/subscriptions/${SUB.toLowerCase()}|${OWNER}`,
        name: `Owner on /subscriptions/${SUB}`,
      },
      grantKey: '4e5f6a7b-0000-4000-9000-0000000000d1',
      reason: 'CHG0040404 patch the payment gateway',
      tickets: ['CHG0040404'],
      expiresAt: '2026-02-05T11:00:00.000Z',
      durationSeconds: 14400,
    };
    expect(request).toMatchObject({ stage: 'request', ...common });
    expect(issuance).toMatchObject({ stage: 'issuance', ...common });
  });

  test('eligibility schedule request is context', () => {
    expect(
      ofAction('Microsoft.Authorization/roleEligibilityScheduleRequests/write')[0],
    ).toMatchObject({ stage: 'context' });
  });

  test('elevateAccess/action: User Access Administrator at "/" to the caller, not marked break-glass', () => {
    const elevation = ofAction('Microsoft.Authorization/elevateAccess/action')[0];
    expect(elevation).toMatchObject({
      stage: 'issuance',
      at: '2026-02-06T22:10:00.900Z',
      actor: ida,
      subject: ida,
      target: {
        id: '/|18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
        name: 'User Access Administrator on /',
      },
    });
    expect(elevation.breakGlass).toBeUndefined();
  });

  test('a Start with no final record in the file is context, never an issuance', () => {
    const lone = ofAction('Microsoft.Authorization/roleAssignments/write')[0];
    expect(lone).toMatchObject({ stage: 'context', at: '2026-02-06T23:59:59.000Z' });
    expect(lone.summary).toMatch(/final status is not in this file/);
  });
});

describe('azure-activity quirks', () => {
  const base = {
    time: '2026-01-02T03:04:05.6789012Z',
    resourceId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${RA}`,
    operationName: 'microsoft.authorization/roleassignments/write',
    category: 'Administrative',
    resultType: 'Success',
    correlationId: 'cc-1',
    identity: {
      claims: {
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'Ida.Schulz@bank.example',
      },
    },
    properties: {
      requestbody: {
        Properties: {
          PrincipalId: SP,
          PrincipalType: 'ServicePrincipal',
          RoleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
          Scope: `/subscriptions/${SUB}`,
        },
      },
    },
  };

  test('operation name compared without case; requestbody as an object; 7 digits truncated', () => {
    const { events } = runValues(azureActivityImporter, [base]);
    expect(events[0]).toMatchObject({
      stage: 'issuance',
      at: '2026-01-02T03:04:05.678Z',
      actor: { id: 'ida.schulz@bank.example' },
      target: { name: `Owner on /subscriptions/${SUB}` },
    });
  });

  test('Start after its final record (same correlationId) is ignored as start-of-pair', () => {
    const { accounting } = runValues(azureActivityImporter, [
      base,
      { ...base, resultType: 'Start' },
      { ...base, resultType: 'Accept' },
    ]);
    expect(accounting).toMatchObject({
      normalized: 1,
      ignored: 2,
      ignoredByKind: { 'start-of-pair': 2 },
    });
  });

  test('the same final record twice (REST and diagnostic overlap) is counted once', () => {
    const { accounting } = runValues(azureActivityImporter, [base, { ...base }]);
    expect(accounting).toMatchObject({ normalized: 1, ignoredByKind: { duplicate: 1 } });
  });

  test('unknown role GUIDs are shown as GUIDs; a bad customRoles config is refused', () => {
    const unknown = {
      ...base,
      properties: {
        requestBody: JSON.stringify({
          properties: {
            principalId: SP,
            roleDefinitionId: 'abc12345-0000-4000-9000-000000000000',
            scope: '/',
          },
        }),
      },
    };
    expect(runValues(azureActivityImporter, [unknown]).events[0].target?.name).toBe(
      'role abc12345-0000-4000-9000-000000000000 on /',
    );
    expect(() => azureActivityImporter.createRun({ options: { customRoles: ['Owner'] } })).toThrow(
      /importers\.azure-activity\.customRoles/,
    );
  });

  test('a record with no time is rejected', () => {
    const { rejected } = runValues(azureActivityImporter, [{ ...base, time: undefined }]);
    expect(rejected[0].reason).toMatch(/^time missing/);
  });
});

describe.skipIf(!hasShared)(
  'bug-09: Azure Activity JSON inside strings, claims string or object',
  () => {
    const file = path.join(sharedDir, 'bugcases/bug-09/azure-activity-PT1H.json');

    test('one grant: Owner to the principal on rg-payments, issued and removed, both by Ines', async () => {
      const { events, accounting } = await importFile(file);
      expect(accounting).toMatchObject({ read: 2, normalized: 2, rejected: 0 });
      const scope =
        '/subscriptions/0b5e7c1d-0000-4000-9000-00000000a5b1/resourceGroups/rg-payments';
      const owner = {
        id: `${scope.toLowerCase()}|${OWNER}`,
        raw: `/subscriptions/0b5e7c1d-0000-4000-9000-00000000a5b1/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
        kind: 'azure-role',
        name: `Owner on ${scope}`,
      };
      const principal = {
        id: '4a9d2f3e-0000-4000-9000-0000000033c1',
        raw: '4a9d2f3e-0000-4000-9000-0000000033c1',
        kind: 'human',
      };
      const ines = {
        id: 'ines.moreau@corp.example',
        raw: 'ines.moreau@corp.example',
        kind: 'human',
      };
      const grantKey = 'c7e2a9b4-0000-4000-9000-0000000044d2';
      expect(events[0]).toMatchObject({
        stage: 'issuance',
        at: '2024-09-16T13:04:22.617Z',
        subject: principal,
        target: owner,
        actor: ines,
        grantKey,
      });
      expect(events[1]).toMatchObject({
        stage: 'revocation',
        at: '2024-09-16T17:04:25.004Z',
        subject: principal,
        target: owner,
        actor: ines,
        grantKey,
      });
      for (const event of events)
        expect(event.summary).toContain('91b3c5d7-0000-4000-9000-0000000055e3');
    });

    test('line 2 alone (claims as a JSON string) gives the same actor', () => {
      const second = JSON.parse(readFileSync(file, 'utf8').split('\n')[1]);
      expect(typeof second.identity.claims).toBe('string');
      expect(runValues(azureActivityImporter, [second]).events[0].actor).toEqual({
        id: 'ines.moreau@corp.example',
        raw: 'ines.moreau@corp.example',
        kind: 'human',
      });
    });
  },
);

describe('azure-activity: caller from authorization evidence', () => {
  test('with no claims and no caller, evidence.principalId is the caller', () => {
    const { events } = runValues(azureActivityImporter, [
      {
        time: '2024-12-17T10:30:00.0000000Z',
        resourceId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${RA}`,
        operationName: 'Microsoft.Authorization/roleAssignments/write',
        category: 'Administrative',
        resultType: 'Success',
        correlationId: 'ev-1',
        identity: {
          authorization: {
            evidence: {
              principalId: '6b6d44f0-0000-4000-9000-000000000001',
              principalType: 'User',
              role: 'Owner',
            },
          },
        },
        properties: {
          requestbody: JSON.stringify({
            Properties: {
              PrincipalId: SP,
              PrincipalType: 'ServicePrincipal',
              RoleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
              Scope: `/subscriptions/${SUB}`,
            },
          }),
        },
      },
    ]);
    expect(events[0]).toMatchObject({
      actor: { id: '6b6d44f0-0000-4000-9000-000000000001', kind: 'human' },
      subject: { id: SP, kind: 'service' },
    });
  });
});
