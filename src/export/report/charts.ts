// Vector charts: one lifecycle bar per grant, and per-source coverage by day across the period.
import type { Grant } from '../../model/grant.js';
import { COLORS, CONTENT_WIDTH, PAGE, type ReportWriter } from './writer.js';
import { grantsWorstFirst, LIMITS, severityRank, type ReportInput } from './input.js';

const DAY_MS = 86_400_000;

function timeScale(fromMs: number, toMs: number, left: number, width: number) {
  const span = Math.max(1, toMs - fromMs);
  return (ms: number) => left + ((Math.min(Math.max(ms, fromMs), toMs) - fromMs) / span) * width;
}

function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function drawAxis(w: ReportWriter, fromMs: number, toMs: number, left: number, width: number): void {
  const x = timeScale(fromMs, toMs, left, width);
  const top = w.y;
  w.doc.moveTo(left, top + 10).lineTo(left + width, top + 10).lineWidth(0.5).strokeColor(COLORS.muted).stroke();
  const ticks = 6;
  for (let i = 0; i <= ticks; i += 1) {
    const ms = fromMs + ((toMs - fromMs) * i) / ticks;
    const label = new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    w.text(label, { x: Math.min(x(ms) - 30, left + width - 60), y: top, size: 6, color: COLORS.muted, width: 70 });
  }
  w.y = top + 16;
}

export function drawCoverageChart(w: ReportWriter, input: ReportInput): void {
  w.newPage();
  w.heading('Coverage per source');
  w.text(
    'Each cell is one UTC day of the period: filled when the source has at least one event that day, empty when ' +
      'it has none. Empty stretches are where evidence may be missing (see coverage-gap findings).',
    { size: 8.5, color: COLORS.muted, gap: 8 },
  );

  const fromMs = Date.parse(input.period.since.slice(0, 10));
  const toMs = Date.parse(input.period.until.slice(0, 10));
  const days = Math.max(1, Math.round((toMs - fromMs) / DAY_MS) + 1);
  const labelWidth = 110;
  const gridWidth = CONTENT_WIDTH - labelWidth - 40;
  const cell = gridWidth / days;
  const sources = Object.keys(input.daysWithData).sort();

  drawAxis(w, fromMs, toMs + DAY_MS, PAGE.margin + labelWidth, gridWidth);
  for (const source of sources) {
    w.ensureSpace(16);
    const top = w.y;
    const present = new Set(input.daysWithData[source]);
    w.text(source, { x: PAGE.margin, y: top, size: 7.5, width: labelWidth - 4 });
    let covered = 0;
    for (let d = 0; d < days; d += 1) {
      const key = dayKey(fromMs + d * DAY_MS);
      const x = PAGE.margin + labelWidth + d * cell;
      if (present.has(key)) {
        covered += 1;
        w.doc.rect(x, top + 1, Math.max(cell - (cell > 3 ? 0.6 : 0), 0.4), 9).fill(COLORS.ok);
      } else {
        w.doc.rect(x, top + 1, Math.max(cell - (cell > 3 ? 0.6 : 0), 0.4), 9).lineWidth(0.2).strokeColor(COLORS.rule).stroke();
      }
    }
    w.text(`${Math.round((covered / days) * 100)}%`, { x: PAGE.margin + labelWidth + gridWidth + 4, y: top, size: 7.5, width: 36 });
    w.y = top + 14;
  }
  if (sources.length === 0) w.text('No source produced events in the period.');
  w.y += 8;
}

export function drawLifecycleChart(w: ReportWriter, input: ReportInput): void {
  w.newPage();
  w.heading('Grant lifecycles');
  const shown = grantsWorstFirst(input.grants, input.gaps).slice(0, LIMITS.lifecycleGrants);
  const more = input.grants.length - shown.length;
  w.text(
    'One bar per grant, from request (or issuance) to its end; an open grant runs to as-of. Marks: ▲ approval, ' +
      '■ session, ✕ revocation, ● gap (colored by severity). Grants with the worst gaps come first.' +
      (more > 0 ? ` ${more} more grants are not drawn; grants.csv lists every grant.` : ''),
    { size: 8.5, color: COLORS.muted, gap: 8 },
  );

  const fromMs = Date.parse(input.period.since);
  const toMs = Math.max(Date.parse(input.period.until), Date.parse(input.asOf));
  const labelWidth = 150;
  const left = PAGE.margin + labelWidth;
  const width = CONTENT_WIDTH - labelWidth;
  const x = timeScale(fromMs, toMs, left, width);
  const gapsByGrant = new Map<string, typeof input.gaps>();
  for (const gap of input.gaps) if (gap.grantId) gapsByGrant.set(gap.grantId, [...(gapsByGrant.get(gap.grantId) ?? []), gap]);

  drawAxis(w, fromMs, toMs, left, width);
  for (const grant of shown) {
    if (w.y + 14 > PAGE.height - PAGE.margin - 18) {
      w.newPage();
      drawAxis(w, fromMs, toMs, left, width);
    }
    drawGrantBar(w, grant, gapsByGrant.get(grant.id) ?? [], x, input.asOf);
  }
}

function drawGrantBar(
  w: ReportWriter,
  grant: Grant,
  gaps: ReportInput['gaps'],
  x: (ms: number) => number,
  asOf: string,
): void {
  const doc = w.doc;
  const top = w.y;
  w.text(`${grant.subject.id} → ${grant.target.name || grant.target.id}`, { x: PAGE.margin, y: top, size: 6.5, width: 146 });
  w.y = top;

  const startText = grant.requestedAt ?? grant.issuedAt ?? grant.approvals[0]?.at ?? asOf;
  const endText = grant.endedAt ?? asOf;
  const start = x(Date.parse(startText));
  const end = Math.max(start + 1.5, x(Date.parse(endText)));
  const color = grant.endReason === 'open' ? COLORS.open : COLORS.bar;
  doc.rect(start, top + 3, end - start, 5).fill(color);

  for (const session of grant.sessions) {
    const s = x(Date.parse(session.start ?? session.firstActivityAt ?? startText));
    const e = x(Date.parse(session.end ?? session.lastActivityAt ?? endText));
    doc.rect(s, top + 8.5, Math.max(1.5, e - s), 2.5).fill('#1a73e8');
  }
  for (const approval of grant.approvals) {
    const ax = x(Date.parse(approval.at));
    doc.polygon([ax - 2.5, top + 2.5], [ax + 2.5, top + 2.5], [ax, top - 1.5]).fill(COLORS.ok);
  }
  if (grant.endReason === 'revoked' && grant.endedAt) {
    const rx = x(Date.parse(grant.endedAt));
    doc.moveTo(rx - 2, top + 2).lineTo(rx + 2, top + 9).moveTo(rx + 2, top + 2).lineTo(rx - 2, top + 9).lineWidth(0.8).strokeColor(COLORS.text).stroke();
  }
  for (const gap of [...gaps].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))) {
    doc.circle(x(Date.parse(gap.at)), top + 5.5, 2.2).fill(COLORS[gap.severity]);
  }
  w.y = top + 13;
}
