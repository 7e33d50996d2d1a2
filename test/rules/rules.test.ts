// Table-driven rule tests: each timeline must give exactly the listed gaps (rule, subject, target, grant).
import { describe, expect, test } from 'vitest';
import type { AnalyzeResult } from '../../src/analyze.js';
import type { SourceNote } from '../../src/importers/types.js';
import type { FileAccounting } from '../../src/model/accounting.js';
import { cleanGrant } from './stories.js';
import {
  Timeline,
  accountingFor,
  gapTuples,
  run,
  tuples,
  withConfig,
  type RunOptions,
} from './timeline.js';

interface Case {
  name: string;
  build: (t: Timeline) => void;
  options?: (t: Timeline) => RunOptions;
  expected: (t: Timeline) => [string, string, string, string][];
  also?: (result: AnalyzeResult, t: Timeline) => void;
}

const PERSON = 'alice@bank.example';

/** An Okta membership of alice in a role, requested and approved in Jira under `ticket`. */
function approvedMembership(
  t: Timeline,
  ticket: string,
  target = 'AWS Prod Admins',
  approver = 'bob@bank.example',
): void {
  t.add(`${ticket}-req`, {
    at: '2026-03-02T09:00:00Z',
    stage: 'request',
    importer: 'jira',
    actor: PERSON,
    subject: PERSON,
    target,
    tickets: [ticket],
  });
  t.add(`${ticket}-ok`, {
    at: '2026-03-02T09:20:00Z',
    stage: 'approval',
    importer: 'jira',
    actor: approver,
    tickets: [ticket],
  });
  t.add(`${ticket}-add`, {
    at: '2026-03-02T10:00:00Z',
    stage: 'issuance',
    subject: PERSON,
    target,
  });
}

function removal(t: Timeline, name: string, at: string, target = 'AWS Prod Admins'): void {
  t.add(name, { at, stage: 'revocation', subject: PERSON, target });
}

