import { describe, expect, test } from 'vitest';
import { cleanGrant } from '../rules/stories.js';
import { Timeline, gapTuples, run } from '../rules/timeline.js';

describe('grant assembly', () => {
  test('a clean JIT story is one grant with every link explained and no gap', () => {
    const t = new Timeline();
    cleanGrant(t);
    const result = run(t);

    expect(result.grants).toHaveLength(1);
    const grant = result.grants[0];
    expect(grant.id).toBe(t.grant('ACC-1-okta-add'));
    expect(grant.subject).toEqual({ id: 'alice', kind: 'human' });
    expect(grant.target.id).toBe('prod-admin');
    expect(grant.requestedAt).toBe('2026-03-02T09:00:00.000Z');
    expect(grant.approvals).toEqual([{ by: 'bob', at: '2026-03-02T09:30:00.000Z' }]);
    expect(grant.issuedAt).toBe('2026-03-02T10:00:00.000Z');
    // The STS key's expiry is the credential's, not the IdP membership's: the grant ends on removal.
    expect(grant.expiresAt).toBeNull();
    expect(grant.endedAt).toBe('2026-03-02T12:00:00.000Z');
    expect(grant.endReason).toBe('revoked');
    expect(grant.tickets).toEqual(['ACC-1']);
    expect(grant.links).toEqual([
      { eventId: t.id('ACC-1-request'), reason: 'subject-target-window' },
      { eventId: t.id('ACC-1-approval'), reason: 'ticket-reference' },
      { eventId: t.id('ACC-1-okta-add'), reason: 'anchor' },
      { eventId: t.id('ACC-1-sts'), reason: 'subject-target-window' },
      { eventId: t.id('ACC-1-okta-remove'), reason: 'subject-target-window' },
    ]);
    expect(grant.sessions).toEqual([
      {
        start: '2026-03-02T10:05:00.000Z',
        end: null,
        activityCount: 2,
        sessionId: null,
        firstActivityAt: '2026-03-02T10:10:00.000Z',
        lastActivityAt: '2026-03-02T10:20:00.000Z',
        actions: ['DescribeInstances', 'StopInstances'],
        eventIds: [],
        linkReasons: { 'access-key': 2 },
      },
    ]);
    expect(result.summary.linksByReason).toEqual({
      'access-key': 2,
      anchor: 1,
      'subject-target-window': 3,
      'ticket-reference': 1,
    });
    expect(gapTuples(result)).toEqual([]);
  });

  test('the same issuance seen in two sources is one grant with two evidence events', () => {
    const t = new Timeline();
    t.add('req', {
      at: '2026-03-02T09:00:00Z',
      stage: 'request',
      importer: 'jira',
      actor: 'alice@bank.example',
      tickets: ['ACC-3'],
    });
    t.add('ok', {
      at: '2026-03-02T09:10:00Z',
      stage: 'approval',
      importer: 'jira',
      actor: 'bob@bank.example',
      tickets: ['ACC-3'],
    });
    t.add('pim', {
      at: '2026-03-02T10:00:00Z',
      stage: 'issuance',
      importer: 'entra-id',
      subject: 'alice@bank.example',
      target: 'prod-admin',
      reason: 'ACC-3',
      expiresAt: '2026-03-02T12:00:00Z',
    });
    t.add('arm', {
      at: '2026-03-02T10:00:40Z',
      stage: 'issuance',
      importer: 'azure-activity',
      subject: 'alice@bank.example',
      target: 'prod-admin',
    });
    // Entra PIM logs the end of an activation itself ("Remove member from role (PIM activation expired)").
    t.add('pim-end', {
      at: '2026-03-02T12:00:01Z',
      stage: 'expiry',
      importer: 'entra-id',
      subject: 'alice@bank.example',
      target: 'prod-admin',
    });
    const result = run(t);

    expect(result.grants).toHaveLength(1);
    const grant = result.grants[0];
    expect(grant.eventIds).toEqual([
      t.id('req'),
      t.id('ok'),
      t.id('pim'),
      t.id('arm'),
      t.id('pim-end'),
    ]);
    // The Azure record states no end; it is the same occurrence, so the PIM expiry applies.
    expect([grant.expiresAt, grant.endedAt, grant.endReason]).toEqual([
      '2026-03-02T12:00:00.000Z',
      '2026-03-02T12:00:00.000Z',
      'expired',
    ]);
    expect(grant.links.find((l) => l.eventId === t.id('arm'))?.reason).toBe(
      'subject-target-window',
    );
    expect(gapTuples(result)).toEqual([]);
  });

  test('an issuance with no request becomes a grant; a failed issuance does not', () => {
    const t = new Timeline();
    t.add('sts', {
      at: '2026-03-02T10:00:00Z',
      stage: 'issuance',
      importer: 'aws-cloudtrail',
      subject: 'alice@bank.example',
      target: 'dev-admin',
      durationSeconds: 3600,
    });
    t.add('sts-failed', {
      at: '2026-03-02T11:30:00Z',
      stage: 'issuance',
      importer: 'aws-cloudtrail',
      subject: 'alice@bank.example',
      target: 'dev-admin',
      outcome: 'failure',
    });
    const result = run(t);
    expect(result.grants.map((g) => [g.id, g.endReason, g.expiresAt])).toEqual([
      [t.grant('sts'), 'expired', '2026-03-02T11:00:00.000Z'],
    ]);
    expect(result.summary.unlinkedByStage).toEqual({ 'issuance (failed)': 1 });
  });

  test('endReason open at as-of; a later issuance after the lapse opens a new grant', () => {
    const t = new Timeline();
    t.add('a', {
      at: '2026-03-02T10:00:00Z',
      stage: 'issuance',
      importer: 'teleport',
      subject: 'bob',
      target: 'dev-admin',
      tickets: ['ACC-9'],
      durationSeconds: 3600,
    });
    t.add('b', {
      at: '2026-03-02T13:00:00Z',
      stage: 'issuance',
      importer: 'teleport',
      subject: 'bob',
      target: 'dev-admin',
      tickets: ['ACC-9'],
      durationSeconds: 36000,
    });
    const result = run(t, { asOf: '2026-03-02T14:00:00Z' });
    expect(result.grants.map((g) => [g.id, g.endReason, g.endedAt])).toEqual([
      [t.grant('a'), 'expired', '2026-03-02T11:00:00.000Z'],
      [t.grant('b'), 'open', null],
    ]);
  });

  test('sessions link by session id after the first record ties them to a grant', () => {
    const t = new Timeline();
    t.add('cert', {
      at: '2026-03-02T10:00:00Z',
      stage: 'issuance',
      importer: 'teleport',
      subject: 'bob',
      target: 'db-prod',
      tickets: ['ACC-4'],
      durationSeconds: 7200,
    });
    t.add('start', {
      at: '2026-03-02T10:01:00Z',
      stage: 'session-start',
      importer: 'teleport',
      subject: 'bob',
      target: 'db-prod',
      sessionId: 's-1',
    });
    t.add('cmd1', {
      at: '2026-03-02T10:02:00Z',
      stage: 'activity',
      importer: 'teleport',
      sessionId: 's-1',
      action: 'session.command',
    });
    t.add('cmd2', {
      at: '2026-03-02T10:03:00Z',
      stage: 'activity',
      importer: 'teleport',
      sessionId: 's-1',
      action: 'session.command',
    });
    t.add('end', {
      at: '2026-03-02T10:30:00Z',
      stage: 'session-end',
      importer: 'teleport',
      sessionId: 's-1',
    });
    const result = run(t);
    const [grant] = result.grants;
    expect(grant.sessions).toEqual([
      expect.objectContaining({
        start: '2026-03-02T10:01:00.000Z',
        end: '2026-03-02T10:30:00.000Z',
        activityCount: 2,
        sessionId: 's-1',
        actions: ['session.command'],
        eventIds: [t.id('start'), t.id('end')],
        linkReasons: { 'session-id': 2 },
      }),
    ]);
    expect(
      grant.links.filter((l) => l.eventId === t.id('start') || l.eventId === t.id('end')),
    ).toEqual([
      { eventId: t.id('start'), reason: 'subject-target-window' },
      { eventId: t.id('end'), reason: 'session-id' },
    ]);
  });

  test('requests sharing a native request id travel together (grant-key)', () => {
    const t = new Timeline();
    t.add('create', {
      at: '2026-03-02T09:00:00Z',
      stage: 'request',
      importer: 'teleport',
      actor: 'bob',
      subject: 'bob',
      target: 'dev-admin',
      grantKey: 'req-77',
      reason: 'ACC-5 fix',
    });
    t.add('review', {
      at: '2026-03-02T09:05:00Z',
      stage: 'approval',
      importer: 'teleport',
      actor: 'carol',
      grantKey: 'req-77',
    });
    t.add('cert', {
      at: '2026-03-02T09:06:00Z',
      stage: 'issuance',
      importer: 'teleport',
      subject: 'bob',
      target: 'dev-admin',
      durationSeconds: 3600,
    });
    const result = run(t);
    const [grant] = result.grants;
    expect(grant.links).toEqual([
      { eventId: t.id('create'), reason: 'subject-target-window' },
      { eventId: t.id('review'), reason: 'grant-key' },
      { eventId: t.id('cert'), reason: 'anchor' },
    ]);
    expect(grant.tickets).toEqual(['ACC-5']);
  });

  test('output is deterministic: the same input gives identical results', () => {
    const build = () => {
      const t = new Timeline();
      cleanGrant(t);
      cleanGrant(t, {
        ticket: 'ACC-2',
        day: '2026-03-02',
        subject: 'bob@bank.example',
        approver: 'bob@bank.example',
      });
      return run(t);
    };
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
  });
});

describe('records at the same instant', () => {
  test('reads an issuance and its revocation in lifecycle order whatever their ids', async () => {
    const { lifecycleOrder } = await import('../../src/correlate/index.js');
    const base = {
      at: '2026-03-01T10:00:00.000Z',
      source: { importer: 'okta', file: 'f', sha256: 'a'.repeat(64), locator: '/0' },
      tickets: [],
      action: 'x',
      outcome: 'success' as const,
      summary: '',
    };
    const revoke = { ...base, id: 'ev-0000', stage: 'revocation' as const };
    const create = { ...base, id: 'ev-ffff', stage: 'issuance' as const };
    const later = {
      ...base,
      id: 'ev-1111',
      stage: 'request' as const,
      at: '2026-03-01T10:00:01.000Z',
    };
    expect(lifecycleOrder([later, revoke, create]).map((e) => e.id)).toEqual([
      'ev-ffff',
      'ev-0000',
      'ev-1111',
    ]);
  });
});
