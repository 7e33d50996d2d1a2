// Synthetic bundle inputs for the export and verify tests: fictional people, example.com.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleInput } from '../../src/export/bundle.js';
import type { TimelineEvent } from '../../src/model/event.js';
import type { Controls, Gap } from '../../src/model/gap.js';
import type { Grant } from '../../src/model/grant.js';
import { generateSigningKeyPair } from '../../src/export/signing.js';
import { sha256Hex } from '../../src/util/hash.js';

export const OKTA_TEXT =
  '{"uuid":"fict-1","eventType":"group.user_membership.add","published":"2026-03-02T09:00:00.000Z"}\n' +
  '{"uuid":"fict-2","eventType":"group.user_membership.remove","published":"2026-03-02T13:00:00.000Z"}\n';
export const JIRA_TEXT = 'Issue key,Summary,Reporter\nACC-1,"=HYPERLINK(""x"")",Mira Holt\n';

export function tempDir(prefix = 'dora-bundle-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const NO_CONTROLS: Controls = {
  dora: ['Art. 9(4)(c)'],
  rts2024_1774: ['Art. 21(1)(c)'],
  owaspNhi2025: [],
  nistCsf2: ['PR.AA-05'],
  iso27001_2022: ['A.8.2'],
  nist80053r5: ['AC-6'],
};

function event(
  id: string,
  at: string,
  stage: TimelineEvent['stage'],
  file: string,
  sha: string,
): TimelineEvent {
  return {
    id,
    at,
    stage,
    source: { importer: 'okta', file, sha256: sha, locator: `line ${id.slice(-1)}` },
    subject: { id: 'mira@example.com', raw: 'Mira@example.com', kind: 'human' },
    target: { id: 'prod-admin', raw: 'AWS Prod Admins', kind: 'group' },
    tickets: [],
    action: stage === 'issuance' ? 'group.user_membership.add' : 'group.user_membership.remove',
    outcome: 'success',
    summary: `${stage} for mira@example.com`,
  };
}

export function sampleGrants(): Grant[] {
  return [
    {
      id: 'grant-aaaa',
      subject: { id: 'mira@example.com', kind: 'human' },
      target: { id: 'prod-admin', name: 'AWS Prod Admins' },
      requestedAt: null,
      approvals: [],
      denials: [],
      issuedAt: '2026-03-02T09:00:00.000Z',
      expiresAt: null,
      endedAt: '2026-03-02T13:00:00.000Z',
      endReason: 'revoked',
      sessions: [],
      tickets: ['ACC-1'],
      breakGlass: false,
      eventIds: ['ev-1', 'ev-2'],
      links: [{ eventId: 'ev-2', reason: 'same subject and target' }],
      gapIds: ['gap-1'],
    },
    {
      id: 'grant-bbbb',
      subject: { id: '@ops-oncall', kind: 'service' },
      target: { id: '=cmd|calc', name: '+danger' },
      requestedAt: null,
      approvals: [{ by: '-bob', at: '2026-03-03T08:00:00.000Z' }],
      denials: [],
      issuedAt: '2026-03-03T09:00:00.000Z',
      expiresAt: null,
      endedAt: null,
      endReason: 'open',
      sessions: [{ start: '2026-03-03T09:05:00.000Z', end: null, activityCount: 3 }],
      tickets: [],
      breakGlass: true,
      eventIds: ['ev-3'],
      links: [],
      gapIds: ['gap-2'],
    },
  ];
}

export function sampleGaps(): Gap[] {
  return [
    {
      id: 'gap-1',
      rule: 'missing-request',
      severity: 'high',
      grantId: 'grant-aaaa',
      subject: 'mira@example.com',
      target: 'prod-admin',
      at: '2026-03-02T09:00:00.000Z',
      message: 'access issued without a request',
      evidence: ['ev-1'],
      controls: NO_CONTROLS,
      coverage: 'covered',
      certainty: 'certain',
    },
    {
      id: 'gap-2',
      rule: 'never-revoked',
      severity: 'medium',
      grantId: 'grant-bbbb',
      subject: '=HYPERLINK("https://example.invalid","x")',
      target: '+danger',
      at: '2026-03-03T09:00:00.000Z',
      message: '@SUM(1+1) still open at as-of',
      evidence: ['ev-3'],
      controls: NO_CONTROLS,
      coverage: 'covered',
      certainty: 'certain',
    },
    {
      id: 'gap-3',
      rule: 'coverage-gap',
      severity: 'low',
      grantId: null,
      subject: null,
      target: null,
      at: '2026-03-04T00:00:00.000Z',
      message: '-6h without okta events',
      evidence: [],
      controls: NO_CONTROLS,
      coverage: 'not-covered',
      certainty: 'certain',
    },
  ];
}

