// Report layout fixes found by looking at rendered pages: glyph fallback, ticks, labels, gap rows.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport, type ReportInput } from '../../src/export/report/index.js';
import { dayTicks } from '../../src/export/report/charts.js';
import { splitRuns } from '../../src/export/report/fonts.js';
import { ReportWriter } from '../../src/export/report/writer.js';
import type { Gap, Grant } from '../../src/model/index.js';
import { bugcase, hasBugcases } from '../helpers/paths.js';

const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
const DAY = 86_400_000;

function pdfText(pdf: Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dora-layout-')), 'report.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

function grant(n: number, subject: string, approver: string): Grant {
  const at = new Date(Date.UTC(2026, 0, 2 + n, 9)).toISOString();
  return {
    id: `gr-${n}`,
    subject: { id: subject, kind: 'human' },
    target: { id: 'prod-admin', name: 'Prod Admin' },
    requestedAt: at,
    approvals: [{ by: approver, at }],
    denials: [],
    issuedAt: at,
    expiresAt: null,
    endedAt: new Date(Date.parse(at) + 3_600_000).toISOString(),
    endReason: 'revoked',
    sessions: [],
    tickets: [],
    breakGlass: false,
    eventIds: [],
    links: [],
    gapIds: [],
  };
}

function gap(n: number, grantId: string): Gap {
  return {
    id: `gap-${n}`,
    rule: 'self-approval',
    severity: (['critical', 'high', 'medium', 'low'] as const)[n % 4],
    grantId,
    subject: 'alice@bank.example',
    target: 'prod-admin',
    at: '2026-01-02T09:00:00.000Z',
    message: `alice@bank.example approved their own request ACC-${n}`,
    evidence: [`ev-evidence-${n}`],
    controls: {
      dora: ['Art. 9(4)(c)'],
      rts2024_1774: ['Art. 21(b)'],
      owaspNhi2025: ['NHI1:2025'],
      nistCsf2: ['PR.AA-05'],
      iso27001_2022: ['A.5.3'],
      nist80053r5: ['AC-5'],
    },
    coverage: 'covered',
    certainty: 'certain',
  };
}

function input(grants: Grant[], gaps: Gap[]): ReportInput {
  return {
    grants,
    gaps,
    events: new Map(),
    accounting: [],
    rejected: [],
    policy: {},
    period: { since: '2026-01-01T00:00:00.000Z', until: '2026-03-31T23:59:59.999Z' },
    asOf: '2026-03-31T23:59:59.999Z',
    toolVersion: '0.1.0',
    evidenceDigest: 'e'.repeat(64),
    signerFingerprint: null,
    ruleTitles: {},
    daysWithData: {},
    policyStatements: [],
  };
}

describe('report layout', () => {
  it('draws a letter the mono font lacks in DejaVu Sans instead of a blank box', () => {
    // DejaVu Sans Mono has no U+1EC5; the grant facts block is set in mono.
    expect(splitRuns('Nguyễn', 'mono')).toEqual([
      { font: 'mono', text: 'Nguy' },
      { font: 'regular', text: 'ễ' },
      { font: 'mono', text: 'n' },
    ]);
    expect(splitRuns('王芳 Ø', 'bold').map((r) => r.font)).toEqual(['cjk', 'bold']);
  });

  it.skipIf(!hasPoppler || !hasBugcases)(
    'bug-16: prints every name exactly as an approver too (mono block)',
    async () => {
      const people = (
        JSON.parse(readFileSync(bugcase('bug-16', 'approvers.json'), 'utf8')) as {
          people: { name: string }[];
        }
      ).people;
      const grants = people.map((p, i) => grant(i, 'requester@bank.example', p.name));
      const gaps = grants.map((g, i) => gap(i, g.id));
      const text = pdfText(await renderReport(input(grants, gaps)));
      for (const person of people) expect(text).toContain(`by ${person.name}`);
    },
  );

  it('puts date ticks on UTC midnights far enough apart for their labels', () => {
    const from = Date.parse('2026-01-01T00:00:00.000Z');
    const ninetyDays = dayTicks(from, from + 90 * DAY, 309);
    expect(ninetyDays.map((ms) => new Date(ms).toISOString().slice(0, 10))).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
    ]);
    const fortnight = dayTicks(from + 5 * 3_600_000, from + 14 * DAY, 340);
    expect(fortnight[0]).toBe(from + DAY);
    for (const ticks of [ninetyDays, fortnight]) {
      for (let i = 1; i < ticks.length; i += 1) expect(ticks[i] % DAY).toBe(0);
    }
    const spacing = (340 / 14) * ((fortnight[1] - fortnight[0]) / DAY);
    expect(spacing).toBeGreaterThanOrEqual(58);
  });

  it('cuts a chart label to one line with an ellipsis', () => {
    const writer = new ReportWriter('t', new Date(0));
    const long = `svc-deploy-pipeline-prod-${'x'.repeat(200)}`;
    const cut = writer.fit(long, 100, 6.5);
    expect(cut.endsWith('…')).toBe(true);
    expect(writer.doc.font('regular').fontSize(6.5).widthOfString(cut)).toBeLessThanOrEqual(100);
    expect(writer.fit('bob', 100, 6.5)).toBe('bob');
  });

  it.skipIf(!hasPoppler)(
    'lists references and evidence under each gap and marks a continued table',
    async () => {
      const grants = Array.from({ length: 40 }, (_, i) =>
        grant(i, 'alice@bank.example', 'alice@bank.example'),
      );
      const text = pdfText(
        await renderReport(
          input(
            grants,
            grants.map((g, i) => gap(i, g.id)),
          ),
        ),
      );
      expect(text).toContain('DORA / RTS 2024/1774: DORA Art. 9(4)(c); RTS Art. 21(b)');
      expect(text).toContain('Other: OWASP NHI NHI1:2025; CSF PR.AA-05; ISO A.5.3; 800-53 AC-5');
      for (let i = 0; i < 40; i += 1) expect(text).toContain(`Evidence: ev-evidence-${i}`);
      expect(text).toContain('Gaps (continued)');
    },
  );
});
