// Exact normalized events for every lifecycle stage, from the fixtures we wrote.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../../src/model/event.js';
import { essentials, fixturesDir, loadFile, runFiles, walk, type RunResult } from './support.js';

const PROD = '204060801234';
const alice = { id: 'alice@bank.example', raw: 'alice@bank.example', kind: 'human' };
const bob = {
  id: `arn:aws:iam::${PROD}:user/bob`,
  raw: `arn:aws:iam::${PROD}:user/bob`,
  kind: 'unknown',
};
const dave = {
  id: `arn:aws:iam::${PROD}:user/dave`,
  raw: `arn:aws:iam::${PROD}:user/dave`,
  kind: 'unknown',
};
const deployBot = {
  id: `arn:aws:iam::${PROD}:user/deploy-bot`,
  raw: `arn:aws:iam::${PROD}:user/deploy-bot`,
  kind: 'unknown',
};
const adminPolicy = {
  id: 'arn:aws:iam::aws:policy/AdministratorAccess',
  raw: 'arn:aws:iam::aws:policy/AdministratorAccess',
  kind: 'policy',
  name: 'AdministratorAccess',
};
const role = (name: string) => ({
  id: `arn:aws:iam::${PROD}:role/${name}`,
  raw: `arn:aws:iam::${PROD}:role/${name}`,
  kind: 'role',
  name,
});
const STORE_USER = `arn:aws:identitystore::305070901234:identitystore/d-93fict0042/user/c0ffee00-0000-4000-9000-0000000e7101`;
const erin = { id: STORE_USER, raw: STORE_USER, kind: 'human' };
const team = {
  id: 'arn:aws:sts::305070901234:assumed-role/TEAM-Grant-SM-Role/team-grant-sfn',
  raw: 'arn:aws:sts::305070901234:assumed-role/TEAM-Grant-SM-Role/team-grant-sfn',
  kind: 'unknown',
};

let result: RunResult;
const byFile = (suffix: string): TimelineEvent[] => {
  const file = result.files.find((f) => f.accounting.file.endsWith(suffix));
  if (!file) throw new Error(`no file ${suffix}`);
  return file.events;
};
const one = (suffix: string, action: string, nth = 0) =>
  essentials(byFile(suffix).filter((e) => e.action === action)[nth]);

beforeAll(() => {
  const files = [
    ...walk(path.join(fixturesDir, 's3-intact')),
    path.join(fixturesDir, 'siem-export.ndjson'),
    path.join(fixturesDir, 'event-history.json'),
  ];
  result = runFiles(files.map((f) => loadFile(f)));
});

describe('aws-cloudtrail: every record is accounted for', () => {
  it('normalizes all fixture records, ignores digests and repeated eventIDs, rejects none', () => {
    const totals = result.files.map((f) => [
      f.accounting.read,
      f.accounting.normalized,
      f.accounting.ignored,
    ]);
    expect(totals).toEqual([
      [1, 0, 1],
      [1, 0, 1],
      [1, 0, 1],
      [1, 0, 1], // the four digests
      [3, 3, 0],
      [4, 4, 0],
      [3, 2, 1],
      [14, 14, 0], // the log files
      [10, 10, 0], // NDJSON
      [4, 3, 1], // event history
    ]);
    expect(result.files.flatMap((f) => f.rejected)).toEqual([]);
    expect(result.files[6].accounting.ignoredByKind).toEqual({ duplicate: 1 });
    expect(result.files[9].accounting.ignoredByKind).toEqual({ duplicate: 1 });
    expect(result.files[0].accounting.ignoredByKind).toEqual({ digest: 1 });
  });
});

