// Renders a realistic sample report for looking at: 30 grants, gaps of every severity, non-Latin names.
// Usage: npm run build && node scripts/render-sample-report.mjs [out.pdf]   (default .bench/sample-report.pdf)
// The data is invented (example.com people, made-up ids); nothing here reads real exports.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderReport } from '../dist/export/report/index.js';

const out = path.resolve(process.argv[2] ?? '.bench/sample-report.pdf');
const DAY = 86_400_000;
const since = Date.UTC(2026, 0, 1);
const iso = (ms) => new Date(ms).toISOString();

const people = [
  'alice.schmidt@bank.example',
  'Łukasz Müller-Øster',
  '陈伟',
  'Zoë Åkesson',
  'Jiří Dvořák',
  'Ayşe Yılmaz',
  'Đorđe Petrović',
  'Ελένη Παπαδοπούλου',
  'Иван Петров',
  'Nguyễn Thị Minh Khai',
  '王芳',
  'svc-deploy-pipeline-prod-eu-central-1',
  'françois.dupont-de-la-tour@bank.example',
  'bob@bank.example',
];
const targets = [
  ['arn:aws:iam::111122223333:role/ProdAdmin', 'AWS ProdAdmin (111122223333)'],
  ['okta:AWS Prod Admins', 'Okta group AWS Prod Admins'],
  ['cyberark:Safe-Core-Banking-DB', 'CyberArk safe Core-Banking-DB'],
  ['teleport:role/db-admin', 'Teleport db-admin'],
  ['vault:secret/data/payments/hsm-keys', 'Vault payments/hsm-keys'],
];
const sources = ['aws-cloudtrail', 'cyberark', 'jira', 'okta', 'servicenow', 'teleport', 'vault'];
const files = {
  'aws-cloudtrail':
    'exports/aws/CloudTrail/eu-central-1/2026/01/111122223333_CloudTrail_eu-central-1_20260115T0000Z_a1b2c3.json.gz',
  cyberark: 'exports/cyberark/pvwa-activities-2026Q1.csv',
  jira: 'exports/jira/ACC-access-requests-2026Q1.json',
  okta: 'exports/okta/system-log-2026-01-01_2026-03-31.ndjson',
  servicenow: 'exports/servicenow/sc_req_item.xml',
  teleport: 'exports/teleport/audit-events.json',
  vault: 'exports/vault/audit.log',
};
const sha = (n) => n.toString(16).padStart(2, '0').repeat(32).slice(0, 64);

const C = {
  approval: {
    dora: ['Art. 9(4)(c)'],
    rts2024_1774: ['Art. 21(e)(i)', 'Art. 21(e)(ii)'],
    owaspNhi2025: [],
    nistCsf2: ['PR.AA-05'],
    iso27001_2022: ['A.5.18', 'A.8.2'],
    nist80053r5: ['AC-2(e)', 'AC-2(i)(1)', 'AC-6'],
  },
  sod: {
    dora: ['Art. 9(4)(c)'],
    rts2024_1774: ['Art. 21(b)', 'Art. 17(1)(b) (analogy)'],
    owaspNhi2025: [],
    nistCsf2: ['PR.AA-05'],
    iso27001_2022: ['A.5.3', 'A.8.2'],
    nist80053r5: ['AC-5', 'AC-3(2) (statement unconfirmed)'],
  },
  revoke: {
    dora: ['Art. 9(4)(c)'],
    rts2024_1774: ['Art. 21(e)(iii)', 'Art. 21(e)(ii)', 'Art. 20(2)(b)'],
    owaspNhi2025: ['NHI1:2025', 'NHI7:2025'],
    nistCsf2: ['PR.AA-05'],
    iso27001_2022: ['A.5.18', 'A.8.2', 'A.5.16'],
    nist80053r5: ['AC-2(2)', 'AC-2(3)', 'AC-2(f)', 'AC-6(7)'],
  },
  monitor: {
    dora: ['Art. 9(3)(b)', 'Art. 10(1)', 'Art. 10(3)'],
    rts2024_1774: ['Art. 21(d)', 'Art. 23(2)(b)', 'Art. 23(4)'],
    owaspNhi2025: ['NHI1:2025'],
    nistCsf2: ['DE.CM-03', 'DE.AE-02'],
    iso27001_2022: ['A.8.16', 'A.8.15'],
    nist80053r5: ['AC-3', 'AC-2(12)', 'AU-6', 'SI-4'],
  },
  logging: {
    dora: ['Art. 12(1)'],
    rts2024_1774: ['Art. 12(2)(c)(i)'],
    owaspNhi2025: [],
    nistCsf2: ['PR.PS-04'],
    iso27001_2022: ['A.8.15'],
    nist80053r5: ['AU-2', 'AU-12'],
  },
};
const rules = [
  ['self-approval', 'critical', C.sod, 'Requester approved their own request'],
  ['activity-after-expiry', 'critical', C.monitor, 'Activity after the grant expired'],
  ['never-revoked', 'high', C.revoke, 'Grant never revoked or expired'],
  ['missing-approval', 'high', C.approval, 'No approval record'],
  ['ttl-exceeded', 'medium', C.revoke, 'Granted longer than the policy maximum'],
  ['approval-after-issuance', 'medium', C.approval, 'Approved only after access was issued'],
  ['session-unlogged', 'low', C.logging, 'Session without a session record'],
  ['coverage-gap', 'low', C.logging, 'A source was silent for longer than allowed'],
  ['clock-skew', 'low', C.logging, 'Source clocks disagree'],
];
const ruleTitles = Object.fromEntries(rules.map(([id, , , title]) => [id, title]));

