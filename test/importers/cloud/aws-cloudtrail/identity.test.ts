// Identity kind inference from userIdentity, and bug-10 (new Identity Center identity shape).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile, runFiles, runRecords, sharedDir } from './support.js';

const base = {
  eventVersion: '1.09',
  eventTime: '2026-02-01T12:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'ListBuckets',
  recipientAccountId: '204060801234',
};
const actorOf = (userIdentity: unknown, options: Record<string, unknown> = {}) =>
  runRecords([{ ...base, eventID: 'id-1', userIdentity }], options).events[0]?.actor;

describe('aws-cloudtrail identity inference (sources doc 1.2)', () => {
  const roleSession = (
    roleName: string,
    session: string,
    context: Record<string, unknown> = {},
  ) => ({
    type: 'AssumedRole',
    arn: `arn:aws:sts::204060801234:assumed-role/${roleName}/${session}`,
    accessKeyId: 'ASIAFICT000000000001',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: `arn:aws:iam::204060801234:role/${roleName}`,
        userName: roleName,
      },
      ...context,
    },
  });

  it('AWSReservedSSO_ role session: a person named by the session (e-mail lower-cased)', () => {
    expect(actorOf(roleSession('AWSReservedSSO_Admin_0123abcd', 'Frank@Bank.Example'))).toEqual({
      id: 'frank@bank.example',
      raw: 'Frank@Bank.Example',
      kind: 'human',
    });
  });

  it('ec2RoleDelivery, or an instance id as session name: a workload', () => {
    const arn = 'arn:aws:sts::204060801234:assumed-role/app/web-1';
    expect(actorOf(roleSession('app', 'web-1', { ec2RoleDelivery: '2.0' }))).toEqual({
      id: arn,
      raw: arn,
      kind: 'service',
    });
    expect(actorOf(roleSession('app', 'i-0abc1234def567890'))?.kind).toBe('service');
  });

  it('AWSService with invokedBy: the service', () => {
    expect(actorOf({ type: 'AWSService', invokedBy: 'config.amazonaws.com' })).toEqual({
      id: 'config.amazonaws.com',
      raw: 'config.amazonaws.com',
      kind: 'service',
    });
  });

  it('inScopeOf a Lambda function: a workload', () => {
    const identity = {
      ...roleSession('fn-role', 'fn'),
      inScopeOf: { issuerType: 'AWS::Lambda::Function' },
    };
    expect(actorOf(identity)?.kind).toBe('service');
  });

  it('sourceIdentity: the person who started the role chain', () => {
    expect(
      actorOf(roleSession('Ops', 'chained', { sourceIdentity: 'grace@bank.example' })),
    ).toEqual({
      id: 'grace@bank.example',
      raw: 'grace@bank.example',
      kind: 'human',
    });
  });

  it('a plain role session or IAM user says nothing about who is behind it: unknown', () => {
    expect(actorOf(roleSession('Ops', 'job-17'))?.kind).toBe('unknown');
    expect(
      actorOf({ type: 'IAMUser', arn: 'arn:aws:iam::204060801234:user/svc', userName: 'svc' })
        ?.kind,
    ).toBe('unknown');
  });

  it('onBehalfOf: the Identity Center user, keyed by identity store and user id', () => {
    const key = 'arn:aws:identitystore::305070901234:identitystore/d-1/user/u-1';
    const onBehalfOf = {
      userId: 'u-1',
      identityStoreArn: 'arn:aws:identitystore::305070901234:identitystore/d-1',
    };
    expect(actorOf({ ...roleSession('AWSReservedSSO_X_1', 'Typed.Name'), onBehalfOf })).toEqual({
      id: key,
      raw: key,
      kind: 'human',
    });
    expect(actorOf({ type: 'IdentityCenterUser', onBehalfOf })).toEqual({
      id: key,
      raw: key,
      kind: 'human',
    });
  });

  it('with the Identity Store export, an SSO session name joins its store user', () => {
    const options = {
      identityStore: {
        identityStoreArn: 'arn:aws:identitystore::305070901234:identitystore/d-1',
        Users: [{ UserId: 'u-1', UserName: 'frank@bank.example', DisplayName: 'Frank Example' }],
      },
    };
    expect(actorOf(roleSession('AWSReservedSSO_Admin_1', 'FRANK@bank.example'), options)?.id).toBe(
      'arn:aws:identitystore::305070901234:identitystore/d-1/user/u-1',
    );
  });

  it('rejects malformed importer options with the path of the bad key', () => {
    expect(() => runRecords([], { identityStore: { Users: [{ UserName: 'x' }] } })).toThrow(
      /importers\.aws-cloudtrail\.identityStore\.Users\.0\.UserId/,
    );
  });
});