describe('aws-cloudtrail: STS issuance', () => {
  it('AssumeRole: subject is the session (sourceIdentity), expiry from the stated expiration text', () => {
    expect(one('Intact01.json.gz', 'AssumeRole')).toEqual({
      stage: 'issuance',
      at: '2026-01-15T09:01:02.000Z',
      actor: alice,
      subject: alice,
      target: role('ProdAdmin'),
      tickets: ['CHG0012345', 'OPS-778'],
      grantKey: 'ASIAFICTPRODADMIN001',
      expiresAt: '2026-01-15T09:31:02.000Z',
      durationSeconds: 1800,
      sessionId: undefined,
      mfa: undefined,
      outcome: 'success',
      action: 'AssumeRole',
      locator: '/Records/1',
    });
    const event = byFile('Intact01.json.gz').find((e) => e.action === 'AssumeRole');
    expect(event?.reason).toBe(
      'roleSessionName=CHG0012345-alice; sourceIdentity=alice@bank.example; ' +
        'tags: Ticket=CHG0012345, Reason=rotate TLS cert per OPS-778',
    );
  });

  it('AssumeRoleWithSAML without expiration or duration: default 3600 s, ticket from principalTags', () => {
    const session = `arn:aws:sts::${PROD}:assumed-role/BreakGlassAdmin/carol@bank.example`;
    expect(one('Intact02.json.gz', 'AssumeRoleWithSAML')).toMatchObject({
      stage: 'issuance',
      at: '2026-01-15T09:06:00.000Z',
      actor: { id: 'carol@bank.example', raw: 'carol@bank.example', kind: 'human' },
      // An ARN holding an e-mail is kept exactly, not lower-cased as if it were one.
      subject: { id: session, raw: session, kind: 'human' },
      target: role('BreakGlassAdmin'),
      tickets: ['INC0042001'],
      grantKey: 'ASIAFICTCAROLSAML001',
      expiresAt: '2026-01-15T10:06:00.000Z',
      durationSeconds: undefined,
      locator: '/Records/1',
    });
  });

  it('AssumeRoleWithWebIdentity: expiry from durationSeconds', () => {
    const session = `arn:aws:sts::${PROD}:assumed-role/GitHubDeploy/GitHubActions`;
    expect(one('Intact02.json.gz', 'AssumeRoleWithWebIdentity')).toMatchObject({
      stage: 'issuance',
      at: '2026-01-15T09:07:30.000Z',
      actor: { id: 'repo:bank-example/deploy:ref:refs/heads/main', kind: 'unknown' },
      subject: { id: session, raw: session, kind: 'unknown' },
      target: role('GitHubDeploy'),
      tickets: [],
      grantKey: 'ASIAFICTGITHUB000001',
      expiresAt: '2026-01-15T09:22:30.000Z',
      durationSeconds: 900,
      locator: '/Records/2',
    });
  });

  it('GetSessionToken: the caller receives credentials; default 43200 s', () => {
    expect(one('Intact02.json.gz', 'GetSessionToken')).toMatchObject({
      stage: 'issuance',
      at: '2026-01-15T09:08:00.000Z',
      actor: bob,
      subject: bob,
      target: { id: bob.id, raw: bob.id, kind: 'user', name: 'bob' },
      grantKey: 'ASIAFICTBOBSESSION01',
      expiresAt: '2026-01-15T21:08:00.000Z',
      locator: '/Records/3',
    });
  });

  it('GetFederationToken from a Logstash record: @timestamp, federated user, ticket tag, 12 h default', () => {
    const federated = `arn:aws:sts::${PROD}:federated-user/bob-vendor-portal`;
    expect(one('siem-export.ndjson', 'GetFederationToken')).toMatchObject({
      stage: 'issuance',
      at: '2026-01-16T08:07:00.000Z',
      actor: bob,
      subject: { id: federated, raw: federated, kind: 'unknown' },
      target: { id: bob.id, kind: 'user', name: 'bob' },
      tickets: ['OPS-991'],
      grantKey: 'ASIAFICTBOBFEDERATE1',
      expiresAt: '2026-01-16T20:07:00.000Z',
      locator: 'line 7',
    });
  });

  it('AssumeRole from an event-history item (CloudTrailEvent string) with no duration: 3600 s', () => {
    const session = `arn:aws:sts::${PROD}:assumed-role/Deployer/pipeline-4711`;
    expect(one('event-history.json', 'AssumeRole')).toMatchObject({
      stage: 'issuance',
      at: '2026-01-16T10:00:00.000Z',
      actor: { id: `arn:aws:iam::${PROD}:user/ci-runner`, kind: 'unknown' },
      subject: { id: session, kind: 'unknown' },
      target: role('Deployer'),
      grantKey: 'ASIAFICTDEPLOYER0001',
      expiresAt: '2026-01-16T11:00:00.000Z',
      locator: '/Events/0',
    });
  });

  it('sso GetRoleCredentials: target from serviceEventDetails, no invented expiry', () => {
    expect(one('siem-export.ndjson', 'GetRoleCredentials')).toEqual({
      stage: 'issuance',
      at: '2026-01-16T08:03:10.000Z',
      actor: erin,
      subject: erin,
      target: {
        id: `aws-account/${PROD}/permission-set/ProdOperator`,
        raw: `${PROD} ProdOperator`,
        kind: 'permission-set',
        name: 'ProdOperator',
      },
      tickets: [],
      grantKey: undefined,
      expiresAt: undefined,
      durationSeconds: undefined,
      sessionId: undefined,
      mfa: undefined,
      outcome: 'success',
      action: 'GetRoleCredentials',
      locator: 'line 2',
    });
  });
});