const events = new Map();
function event(id, atMs, stage, source, action, summary, n) {
  const locator =
    source === 'cyberark'
      ? `row ${n + 2}`
      : source === 'vault'
        ? `line ${n * 7 + 1}`
        : `/Records/${n}`;
  events.set(id, {
    id,
    at: iso(atMs),
    stage,
    source: {
      importer: source,
      file: files[source],
      sha256: sha(sources.indexOf(source) + 1),
      locator,
    },
    tickets: [],
    action,
    outcome: 'success',
    summary,
  });
  return id;
}

const grants = [];
const gaps = [];
for (let n = 0; n < 30; n += 1) {
  const subject = people[n % people.length];
  const [targetId, targetName] = targets[n % targets.length];
  const source = sources[n % sources.length];
  const requested = since + (n * 2.9 + 0.3) * DAY + (n % 5) * 3_600_000;
  const approved = requested + 20 * 60_000;
  const issued = approved + 5 * 60_000;
  const long = n % 9 === 4;
  const open = n % 11 === 3;
  const ended = open ? null : issued + (long ? 9 * DAY : (1 + (n % 4)) * 3_600_000);
  const id = `gr-${sha(n + 10).slice(0, 12)}`;
  const ids = [
    event(
      `ev-${n}-req`,
      requested,
      'request',
      'jira',
      'jira:issue_created',
      `${subject} requested ${targetName} (ACC-${800 + n})`,
      n * 4,
    ),
    event(
      `ev-${n}-apr`,
      approved,
      'approval',
      'jira',
      'jira:approval',
      `bob@bank.example approved ACC-${800 + n}`,
      n * 4 + 1,
    ),
    event(
      `ev-${n}-iss`,
      issued,
      'issuance',
      source,
      source === 'okta' ? 'group.user_membership.add' : 'AssumeRole',
      `${subject} added to ${targetName}`,
      n * 4 + 2,
    ),
  ];
  if (ended)
    ids.push(
      event(
        `ev-${n}-end`,
        ended,
        'revocation',
        source,
        'group.user_membership.remove',
        `${subject} removed from ${targetName}`,
        n * 4 + 3,
      ),
    );
  const grant = {
    id,
    subject: { id: subject, kind: subject.startsWith('svc-') ? 'service' : 'human' },
    target: { id: targetId, name: targetName },
    requestedAt: iso(requested),
    approvals: [{ by: n % 7 === 2 ? subject : 'bob@bank.example', at: iso(approved) }],
    denials: [],
    issuedAt: iso(issued),
    expiresAt: iso(issued + 4 * 3_600_000),
    endedAt: ended ? iso(ended) : null,
    endReason: open ? 'open' : 'revoked',
    sessions: [
      { start: iso(issued + 600_000), end: iso(issued + 3_000_000), activityCount: 3 + n },
    ],
    tickets: [`ACC-${800 + n}`],
    breakGlass: n === 13,
    eventIds: ids,
    links: ids.map((eventId, i) => ({
      eventId,
      reason: ['ticket-reference', 'ticket-reference', 'grant-key', 'grant-key'][i],
    })),
    gapIds: [],
  };
  grants.push(grant);
  if (n % 3 === 0 || open || long) {
    const picks = open ? [rules[2]] : long ? [rules[4]] : [rules[((n / 3) % 6) | 0]];
    if (n === 0) picks.push(rules[1], rules[6]);
    for (const [rule, severity, controls] of picks) {
      const gapId = `gap-${sha(n + 40).slice(0, 10)}-${rule}`;
      grant.gapIds.push(gapId);
      gaps.push({
        id: gapId,
        rule,
        severity,
        grantId: id,
        subject,
        target: targetId,
        at: iso(issued),
        message:
          `${subject} held ${targetName} from ${iso(issued)}${ended ? ` to ${iso(ended)}` : ' and it was still open at as-of'}; ` +
          `ticket ACC-${800 + n}; policy maxTtl 4h (firm policy, not regulation).`,
        evidence: ids.slice(1),
        controls,
        coverage: n === 6 ? 'partial' : 'covered',
        certainty: n === 9 ? 'uncertain' : 'certain',
      });
    }
  }
}
gaps.push(
  {
    id: 'gap-src-coverage-cloudtrail',
    rule: 'coverage-gap',
    severity: 'low',
    grantId: null,
    subject: null,
    target: null,
    at: iso(since + 40 * DAY),
    message:
      'aws-cloudtrail has no events from 2026-02-10T00:00:00Z to 2026-02-17T00:00:00Z (7 days; policy maxSilence 2h)',
    evidence: [],
    controls: C.logging,
    coverage: 'not-covered',
    certainty: 'certain',
  },
  {
    id: 'gap-src-skew-vault',
    rule: 'clock-skew',
    severity: 'low',
    grantId: null,
    subject: null,
    target: null,
    at: iso(since + 50 * DAY),
    message: 'vault audit times run 3m12s behind okta for the same sessions (policy clockSkew 2m)',
    evidence: ['ev-3-iss'],
    controls: C.logging,
    coverage: 'covered',
    certainty: 'uncertain',
  },
);