const cases: Case[] = [
  // --- passing timelines ---------------------------------------------------------------------
  { name: 'clean JIT grant passes every rule', build: (t) => cleanGrant(t), expected: () => [] },
  {
    name: 'two clean grants of two people pass',
    build: (t) => {
      cleanGrant(t);
      cleanGrant(t, {
        ticket: 'ACC-2',
        subject: 'dave@bank.example',
        approver: 'carol@bank.example',
      });
    },
    expected: () => [],
  },

  // --- missing-request / missing-approval ------------------------------------------------------
  {
    name: 'issuance with no request and no ticket',
    build: (t) => {
      t.add('add', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        subject: PERSON,
        target: 'AWS Prod Admins',
      });
      removal(t, 'rm', '2026-03-02T11:00:00Z');
    },
    expected: (t) => [
      ['missing-request', 'alice', 'prod-admin', t.grant('add')],
      ['missing-approval', 'alice', 'prod-admin', t.grant('add')],
    ],
  },
  {
    name: 'native request and approval but no ticket, with requireTicket',
    build: (t) => {
      t.add('create', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'teleport',
        actor: 'bob',
        subject: 'bob',
        target: 'dev-admin',
        grantKey: 'r-1',
      });
      t.add('review', {
        at: '2026-03-02T09:01:00Z',
        stage: 'approval',
        importer: 'teleport',
        actor: 'carol',
        grantKey: 'r-1',
      });
      t.add('cert', {
        at: '2026-03-02T09:02:00Z',
        stage: 'issuance',
        importer: 'teleport',
        subject: 'bob',
        target: 'dev-admin',
        durationSeconds: 3600,
      });
    },
    expected: (t) => [['missing-request', 'bob', 'dev-admin', t.grant('cert')]],
  },
  {
    name: 'the same without requireTicket passes',
    build: (t) => {
      t.add('create', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'teleport',
        actor: 'bob',
        subject: 'bob',
        target: 'dev-admin',
        grantKey: 'r-1',
      });
      t.add('review', {
        at: '2026-03-02T09:01:00Z',
        stage: 'approval',
        importer: 'teleport',
        actor: 'carol',
        grantKey: 'r-1',
      });
      t.add('cert', {
        at: '2026-03-02T09:02:00Z',
        stage: 'issuance',
        importer: 'teleport',
        subject: 'bob',
        target: 'dev-admin',
        durationSeconds: 3600,
      });
    },
    options: () => ({ config: withConfig({ policy: { requireTicket: false } }) }),
    expected: () => [],
  },
  {
    name: 'ticketed request without approval',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: PERSON,
        subject: PERSON,
        target: 'prod-admin',
        tickets: ['ACC-7'],
      });
      t.add('add', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        subject: PERSON,
        target: 'AWS Prod Admins',
      });
      removal(t, 'rm', '2026-03-02T11:00:00Z');
    },
    expected: (t) => [['missing-approval', 'alice', 'prod-admin', t.grant('add')]],
  },

  // --- denied-but-issued -----------------------------------------------------------------------
  {
    name: 'denied request followed by issuance',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: PERSON,
        subject: PERSON,
        target: 'prod-admin',
        tickets: ['ACC-8'],
      });
      t.add('no', {
        at: '2026-03-02T09:15:00Z',
        stage: 'denial',
        importer: 'jira',
        actor: 'bob@bank.example',
        tickets: ['ACC-8'],
      });
      t.add('add', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        subject: PERSON,
        target: 'AWS Prod Admins',
      });
      removal(t, 'rm', '2026-03-02T11:00:00Z');
    },
    expected: (t) => [['denied-but-issued', 'alice', 'prod-admin', t.grant('add')]],
    also: (r) => expect(r.gaps[0].certainty).toBe('certain'),
  },
  {
    name: 'denied, then approved on appeal, then issued passes',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: PERSON,
        subject: PERSON,
        target: 'prod-admin',
        tickets: ['ACC-8'],
      });
      t.add('no', {
        at: '2026-03-02T09:15:00Z',
        stage: 'denial',
        importer: 'jira',
        actor: 'bob@bank.example',
        tickets: ['ACC-8'],
      });
      t.add('ok', {
        at: '2026-03-02T09:45:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'carol@bank.example',
        tickets: ['ACC-8'],
      });
      t.add('add', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        subject: PERSON,
        target: 'AWS Prod Admins',
      });
      removal(t, 'rm', '2026-03-02T11:00:00Z');
    },
    expected: () => [],
  },

  // --- approval-after-issuance -----------------------------------------------------------------
  {
    name: 'approval 30 s after issuance with a 2 m skew is uncertain',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: PERSON,
        subject: PERSON,
        target: 'prod-admin',
        tickets: ['ACC-9'],
      });
      t.add('add', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        subject: PERSON,
        target: 'AWS Prod Admins',
      });
      t.add('ok', {
        at: '2026-03-02T10:00:30Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'bob@bank.example',
        tickets: ['ACC-9'],
      });
      removal(t, 'rm', '2026-03-02T11:00:00Z');
    },
    expected: (t) => [['approval-after-issuance', 'alice', 'prod-admin', t.grant('add')]],
    also: (r) => {
      expect(r.gaps[0].certainty).toBe('uncertain');
      expect(r.gaps[0].message).toContain('inside the configured clock skew of 2m');
    },
  },
  {
    name: 'approval 10 min after issuance is certain',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: PERSON,
        subject: PERSON,
        target: 'prod-admin',
        tickets: ['ACC-9'],
      });
      t.add('add', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        subject: PERSON,
        target: 'AWS Prod Admins',
      });
      t.add('ok', {
        at: '2026-03-02T10:10:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'bob@bank.example',
        tickets: ['ACC-9'],
      });
      removal(t, 'rm', '2026-03-02T11:00:00Z');
    },
    expected: (t) => [['approval-after-issuance', 'alice', 'prod-admin', t.grant('add')]],
    also: (r) => expect(r.gaps[0].certainty).toBe('certain'),
  },

  // --- self-approval / approver-not-authorized -------------------------------------------------
  {
    name: 'requester approves own request under a second alias (resolved)',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: PERSON,
        subject: PERSON,
        target: 'okta:AWS Dev Admins',
        tickets: ['ACC-10'],
      });
      t.add('ok', {
        at: '2026-03-02T09:05:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'ASMITH',
        tickets: ['ACC-10'],
      });
      t.add('add', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        subject: PERSON,
        target: 'AWS Dev Admins',
      });
      removal(t, 'rm', '2026-03-02T11:00:00Z', 'AWS Dev Admins');
    },
    expected: (t) => [['self-approval', 'alice', 'dev-admin', t.grant('add')]],
    also: (r) => expect(r.gaps[0].message).toContain('"ASMITH"'),
  },
  {
    name: 'approval by someone outside the target approvers',
    build: (t) => approvedMembership(t, 'ACC-11', 'AWS Prod Admins', 'dave@bank.example'),
    options: () => ({ asOf: '2026-03-02T12:00:00Z' }),
    expected: (t) => [['approver-not-authorized', 'alice', 'prod-admin', t.grant('ACC-11-add')]],
  },

  // --- stale-approval --------------------------------------------------------------------------
  {
    name: 'approval 30 h before issuance, linked by ticket',
    build: (t) => {
      t.add('ok', {
        at: '2026-03-01T04:00:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'bob@bank.example',
        tickets: ['ACC-12'],
      });
      t.add('req', {
        at: '2026-03-01T03:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: PERSON,
        tickets: ['ACC-12'],
      });
      t.add('sts', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'aws-cloudtrail',
        subject: PERSON,
        target: 'arn:aws:iam::111122223333:role/ProdAdmin',
        reason: 'session ACC-12-alice',
        grantKey: 'ASIA12',
        durationSeconds: 3600,
      });
    },
    expected: (t) => [['stale-approval', 'alice', 'prod-admin', t.grant('sts')]],
  },

  // --- ttl-exceeded / never-revoked / missing-revocation-evidence ------------------------------
  {
    name: 'granted for 12 h against a maximum of 8 h',
    build: (t) => {
      approvedMembership(t, 'ACC-13');
      t.add('sts', {
        at: '2026-03-02T10:01:00Z',
        stage: 'issuance',
        importer: 'aws-cloudtrail',
        subject: PERSON,
        target: 'arn:aws:iam::111122223333:role/ProdAdmin',
        grantKey: 'ASIA13',
        durationSeconds: 43200,
      });
      removal(t, 'rm', '2026-03-02T22:00:00Z');
    },
    expected: (t) => [['ttl-exceeded', 'alice', 'prod-admin', t.grant('ACC-13-add')]],
    also: (r) => expect(r.gaps[0].message).toContain("the firm's own policy, not a legal limit"),
  },
  {
    name: 'membership never removed, open at as-of beyond the maximum TTL',
    build: (t) => approvedMembership(t, 'ACC-14'),
    options: () => ({ asOf: '2026-03-04T00:00:00Z' }),
    expected: (t) => [['never-revoked', 'alice', 'prod-admin', t.grant('ACC-14-add')]],
    also: (r) => expect(r.grants[0].endReason).toBe('open'),
  },
  {
    name: 'membership open but younger than the maximum TTL is not yet a finding',
    build: (t) => approvedMembership(t, 'ACC-14'),
    options: () => ({ asOf: '2026-03-02T12:00:00Z' }),
    expected: () => [],
  },
  {
    name: 'ticket says revoked, the IdP shows no removal',
    build: (t) => {
      approvedMembership(t, 'ACC-15');
      t.add('claim', {
        at: '2026-03-02T12:00:00Z',
        stage: 'revocation',
        importer: 'jira',
        actor: 'carol@bank.example',
        tickets: ['ACC-15'],
      });
    },
    options: () => ({ asOf: '2026-03-04T00:00:00Z' }),
    expected: (t) => [
      ['missing-revocation-evidence', 'alice', 'prod-admin', t.grant('ACC-15-add')],
    ],
  },

  // --- activity-outside-grant / activity-after-expiry ------------------------------------------
  {
    name: 'IdP revoked while the STS credential is still valid and used: outside the grant',
    build: (t) => {
      approvedMembership(t, 'ACC-16');
      t.add('sts', {
        at: '2026-03-02T10:05:00Z',
        stage: 'issuance',
        importer: 'aws-cloudtrail',
        subject: PERSON,
        target: 'arn:aws:iam::111122223333:role/ProdAdmin',
        grantKey: 'ASIA16',
        expiresAt: '2026-03-02T11:05:00Z',
      });
      removal(t, 'rm', '2026-03-02T10:30:00Z');
      t.add('late-call', {
        at: '2026-03-02T10:45:00Z',
        stage: 'activity',
        importer: 'aws-cloudtrail',
        grantKey: 'ASIA16',
        action: 'DeleteBucket',
      });
    },
    expected: (t) => [['activity-outside-grant', 'alice', 'prod-admin', t.grant('ACC-16-add')]],
    also: (r, t) => {
      expect(r.gaps[0].evidence).toEqual([t.id('late-call'), t.id('rm')]);
      expect(r.gaps[0].certainty).toBe('certain');
    },
  },
  {
    name: "use after the credential's own expiry: after expiry, not outside the grant",
    build: (t) => {
      approvedMembership(t, 'ACC-17');
      t.add('sts', {
        at: '2026-03-02T10:05:00Z',
        stage: 'issuance',
        importer: 'aws-cloudtrail',
        subject: PERSON,
        target: 'arn:aws:iam::111122223333:role/ProdAdmin',
        grantKey: 'ASIA17',
        expiresAt: '2026-03-02T11:05:00Z',
      });
      removal(t, 'rm', '2026-03-02T10:30:00Z');
      t.add('expired-call', {
        at: '2026-03-02T11:20:00Z',
        stage: 'activity',
        importer: 'aws-cloudtrail',
        grantKey: 'ASIA17',
        action: 'GetObject',
      });
      t.add('rejected-call', {
        at: '2026-03-02T11:21:00Z',
        stage: 'activity',
        importer: 'aws-cloudtrail',
        grantKey: 'ASIA17',
        action: 'GetObject',
        outcome: 'failure',
      });
    },
    expected: (t) => [['activity-after-expiry', 'alice', 'prod-admin', t.grant('ACC-17-add')]],
    also: (r, t) => {
      expect(r.gaps[0].evidence).toEqual([t.id('expired-call')]);
      expect(r.grants[0].sessions[0].activityCount).toBe(2);
    },
  },
  {
    name: 'use one minute after expiry with a 2 m skew is uncertain',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: 'bob',
        subject: 'bob',
        target: 'dev-admin',
        tickets: ['ACC-18'],
      });
      t.add('ok', {
        at: '2026-03-02T09:10:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'carol',
        tickets: ['ACC-18'],
      });
      t.add('sts', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'aws-cloudtrail',
        subject: 'bob',
        target: 'dev-admin',
        grantKey: 'ASIA18',
        durationSeconds: 3600,
      });
      t.add('call', {
        at: '2026-03-02T11:01:00Z',
        stage: 'activity',
        importer: 'aws-cloudtrail',
        grantKey: 'ASIA18',
      });
    },
    expected: (t) => [['activity-after-expiry', 'bob', 'dev-admin', t.grant('sts')]],
    also: (r) => expect(r.gaps[0].certainty).toBe('uncertain'),
  },
  {
    name: 'session on a critical target with no grant at all',
    build: (t) => {
      t.add('start', {
        at: '2026-03-02T10:00:00Z',
        stage: 'session-start',
        importer: 'teleport',
        subject: 'bob',
        target: 'db-prod',
        sessionId: 's-9',
      });
      t.add('cmd', {
        at: '2026-03-02T10:01:00Z',
        stage: 'activity',
        importer: 'teleport',
        subject: 'bob',
        target: 'db-prod',
        sessionId: 's-9',
      });
    },
    expected: () => [['activity-outside-grant', 'bob', 'db-prod', '-']],
  },

  // --- session-unlogged ------------------------------------------------------------------------
  {
    name: 'grant of a critical target without any session record',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: 'bob',
        subject: 'bob',
        target: 'db-prod',
        tickets: ['ACC-19'],
      });
      t.add('ok', {
        at: '2026-03-02T09:10:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'carol',
        tickets: ['ACC-19'],
      });
      t.add('cert', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'teleport',
        subject: 'bob',
        target: 'db-prod',
        durationSeconds: 3600,
      });
    },
    expected: (t) => [['session-unlogged', 'bob', 'db-prod', t.grant('cert')]],
    also: (r) => expect(r.gaps[0].coverage).toBe('partial'),
  },

  // --- break-glass-unreviewed ------------------------------------------------------------------
  {
    name: 'break-glass use with no review within 72 h',
    build: (t) => {
      t.add('bg', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'teleport',
        subject: 'bob',
        target: 'dev-admin',
        breakGlass: true,
        reason: 'INC-5 outage',
        durationSeconds: 3600,
      });
    },
    options: () => ({ asOf: '2026-03-06T00:00:00Z' }),
    expected: (t) => [['break-glass-unreviewed', 'bob', 'dev-admin', t.grant('bg')]],
    also: (r) => expect(r.gaps[0].message).toContain("the firm's own policy"),
  },
  {
    name: 'break-glass by marker, reviewed in time through its ticket, passes',
    build: (t) => {
      t.add('bg', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'teleport',
        subject: 'bob',
        target: 'dev-admin',
        reason: 'Emergency: INC-6',
        durationSeconds: 3600,
      });
      t.add('rev', {
        at: '2026-03-03T09:00:00Z',
        stage: 'review',
        importer: 'jira',
        actor: 'carol',
        tickets: ['INC-6'],
      });
    },
    options: (t) => ({
      asOf: '2026-03-06T00:00:00Z',
      until: '2026-03-05T23:59:59Z',
      accounting: accountingFor(t.events, {
        jira: { from: '2026-03-01T00:00:00Z', to: '2026-03-05T23:00:00Z' },
      }),
    }),
    expected: () => [],
    also: (r) => expect(r.grants[0].breakGlass).toBe(true),
  },
  {
    name: 'break-glass whose review deadline is after as-of is not yet a finding',
    build: (t) => {
      t.add('bg', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'teleport',
        subject: 'bob',
        target: 'dev-admin',
        breakGlass: true,
        durationSeconds: 3600,
      });
    },
    expected: () => [],
  },

  // --- weak-auth-on-elevation ------------------------------------------------------------------
  {
    name: 'issuance recorded without MFA',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: 'bob',
        subject: 'bob',
        target: 'dev-admin',
        tickets: ['ACC-20'],
      });
      t.add('ok', {
        at: '2026-03-02T09:10:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'carol',
        tickets: ['ACC-20'],
      });
      t.add('cert', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'teleport',
        subject: 'bob',
        target: 'dev-admin',
        mfa: false,
        durationSeconds: 3600,
      });
    },
    expected: (t) => [['weak-auth-on-elevation', 'bob', 'dev-admin', t.grant('cert')]],
  },

  // --- non-human identities --------------------------------------------------------------------
  {
    name: 'NHI with an owner and a short-lived credential passes',
    build: (t) => nhiGrant(t, 'deploy-bot', 'ACC-21'),
    expected: () => [],
  },
  {
    name: 'NHI without an owner',
    build: (t) => nhiGrant(t, 'report-bot', 'ACC-22'),
    expected: (t) => [['nhi-no-owner', 'report-bot', 'dev-admin', t.grant('ACC-22-sts')]],
  },
  {
    name: 'NHI with a static credential (no expiry, never revoked)',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: 'alice',
        subject: 'deploy-bot',
        target: 'dev-admin',
        tickets: ['ACC-23'],
      });
      t.add('ok', {
        at: '2026-03-02T09:10:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'carol',
        tickets: ['ACC-23'],
      });
      t.add('key', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'aws-cloudtrail',
        action: 'CreateAccessKey',
        subject: 'deploy-bot',
        subjectKind: 'service',
        target: 'dev-admin',
        grantKey: 'AKIA23',
      });
    },
    options: () => ({ asOf: '2026-03-04T00:00:00Z' }),
    expected: (t) => [
      ['nhi-long-lived-credential', 'deploy-bot', 'dev-admin', t.grant('key')],
      ['never-revoked', 'deploy-bot', 'dev-admin', t.grant('key')],
    ],
  },
  {
    name: 'a person working through an NHI session',
    build: (t) => {
      nhiGrant(t, 'deploy-bot', 'ACC-24');
      t.add('login', {
        at: '2026-03-02T10:10:00Z',
        stage: 'session-start',
        importer: 'aws-cloudtrail',
        action: 'ConsoleLogin',
        actor: PERSON,
        subject: 'deploy-bot',
        subjectKind: 'service',
        target: 'dev-admin',
        grantKey: 'ASIA-ACC-24',
      });
    },
    expected: (t) => [['human-use-of-nhi', 'deploy-bot', 'dev-admin', t.grant('ACC-24-sts')]],
  },

  // --- shared-account-use / excessive-scope ----------------------------------------------------
  {
    name: 'root account use',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: 'bob',
        tickets: ['ACC-25'],
      });
      t.add('ok', {
        at: '2026-03-02T09:10:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'carol',
        tickets: ['ACC-25'],
      });
      t.add('login', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'aws-cloudtrail',
        action: 'ConsoleLogin',
        subject: 'arn:aws:iam::111122223333:root',
        target: 'aws-account-111122223333',
        reason: 'ACC-25',
        durationSeconds: 3600,
      });
    },
    expected: (t) => [
      [
        'shared-account-use',
        'arn:aws:iam::111122223333:root',
        'aws-account-111122223333',
        t.grant('login'),
      ],
    ],
  },
  {
    name: 'read-only requested, admin granted',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: PERSON,
        subject: PERSON,
        target: 'prod-readonly',
        tickets: ['ACC-26'],
      });
      t.add('ok', {
        at: '2026-03-02T09:10:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'bob',
        tickets: ['ACC-26'],
      });
      t.add('sts', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'aws-cloudtrail',
        subject: PERSON,
        target: 'arn:aws:iam::111122223333:role/ProdAdmin',
        reason: 'ACC-26',
        durationSeconds: 3600,
        grantKey: 'ASIA26',
      });
    },
    expected: (t) => [['excessive-scope', 'alice', 'prod-admin', t.grant('sts')]],
    also: (r) =>
      expect(r.gaps[0].message).toContain('which the config says contains prod-readonly'),
  },

  // --- review-overdue --------------------------------------------------------------------------
  {
    name: 'critical target whose last review is 200 days old',
    build: (t) => {
      t.add('cert-review', {
        at: '2025-08-14T10:00:00Z',
        stage: 'review',
        importer: 'okta',
        actor: 'carol',
        target: 'db-prod',
      });
    },
    options: () => ({ config: withConfig({ rules: { 'review-overdue': 'medium' } }) }),
    expected: () => [['review-overdue', '-', 'db-prod', '-']],
  },
  {
    name: 'critical target reviewed 10 days ago passes',
    build: (t) => {
      t.add('cert-review', {
        at: '2026-02-20T10:00:00Z',
        stage: 'review',
        importer: 'okta',
        actor: 'carol',
        target: 'db-prod',
      });
    },
    options: () => ({ config: withConfig({ rules: { 'review-overdue': 'medium' } }) }),
    expected: () => [],
  },

  // --- source-level: coverage-gap, clock-skew, integrity, retention, unknown kinds -------------
  {
    name: 'CloudTrail silent for 4 h with a tolerance of 2 h, and silent at the end',
    build: (t) => {
      t.add('c1', { at: '2026-03-02T00:30:00Z', stage: 'context', importer: 'aws-cloudtrail' });
      t.add('c2', { at: '2026-03-02T04:30:00Z', stage: 'context', importer: 'aws-cloudtrail' });
      t.add('c3', { at: '2026-03-02T06:00:00Z', stage: 'context', importer: 'aws-cloudtrail' });
    },
    options: () => ({
      until: '2026-03-02T07:00:00Z',
      config: withConfig({ policy: { coverage: { maxSilence: { 'aws-cloudtrail': '2h' } } } }),
    }),
    expected: () => [['coverage-gap', '-', '-', '-']],
    also: (r, t) => {
      expect(r.gaps[0].evidence).toEqual([t.id('c1'), t.id('c2')]);
      expect(r.gaps[0].coverage).toBe('not-covered');
    },
  },
  {
    name: 'two sources log one PIM activation 5 min apart (skew 2 m): one grant and a clock-skew gap',
    build: (t) => {
      t.add('req', {
        at: '2026-03-02T09:00:00Z',
        stage: 'request',
        importer: 'jira',
        actor: 'bob',
        tickets: ['ACC-27'],
      });
      t.add('ok', {
        at: '2026-03-02T09:10:00Z',
        stage: 'approval',
        importer: 'jira',
        actor: 'carol',
        tickets: ['ACC-27'],
      });
      t.add('pim', {
        at: '2026-03-02T10:00:00Z',
        stage: 'issuance',
        importer: 'entra-id',
        subject: 'bob',
        target: 'dev-admin',
        grantKey: 'pim-27',
        reason: 'ACC-27',
        durationSeconds: 3600,
      });
      t.add('arm', {
        at: '2026-03-02T10:05:00Z',
        stage: 'issuance',
        importer: 'azure-activity',
        subject: 'bob',
        target: 'dev-admin',
        grantKey: 'pim-27',
      });
      t.add('end', {
        at: '2026-03-02T11:00:00Z',
        stage: 'expiry',
        importer: 'entra-id',
        grantKey: 'pim-27',
      });
    },
    expected: () => [['clock-skew', '-', '-', '-']],
    also: (r) => expect(r.grants).toHaveLength(1),
  },
  {
    name: 'integrity unverified for one file and failed for another',
    build: (t) => cleanGrant(t),
    options: () => ({
      notes: [
        {
          kind: 'integrity-unverified',
          file: 'aws-cloudtrail.json',
          message: 'no digest file covers it.',
        },
        { kind: 'integrity-failed', file: 'okta.json', message: 'digest hash mismatch.' },
        { kind: 'integrity-verified', file: 'jira.json', message: 'ok' },
      ] satisfies SourceNote[],
    }),
    expected: () => [
      ['source-integrity-unverified', '-', '-', '-'],
      ['source-integrity-unverified', '-', '-', '-'],
    ],
    also: (r) => expect(r.gaps.map((g) => g.severity).sort()).toEqual(['high', 'low']),
  },
  {
    name: 'a source starting five days into the period',
    build: (t) => {
      t.add('c1', { at: '2026-03-06T00:00:00Z', stage: 'context', importer: 'aws-cloudtrail' });
    },
    options: () => ({
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-07T00:00:00Z',
      asOf: '2026-03-07T00:00:00Z',
    }),
    expected: () => [['retention-shortfall', '-', '-', '-']],
  },
  {
    name: 'ignored records of a security-relevant kind, not of read or reason kinds',
    build: (t) => cleanGrant(t),
    options: (t) => {
      const accounting: FileAccounting[] = accountingFor(t.events);
      const aws = accounting.find((a) => a.importer === 'aws-cloudtrail') as FileAccounting;
      aws.ignoredByKind = {
        PutRolePolicy: 2,
        ListRoles: 5,
        duplicate: 3,
        DescribeInstances: 1,
        RunInstances: 4,
      };
      const firstIgnored = [
        { file: aws.file, kind: 'ListRoles', locator: '/Records/1' },
        { file: aws.file, kind: 'PutRolePolicy', locator: '/Records/7' },
      ];
      return { accounting, firstIgnored };
    },
    expected: () => [['unknown-event-type', '-', '-', '-']],
    also: (r) => {
      expect(r.gaps[0].message).toContain('2 PutRolePolicy record(s)');
      // The auditor is pointed at a record, not only at a count.
      expect(r.gaps[0].message).toMatch(
        /ignored by the aws-cloudtrail importer \(the first at \/Records\/7 of [^)]+\);/,
      );
    },
  },
];