describe('aws-cloudtrail: sessions', () => {
  it('ConsoleLogin with MFA is a session start on the account', () => {
    expect(one('Intact01.json.gz', 'ConsoleLogin')).toMatchObject({
      stage: 'session-start',
      at: '2026-01-15T09:02:40.000Z',
      actor: bob,
      subject: bob,
      target: { id: PROD, kind: 'account' },
      mfa: true,
      outcome: 'success',
      locator: '/Records/0',
    });
  });

  it('a failed ConsoleLogin with a hidden user name is failed activity with no actor', () => {
    const failed = one('Intact01.json.gz', 'ConsoleLogin', 1);
    expect(failed).toMatchObject({
      stage: 'activity',
      outcome: 'failure',
      at: '2026-01-15T09:03:05.000Z',
    });
    expect(failed.actor).toBeUndefined();
    expect(failed.subject).toBeUndefined();
  });

  it('ssm StartSession / TerminateSession share the sessionId and the credential key', () => {
    const start = one('Intact03.json.gz', 'StartSession');
    const end = one('Intact03.json.gz', 'TerminateSession');
    expect(start).toMatchObject({
      stage: 'session-start',
      at: '2026-01-15T10:05:00.000Z',
      actor: alice,
      subject: alice,
      target: { id: 'i-0fict00000000beef', kind: 'host' },
      grantKey: 'ASIAFICTPRODADMIN001',
      sessionId: 'CHG0012345-alice-0fict0000000beef1',
      locator: '/Records/0',
    });
    expect(end).toMatchObject({
      stage: 'session-end',
      at: '2026-01-15T10:15:00.000Z',
      grantKey: 'ASIAFICTPRODADMIN001',
      sessionId: 'CHG0012345-alice-0fict0000000beef1',
      locator: '/Records/1',
    });
  });

  it('sso Federate is a portal session start with the permission set', () => {
    expect(one('siem-export.ndjson', 'Federate')).toMatchObject({
      stage: 'session-start',
      at: '2026-01-16T08:03:12.000Z',
      actor: erin,
      target: { id: `aws-account/${PROD}/permission-set/ProdOperator`, kind: 'permission-set' },
      locator: 'line 3',
    });
  });
});

describe('aws-cloudtrail: activity', () => {
  it('a call with issued credentials carries their access key id and the role in use', () => {
    expect(one('Intact02.json.gz', 'GetObject')).toMatchObject({
      stage: 'activity',
      at: '2026-01-15T09:05:44.000Z',
      actor: alice,
      subject: alice,
      target: role('ProdAdmin'),
      grantKey: 'ASIAFICTPRODADMIN001',
      expiresAt: undefined,
      locator: '/Records/0',
    });
  });

  it('an Identity Center role session acting for a user keeps the user and the role', () => {
    const sso = 'AWSReservedSSO_ProdOperator_99aa88bb77cc66dd';
    expect(one('siem-export.ndjson', 'StopInstances')).toMatchObject({
      stage: 'activity',
      actor: erin,
      grantKey: 'ASIAFICTERINOPER0001',
      target: {
        id: `arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/${sso}`,
        kind: 'role',
        name: sso,
      },
    });
  });
});