const daysWithData = {};
for (const [i, source] of sources.entries()) {
  const days = [];
  for (let d = 0; d < 90; d += 1) {
    const silent =
      (source === 'aws-cloudtrail' && d >= 40 && d < 47) ||
      (source === 'vault' && d > 70) ||
      (source === 'jira' && d % 7 === 5) ||
      (source === 'teleport' && d < 12 + i);
    if (!silent) days.push(iso(since + d * DAY).slice(0, 10));
  }
  daysWithData[source] = days;
}

const accounting = sources.map((source, i) => ({
  file: files[source],
  sha256: sha(i + 1),
  size: 10_000 * (i + 1),
  importer: source,
  read: 1000 + i * 37,
  normalized: 900 + i * 30,
  ignored: 95 + i * 6,
  ignoredByKind: { ListBuckets: 95 + i * 6 },
  rejected: 5 + i,
  coverage: { from: iso(since + i * DAY), to: iso(since + (89 - i) * DAY + 3_600_000) },
}));
accounting.push({
  file: 'exports/misc/README.txt',
  sha256: sha(99),
  size: 312,
  importer: null,
  read: 0,
  normalized: 0,
  ignored: 0,
  ignoredByKind: {},
  rejected: 0,
  coverage: { from: null, to: null },
  error: 'no importer recognized this file (best score 0)',
});

const rejected = Array.from({ length: 12 }, (_, i) => ({
  file: files[sources[i % sources.length]],
  locator: `/Records/${100 + i}`,
  reason:
    i % 2
      ? 'eventTime missing: expected ISO 8601 UTC time'
      : 'time "03/02/2026 14:05" has no offset and no timezone is configured; set timezone or --timezone',
}));

const input = {
  grants,
  gaps,
  events,
  accounting,
  rejected,
  policy: {
    maxTtl: '8h',
    requireTicket: true,
    requireApproval: true,
    separationOfDuties: true,
    approvalValidity: '24h',
    clockSkew: '2m',
    breakGlass: { markers: ['break-glass', 'emergency'], reviewWithin: '72h' },
    coverage: { maxSilence: { 'aws-cloudtrail': '2h' } },
  },
  period: { since: iso(since), until: iso(since + 90 * DAY - 1) },
  asOf: iso(since + 90 * DAY - 1),
  toolVersion: '0.1.0',
  evidenceDigest: '3f9a1c0e7b2d4a6f8e1c3b5d7f9a0c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d0f2a',
  signerFingerprint: null,
  ruleTitles,
  daysWithData,
  policyStatements: [
    "maxTtl 8h (prod-admin: 4h) is the firm's policy; no DORA or RTS provision sets a maximum duration.",
    "Break-glass use must be reviewed within 72h: the firm's policy, not regulation.",
    "approvalValidity 24h and clockSkew 2m are the firm's parameters.",
  ],
};

mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, await renderReport(input));
process.stderr.write(`wrote ${out}\n`);