function nhiGrant(t: Timeline, bot: string, ticket: string): void {
  t.add(`${ticket}-req`, {
    at: '2026-03-02T09:00:00Z',
    stage: 'request',
    importer: 'jira',
    actor: 'alice',
    subject: bot,
    target: 'dev-admin',
    tickets: [ticket],
  });
  t.add(`${ticket}-ok`, {
    at: '2026-03-02T09:10:00Z',
    stage: 'approval',
    importer: 'jira',
    actor: 'carol',
    tickets: [ticket],
  });
  t.add(`${ticket}-sts`, {
    at: '2026-03-02T10:00:00Z',
    stage: 'issuance',
    importer: 'aws-cloudtrail',
    action: 'AssumeRole',
    subject: bot,
    subjectKind: 'service',
    target: 'dev-admin',
    grantKey: `ASIA-${ticket}`,
    durationSeconds: 3600,
  });
  t.add(`${ticket}-call`, {
    at: '2026-03-02T10:20:00Z',
    stage: 'activity',
    importer: 'aws-cloudtrail',
    grantKey: `ASIA-${ticket}`,
    actor: bot,
    actorKind: 'service',
  });
}

describe('gap rules', () => {
  test.each(cases)('$name', (c) => {
    const t = new Timeline();
    c.build(t);
    const result = run(t, c.options?.(t) ?? {});
    expect(gapTuples(result)).toEqual(tuples(...c.expected(t)));
    c.also?.(result, t);
  });
});