describe('aws-cloudtrail: IAM standing grants and revocations', () => {
  const file = 'IamUse01.json.gz';
  const inline = {
    id: `arn:aws:iam::${PROD}:user/dave:inline-policy/cert-rotation`,
    raw: 'cert-rotation',
    kind: 'inline-policy',
    name: 'cert-rotation',
  };
  const admins = {
    id: `arn:aws:iam::${PROD}:group/Admins`,
    raw: 'Admins',
    kind: 'group',
    name: 'Admins',
  };
  const key = {
    id: 'AKIAFICTDEPLOYBOT001',
    raw: 'AKIAFICTDEPLOYBOT001',
    kind: 'access-key',
    name: 'access key of deploy-bot',
  };
  const password = {
    id: `${dave.id}:login-profile`,
    raw: dave.id,
    kind: 'console-password',
    name: 'console password',
  };

  it.each([
    [
      'AttachUserPolicy',
      'issuance',
      dave,
      adminPolicy,
      undefined,
      '2026-01-15T10:01:00.000Z',
      '/Records/0',
    ],
    [
      'PutUserPolicy',
      'issuance',
      dave,
      inline,
      undefined,
      '2026-01-15T10:01:10.000Z',
      '/Records/1',
    ],
    [
      'AddUserToGroup',
      'issuance',
      dave,
      admins,
      undefined,
      '2026-01-15T10:01:30.000Z',
      '/Records/3',
    ],
    [
      'CreateAccessKey',
      'issuance',
      deployBot,
      key,
      'AKIAFICTDEPLOYBOT001',
      '2026-01-15T10:01:40.000Z',
      '/Records/4',
    ],
    [
      'CreateLoginProfile',
      'issuance',
      dave,
      password,
      undefined,
      '2026-01-15T10:01:50.000Z',
      '/Records/5',
    ],
    [
      'DetachUserPolicy',
      'revocation',
      dave,
      adminPolicy,
      undefined,
      '2026-01-15T10:20:00.000Z',
      '/Records/6',
    ],
    [
      'DeleteUserPolicy',
      'revocation',
      dave,
      inline,
      undefined,
      '2026-01-15T10:20:10.000Z',
      '/Records/7',
    ],
    [
      'RemoveUserFromGroup',
      'revocation',
      dave,
      admins,
      undefined,
      '2026-01-15T10:20:20.000Z',
      '/Records/8',
    ],
    [
      'UpdateAccessKey',
      'revocation',
      deployBot,
      key,
      'AKIAFICTDEPLOYBOT001',
      '2026-01-15T10:20:30.000Z',
      '/Records/9',
    ],
    [
      'DeleteAccessKey',
      'revocation',
      deployBot,
      key,
      'AKIAFICTDEPLOYBOT001',
      '2026-01-15T10:20:40.000Z',
      '/Records/10',
    ],
    [
      'DeleteLoginProfile',
      'revocation',
      dave,
      password,
      undefined,
      '2026-01-15T10:20:50.000Z',
      '/Records/11',
    ],
  ])('%s is %s', (action, stage, subject, target, grantKey, at, locator) => {
    expect(one(file, action)).toEqual({
      stage,
      at,
      actor: alice,
      subject,
      target,
      tickets: [],
      grantKey,
      expiresAt: undefined,
      durationSeconds: undefined,
      sessionId: undefined,
      mfa: undefined,
      outcome: 'success',
      action,
      locator,
    });
  });

  it('AttachRolePolicy: the role is the subject', () => {
    const certRotator = `arn:aws:iam::${PROD}:role/CertRotator`;
    expect(one(file, 'AttachRolePolicy')).toMatchObject({
      stage: 'issuance',
      subject: { id: certRotator, kind: 'unknown' },
      target: { id: `arn:aws:iam::${PROD}:policy/CertWrite`, kind: 'policy', name: 'CertWrite' },
    });
  });

  it('PutRolePolicy AWSRevokeOlderSessions revokes the sessions of the role', () => {
    const event = one(file, 'PutRolePolicy');
    expect(event).toMatchObject({
      stage: 'revocation',
      target: role('ProdAdmin'),
      at: '2026-01-15T10:21:00.000Z',
    });
    expect(event.subject).toBeUndefined();
  });

  it('a failed AttachUserPolicy (AccessDenied) is never a grant: failed activity of the caller', () => {
    expect(one(file, 'AttachUserPolicy', 1)).toEqual({
      stage: 'activity',
      at: '2026-01-15T10:21:10.000Z',
      actor: bob,
      subject: bob,
      target: adminPolicy,
      tickets: [],
      grantKey: 'AKIAFICTBOB000000001',
      expiresAt: undefined,
      durationSeconds: undefined,
      sessionId: undefined,
      mfa: undefined,
      outcome: 'failure',
      action: 'AttachUserPolicy',
      locator: '/Records/13',
    });
  });

  it('CreateAccessKey without userName belongs to the caller; UpdateAccessKey Active re-issues', () => {
    const ci = `arn:aws:iam::${PROD}:user/ci-runner`;
    expect(one('event-history.json', 'CreateAccessKey')).toMatchObject({
      stage: 'issuance',
      subject: { id: ci },
      grantKey: 'AKIAFICTCIRUNNER0002',
      locator: '/Events/1',
    });
    expect(one('event-history.json', 'UpdateAccessKey')).toMatchObject({
      stage: 'issuance',
      subject: { id: ci },
      grantKey: 'AKIAFICTCIRUNNER0001',
    });
  });
});

