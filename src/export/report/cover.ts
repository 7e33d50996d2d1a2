// The cover and summary pages: scope, integrity marks, outcomes, gaps by rule, method statement.
import { SEVERITY_ORDER } from '../../model/gap.js';
import { COLORS, CONTENT_WIDTH, PAGE, type ReportWriter } from './writer.js';
import type { ReportInput } from './input.js';

/** "2026-03-31T01:00:00.000Z" as "2026-03-31 01:00:00.000Z": one line in a table cell. */
function spaced(instant: string | null): string {
  return instant ? instant.replace('T', ' ') : '-';
}

export function drawCover(w: ReportWriter, input: ReportInput): void {
  w.text('Privileged access evidence', { size: 24, bold: true, gap: 2 });
  w.text(
    'DORA (EU) 2022/2554 Art. 9(4)(c) and RTS (EU) 2024/1774 Art. 21: temporary, approved, revoked',
    {
      size: 11,
      color: COLORS.muted,
      gap: 18,
    },
  );

  w.table(
    [
      { header: 'Scope', width: 130 },
      { header: '', width: CONTENT_WIDTH - 130, mono: true },
    ],
    [
      [
        'Period under review',
        `${input.period.since}  to  ${input.period.until}\n(UTC, both ends inclusive)`,
      ],
      ['As of', input.asOf],
      ['Evidence digest', input.evidenceDigest],
      ['Signer key (sha256 of SPKI)', input.signerFingerprint ?? 'none'],
      ['Produced by', `dora-evidence ${input.toolVersion}`],
    ],
    8.5,
  );

  if (!input.signerFingerprint) {
    w.ensureSpace(50);
    const top = w.y;
    w.doc.rect(PAGE.margin, top, CONTENT_WIDTH, 40).lineWidth(2).strokeColor(COLORS.high).stroke();
    w.text(
      'UNSIGNED: this bundle carries no signature. Its hashes show integrity only if the ' +
        'manifest itself reached you by a trusted path.',
      {
        x: PAGE.margin + 10,
        y: top + 8,
        width: CONTENT_WIDTH - 20,
        size: 10,
        bold: true,
        color: COLORS.high,
      },
    );
    w.y = top + 50;
  }

  w.text(
    'The evidence digest is the sha256 of the canonical manifest.json without its evidenceDigest and ' +
      'evidenceDigestExcludes keys and without the entries of the files they name (this report and the ' +
      'OSCAL results, which print the digest). A report cannot print the hash of a manifest that lists the ' +
      'report itself; manifest.json carries the digest, the build prints the manifest hash, and ' +
      '"dora-evidence verify" checks both.',
    { size: 8, color: COLORS.muted, gap: 10 },
  );

  w.heading('Sources and time coverage', 2);
  const bySource = new Map<
    string,
    { files: number; events: number; from: string | null; to: string | null; rejected: number }
  >();
  for (const file of input.accounting) {
    const key = file.importer ?? 'unrecognized';
    const entry = bySource.get(key) ?? { files: 0, events: 0, from: null, to: null, rejected: 0 };
    entry.files += 1;
    entry.events += file.normalized;
    entry.rejected += file.rejected;
    if (file.coverage.from && (!entry.from || file.coverage.from < entry.from))
      entry.from = file.coverage.from;
    if (file.coverage.to && (!entry.to || file.coverage.to > entry.to)) entry.to = file.coverage.to;
    bySource.set(key, entry);
  }
  w.table(
    [
      { header: 'Source', width: 105 },
      { header: 'Files', width: 36 },
      { header: 'Records normalized', width: 66 },
      { header: 'Rejected', width: 46 },
      { header: 'First event (UTC)', width: 123, mono: true },
      { header: 'Last event (UTC)', width: CONTENT_WIDTH - 376, mono: true },
    ],
    [...bySource.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([source, e]) => [
        source,
        String(e.files),
        String(e.events),
        String(e.rejected),
        spaced(e.from),
        spaced(e.to),
      ]),
  );
}

