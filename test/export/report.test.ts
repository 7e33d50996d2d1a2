// Report tests: text layer content, non-Latin names, determinism, bounded length at scale.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport, type ReportInput } from '../../src/export/report/index.js';
import { MissingGlyphError, splitRuns } from '../../src/export/report/fonts.js';
import type { Gap, Grant, TimelineEvent } from '../../src/model/index.js';
import { bugcase, hasBugcases } from '../helpers/paths.js';

const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;

function grant(n: number, subject: string, extra: Partial<Grant> = {}): Grant {
  const issued = new Date(Date.UTC(2026, 0, 1 + (n % 80), 8)).toISOString();
  return {
    id: `gr-${String(n).padStart(5, '0')}`,
    subject: { id: subject, kind: 'human' },
    target: { id: `prod-admin-${n % 5}`, name: `Prod Admin ${n % 5}` },
    requestedAt: issued,
    approvals: [{ by: 'bob@bank.example', at: issued }],
    denials: [],
    issuedAt: issued,
    expiresAt: null,
    endedAt: new Date(Date.parse(issued) + 3_600_000).toISOString(),
    endReason: 'revoked',
    sessions: [{ start: issued, end: issued, activityCount: 3 }],
    tickets: [`ACC-${n}`],
    breakGlass: false,
    eventIds: [`ev-${n}`],
    links: [{ eventId: `ev-${n}`, reason: 'grant-key' }],
    gapIds: [],
    ...extra,
  };
}

function gap(
  n: number,
  rule: Gap['rule'],
  severity: Gap['severity'],
  grantId: string | null,
  subject: string,
): Gap {
  return {
    id: `gap-${n}`,
    rule,
    severity,
    grantId,
    subject,
    target: 'prod-admin-0',
    at: '2026-01-02T09:00:00.000Z',
    message: `${subject} approved their own request ACC-${n} for prod-admin-0 at 2026-01-02T09:00:00.000Z`,
    evidence: [`ev-${n}`],
    controls: {
      dora: ['9(4)(c)'],
      rts2024_1774: ['21(b)'],
      owaspNhi2025: [],
      nistCsf2: ['PR.AA-05'],
      iso27001_2022: ['5.3'],
      nist80053r5: ['AC-5'],
    },
    coverage: 'covered',
    certainty: 'certain',
  };
}

function event(n: number): TimelineEvent {
  return {
    id: `ev-${n}`,
    at: '2026-01-02T08:00:00.000Z',
    stage: 'issuance',
    source: {
      importer: 'okta',
      file: 'exports/okta/system-log.json',
      sha256: 'a'.repeat(64),
      locator: `/${n}`,
    },
    tickets: [`ACC-${n}`],
    action: 'group.user_membership.add',
    outcome: 'success',
    summary: `added to Prod Admins (${n})`,
  };
}

function input(grants: Grant[], gaps: Gap[], events: TimelineEvent[]): ReportInput {
  return {
    grants,
    gaps,
    events: new Map(events.map((e) => [e.id, e])),
    accounting: [
      {
        file: 'exports/okta/system-log.json',
        sha256: 'a'.repeat(64),
        size: 100,
        importer: 'okta',
        read: 10,
        normalized: 8,
        ignored: 1,
        ignoredByKind: { 'user.session.start': 1 },
        rejected: 1,
        coverage: { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' },
      },
    ],
    rejected: [
      {
        file: 'exports/okta/system-log.json',
        locator: '/9',
        reason: 'published missing: expected ISO 8601 time',
      },
    ],
    policy: { maxTtl: '8h', clockSkew: '2m' },
    period: { since: '2026-01-01T00:00:00.000Z', until: '2026-03-31T23:59:59.999Z' },
    asOf: '2026-03-31T23:59:59.999Z',
    toolVersion: '0.1.0',
    evidenceDigest: 'd'.repeat(64),
    signerFingerprint: null,
    ruleTitles: {
      'self-approval': 'Requester approved their own request',
      'never-revoked': 'Grant never revoked',
    },
    daysWithData: { okta: ['2026-01-01', '2026-01-02', '2026-02-10'] },
    policyStatements: ["maxTtl 8h is the firm's policy"],
  };
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dora-report-'));
  const file = path.join(dir, 'report.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

describe('renderReport', () => {
  it('gives the same bytes for the same input', async () => {
    const grants = [grant(1, 'alice@bank.example')];
    const gaps = [gap(1, 'self-approval', 'high', 'gr-00001', 'alice@bank.example')];
    const a = await renderReport(input(grants, gaps, [event(1)]));
    const b = await renderReport(input(grants, gaps, [event(1)]));
    expect(a.equals(b)).toBe(true);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it.skipIf(!hasPoppler)(
    'puts rule ids, the digest and the UNSIGNED mark in the text layer',
    async () => {
      const grants = [
        grant(1, 'alice@bank.example'),
        grant(2, 'carol@bank.example', { endReason: 'open', endedAt: null }),
      ];
      const gaps = [
        gap(1, 'self-approval', 'high', 'gr-00001', 'alice@bank.example'),
        gap(2, 'never-revoked', 'medium', 'gr-00002', 'carol@bank.example'),
      ];
      const text = pdfText(await renderReport(input(grants, gaps, [event(1), event(2)])));
      expect(text).toContain('self-approval');
      expect(text).toContain('never-revoked');
      expect(text).toContain('d'.repeat(64));
      expect(text).toContain('UNSIGNED');
      expect(text).toContain('exports/okta/system-log.json');
    },
  );

  it.skipIf(!hasPoppler || !hasBugcases)(
    'bug-16: prints every non-Latin name exactly',
    async () => {
      const people = (
        JSON.parse(readFileSync(bugcase('bug-16', 'approvers.json'), 'utf8')) as {
          people: { name: string }[];
        }
      ).people;
      const grants = people.map((p, i) => grant(i, p.name));
      const text = pdfText(await renderReport(input(grants, [], [])));
      for (const person of people) expect(text).toContain(person.name);
      expect(people.map((p) => p.name)).toContain('王芳');
    },
  );

  it('fails instead of printing a blank when no font has a glyph', () => {
    expect(() => splitRuns('ok \u{1F9EA} not')).toThrow(MissingGlyphError);
    expect(splitRuns('Zoë 王芳').map((r) => r.font)).toEqual(['regular', 'cjk']);
  });

  it('stays bounded for 5,000 grants and 5,000 gaps', async () => {
    const grants = Array.from({ length: 5000 }, (_, i) => grant(i, `user${i}@bank.example`));
    const gaps = grants.map((g, i) =>
      gap(
        i,
        i % 2 ? 'self-approval' : 'never-revoked',
        i % 3 ? 'medium' : 'high',
        g.id,
        g.subject.id,
      ),
    );
    const events = grants.map((_, i) => event(i));
    const pdf = await renderReport(input(grants, gaps, events));
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThan(10);
    expect(pages).toBeLessThanOrEqual(150);
  });
});