describe('aws-cloudtrail: Identity Center assignments and Identity Store groups', () => {
  const psArn = 'arn:aws:sso:::permissionSet/ssoins-fict0000000000aa/ps-fict00000000bb01';
  const assignee =
    'arn:aws:sso:::instance/ssoins-fict0000000000aa/user/c0ffee00-0000-4000-9000-0000000e7101';

  it('CreateAccountAssignment / DeleteAccountAssignment are issuance / revocation by the TEAM role', () => {
    const target = {
      id: `aws-account/${PROD}/permission-set/${psArn}`,
      raw: `${PROD} ${psArn}`,
      kind: 'permission-set',
      name: psArn,
    };
    expect(one('siem-export.ndjson', 'CreateAccountAssignment')).toMatchObject({
      stage: 'issuance',
      at: '2026-01-16T08:00:05.000Z',
      actor: team,
      subject: { id: assignee, kind: 'human' },
      target,
      locator: 'line 1',
    });
    expect(one('siem-export.ndjson', 'DeleteAccountAssignment')).toMatchObject({
      stage: 'revocation',
      at: '2026-01-16T09:00:10.000Z',
      subject: { id: assignee },
      target,
      locator: 'line 10',
    });
  });

  it('with the store ARN and permission set names configured, assignments join portal events', () => {
    const run = runFiles([loadFile(path.join(fixturesDir, 'siem-export.ndjson'))], {
      identityStore: {
        identityStoreArn: 'arn:aws:identitystore::305070901234:identitystore/d-93fict0042',
      },
      permissionSets: { [psArn]: 'ProdOperator' },
    });
    const events = run.files[0].events;
    const create = events.find((e) => e.action === 'CreateAccountAssignment');
    const federate = events.find((e) => e.action === 'Federate');
    expect(create?.subject).toEqual(erin);
    expect(create?.target?.id).toBe(`aws-account/${PROD}/permission-set/ProdOperator`);
    expect(create?.target?.id).toBe(federate?.target?.id);
  });

  it('Identity Store group memberships pair by membership id', () => {
    expect(one('siem-export.ndjson', 'CreateGroupMembership')).toMatchObject({
      stage: 'issuance',
      subject: erin,
      target: { id: 'aa11bb22-0000-4000-9000-0000000b7001', kind: 'group' },
      grantKey: 'fict-membership-0001',
    });
    expect(one('siem-export.ndjson', 'DeleteGroupMembership')).toMatchObject({
      stage: 'revocation',
      grantKey: 'fict-membership-0001',
      at: '2026-01-16T09:00:05.000Z',
    });
  });
});