export function drawSummary(w: ReportWriter, input: ReportInput): void {
  w.newPage();
  w.heading('Summary');

  const grantsWithGaps = new Set(input.gaps.filter((g) => g.grantId).map((g) => g.grantId));
  const open = input.grants.filter(
    (g) => g.endReason === 'open' && !grantsWithGaps.has(g.id),
  ).length;
  const withGaps = input.grants.filter((g) => grantsWithGaps.has(g.id)).length;
  const clean = input.grants.length - open - withGaps;
  w.table(
    [
      { header: 'Grants', width: 200 },
      { header: 'Count', width: 80 },
    ],
    [
      ['Closed cleanly (revoked or expired, no gap)', String(clean)],
      ['With at least one gap', String(withGaps)],
      ['Still open at as-of, no gap', String(open)],
      ['All grants', String(input.grants.length)],
    ],
    9,
  );

  w.heading('Gaps by severity', 2);
  drawSeverityBars(w, input);

  w.heading('Gaps by rule', 2);
  const byRule = new Map<string, Map<string, number>>();
  for (const gap of input.gaps) {
    const counts = byRule.get(gap.rule) ?? new Map<string, number>();
    counts.set(gap.severity, (counts.get(gap.severity) ?? 0) + 1);
    byRule.set(gap.rule, counts);
  }
  const rows = [...byRule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([rule, counts]) => [
      rule,
      input.ruleTitles[rule] ?? '',
      ...[...SEVERITY_ORDER].reverse().map((s) => String(counts.get(s) ?? 0)),
    ]);
  if (rows.length === 0) w.text('No gaps were found in the period.', { gap: 6 });
  else
    w.table(
      [
        { header: 'Rule', width: 130 },
        { header: 'Title', width: CONTENT_WIDTH - 130 - 4 * 45 },
        { header: 'Critical', width: 45 },
        { header: 'High', width: 45 },
        { header: 'Medium', width: 45 },
        { header: 'Low', width: 45 },
      ],
      rows,
    );

  w.heading('Method', 2);
  w.text(
    `Exports from ${new Set(input.accounting.map((a) => a.importer).filter(Boolean)).size} source types ` +
      `(${input.accounting.length} files) were imported by format-specific importers; every record was ` +
      'normalized, ignored (counted by kind) or rejected (with its position), and the counts balance per file ' +
      "(appendix). Events were joined into grants first by the sources' own grant keys (request ids, leases, " +
      'access keys), then by ticket references, then by subject, target and time window; every link carries ' +
      'its reason in grants.json. Each gap cites the events it rests on, by id, file and locator. A comparison ' +
      'inside the configured clock-skew band is reported as uncertain, never as a violation.',
    { gap: 6 },
  );
  w.text(
    "Thresholds that are the firm's own policy, not law (no DORA or RTS provision sets a maximum TTL or a break-glass review deadline):",
    {
      bold: true,
      gap: 2,
    },
  );
  for (const statement of input.policyStatements) w.text(`•  ${statement}`, { x: PAGE.margin + 8 });
  w.y += 6;
}

function drawSeverityBars(w: ReportWriter, input: ReportInput): void {
  const counts = SEVERITY_ORDER.map((s) => ({
    severity: s,
    count: input.gaps.filter((g) => g.severity === s).length,
  })).reverse();
  const max = Math.max(1, ...counts.map((c) => c.count));
  w.ensureSpace(counts.length * 16 + 10);
  const labelWidth = 60;
  const barWidth = CONTENT_WIDTH - labelWidth - 50;
  for (const { severity, count } of counts) {
    const top = w.y;
    w.text(severity, { x: PAGE.margin, y: top, size: 9 });
    const length = (count / max) * barWidth;
    if (count > 0)
      w.doc.rect(PAGE.margin + labelWidth, top + 1, Math.max(2, length), 10).fill(COLORS[severity]);
    w.text(String(count), { x: PAGE.margin + labelWidth + length + 6, y: top, size: 9 });
    w.y = top + 16;
  }
  w.y += 4;
}