export interface Scenario {
  dir: string;
  okta: string;
  jira: string;
  input: () => BundleInput;
  keyPath: string;
  pubPath: string;
  otherKeyPath: string;
  otherPubPath: string;
}

/** Writes two input files and two key pairs into a fresh directory. */
export function scenario(): Scenario {
  const dir = tempDir();
  mkdirSync(join(dir, 'exports'));
  const okta = join(dir, 'exports', 'okta.ndjson');
  const jira = join(dir, 'exports', 'jira.csv');
  writeFileSync(okta, OKTA_TEXT);
  writeFileSync(jira, JIRA_TEXT);

  const keys = [generateSigningKeyPair(), generateSigningKeyPair()];
  const paths = keys.map((pair, i) => {
    const keyPath = join(dir, `signer${i}.key`);
    const pubPath = join(dir, `signer${i}.pub`);
    writeFileSync(keyPath, pair.privatePem, { mode: 0o600 });
    writeFileSync(pubPath, pair.publicPem);
    return { keyPath, pubPath };
  });

  const input = (): BundleInput => {
    const oktaSha = sha256Hex(readFileSync(okta));
    const jiraSha = sha256Hex(readFileSync(jira));
    const events = [
      event('ev-1', '2026-03-02T09:00:00.000Z', 'issuance', 'exports/okta.ndjson', oktaSha),
      event('ev-2', '2026-03-02T13:00:00.000Z', 'revocation', 'exports/okta.ndjson', oktaSha),
      event('ev-3', '2026-03-03T09:00:00.000Z', 'issuance', 'exports/okta.ndjson', oktaSha),
    ];
    const counts = { read: 2, normalized: 2, ignored: 0, rejected: 0 };
    return {
      grants: sampleGrants(),
      gaps: sampleGaps(),
      timeline: events,
      accounting: [
        {
          file: 'exports/okta.ndjson',
          sha256: oktaSha,
          size: OKTA_TEXT.length,
          importer: 'okta',
          read: 2,
          normalized: 2,
          ignored: 0,
          ignoredByKind: {},
          rejected: 0,
          coverage: { from: '2026-03-02T09:00:00.000Z', to: '2026-03-02T13:00:00.000Z' },
        },
        {
          file: 'exports/jira.csv',
          sha256: jiraSha,
          size: JIRA_TEXT.length,
          importer: 'jira',
          read: 1,
          normalized: 0,
          ignored: 0,
          ignoredByKind: {},
          rejected: 1,
          coverage: { from: null, to: null },
        },
      ],
      rejected: [{ file: 'exports/jira.csv', locator: 'row 1', reason: 'Created missing' }],
      policy: { maxTtl: '8h', requireTicket: true, clockSkew: '2m' },
      summary: { grants: 2, gaps: 3, bySeverity: { high: 1, medium: 1, low: 1 } },
      inputs: [
        {
          name: 'exports/okta.ndjson',
          path: okta,
          sha256: oktaSha,
          size: OKTA_TEXT.length,
          importer: 'okta',
          counts,
          coverage: { from: '2026-03-02T09:00:00.000Z', to: '2026-03-02T13:00:00.000Z' },
        },
        {
          name: 'exports/jira.csv',
          path: jira,
          sha256: jiraSha,
          size: JIRA_TEXT.length,
          importer: 'jira',
          counts: { read: 1, normalized: 0, ignored: 0, rejected: 1 },
          coverage: { from: null, to: null },
        },
      ],
      period: { since: '2026-01-01T00:00:00.000Z', until: '2026-03-31T23:59:59.999Z' },
      asOf: '2026-03-31T23:59:59.000Z',
      toolVersion: '0.1.0',
      rulesDigest: sha256Hex('rules-v1'),
      lateMembers: async () => [
        { path: 'report.pdf', content: Buffer.from('%PDF-1.7\n% fictional\n') },
      ],
    };
  };

  return {
    dir,
    okta,
    jira,
    input,
    keyPath: paths[0].keyPath,
    pubPath: paths[0].pubPath,
    otherKeyPath: paths[1].keyPath,
    otherPubPath: paths[1].pubPath,
  };
}