const bugDir = path.join(sharedDir, 'bugcases/bug-10');

describe.skipIf(!existsSync(bugDir))('bug-10: Identity Center identity fields changed', () => {
  const STORE = 'arn:aws:identitystore::111122223333:identitystore/d-90fict0001';
  const nadia = {
    id: `${STORE}/user/b4e8a2c6-0000-4000-9000-00000000aa01`,
    raw: `${STORE}/user/b4e8a2c6-0000-4000-9000-00000000aa01`,
    kind: 'human',
  };
  const load = () => loadFile(path.join(bugDir, 'cloudtrail-identity-center-2025.json'));
  const exportJson = () =>
    JSON.parse(readFileSync(path.join(bugDir, 'identitystore-export.json'), 'utf8'));

  it('old and new shapes are one person, none dropped, none unknown', () => {
    const { files } = runFiles([load()]);
    const { events, accounting } = files[0];
    expect(accounting).toMatchObject({ read: 6, normalized: 6, ignored: 0, rejected: 0 });

    const successful = events.filter((e) => e.outcome === 'success' && e.action !== 'CreateGroup');
    expect(successful.map((e) => [e.at, e.action, e.actor])).toEqual([
      ['2025-06-02T07:40:51.000Z', 'UserAuthentication', nadia],
      ['2025-06-02T07:41:09.000Z', 'Federate', nadia],
      ['2025-08-04T08:12:30.000Z', 'UserAuthentication', nadia],
      ['2025-08-04T08:12:58.000Z', 'Federate', nadia],
    ]);
  });

  it('both Federate events use AWSAdministratorAccess in account 444455556666', () => {
    const federate = runFiles([load()]).files[0].events.filter((e) => e.action === 'Federate');
    expect(federate.map((e) => [e.stage, e.subject?.id, e.target])).toEqual([
      [
        'session-start',
        nadia.id,
        {
          id: 'aws-account/444455556666/permission-set/AWSAdministratorAccess',
          raw: '444455556666 AWSAdministratorAccess',
          kind: 'permission-set',
          name: 'AWSAdministratorAccess',
        },
      ],
      [
        'session-start',
        nadia.id,
        {
          id: 'aws-account/444455556666/permission-set/AWSAdministratorAccess',
          raw: '444455556666 AWSAdministratorAccess',
          kind: 'permission-set',
          name: 'AWSAdministratorAccess',
        },
      ],
    ]);
  });

  it('the failed sign-in with a hidden user name has no known actor', () => {
    const failed = runFiles([load()]).files[0].events.find(
      (e) => e.at === '2025-08-04T08:13:40.000Z',
    );
    expect(failed).toMatchObject({
      action: 'UserAuthentication',
      outcome: 'failure',
      stage: 'activity',
    });
    expect(failed?.actor).toBeUndefined();
    expect(failed?.subject).toBeUndefined();
    expect(JSON.stringify(failed)).not.toContain('HIDDEN_DUE_TO_SECURITY_REASONS');
  });

  it('the created group is its id; its name comes only from the Identity Store export', () => {
    const plain = runFiles([load()]).files[0].events.find((e) => e.action === 'CreateGroup');
    expect(plain?.target).toEqual({
      id: 'c1d2e3f4-0000-4000-9000-00000000bb02',
      raw: 'c1d2e3f4-0000-4000-9000-00000000bb02',
      kind: 'group',
    });
    expect(JSON.stringify(plain)).not.toContain('HIDDEN_DUE_TO_SECURITY_REASONS');

    const named = runFiles([load()], { identityStore: exportJson() }).files[0].events.find(
      (e) => e.action === 'CreateGroup',
    );
    expect(named?.target).toEqual({
      id: 'c1d2e3f4-0000-4000-9000-00000000bb02',
      raw: 'c1d2e3f4-0000-4000-9000-00000000bb02',
      kind: 'group',
      name: 'Prod-Breakglass-Admins',
    });
  });

  it('with the export, the person is shown as Nadia Okafor under the same key', () => {
    const events = runFiles([load()], { identityStore: exportJson() }).files[0].events;
    const federate = events.filter((e) => e.action === 'Federate');
    expect(federate.map((e) => e.actor?.id)).toEqual([nadia.id, nadia.id]);
    expect(federate[0].summary).toBe(
      'Nadia Okafor entered an AWS account through the Identity Center portal with AWSAdministratorAccess in account 444455556666',
    );
  });
});
