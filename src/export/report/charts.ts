// Vector charts: one lifecycle bar per grant, and per-source coverage by day across the period.
import type { Grant } from '../../model/grant.js';
import { COLORS, CONTENT_WIDTH, PAGE, type ReportWriter } from './writer.js';
import { grantsWorstFirst, LIMITS, severityRank, type ReportInput } from './input.js';

const DAY_MS = 86_400_000;
const GRID = '#e3e6ea';
const NO_DATA = '#f6d5d1';
const SESSION = '#1a73e8';
/** Footer space kept free at the page bottom. */
const CHART_BOTTOM = PAGE.height - PAGE.margin - 18;

type Scale = (ms: number) => number;

function timeScale(fromMs: number, toMs: number, left: number, width: number): Scale {
  const span = Math.max(1, toMs - fromMs);
  return (ms: number) => left + ((Math.min(Math.max(ms, fromMs), toMs) - fromMs) / span) * width;
}

function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** UTC midnights at a step wide enough that date labels never touch (monthly: the 1st). */
export function dayTicks(fromMs: number, toMs: number, width: number): number[] {
  const days = Math.max(1, (toMs - fromMs) / DAY_MS);
  const step = [1, 2, 7, 14].find((d) => (width / days) * d >= 58) ?? 0;
  const ticks: number[] = [];
  const first = Math.ceil(fromMs / DAY_MS) * DAY_MS;
  if (step > 0) {
    for (let ms = first; ms <= toMs; ms += step * DAY_MS) ticks.push(ms);
  } else {
    const start = new Date(first);
    for (let m = start.getUTCMonth() + (start.getUTCDate() === 1 ? 0 : 1); ; m += 1) {
      const ms = Date.UTC(start.getUTCFullYear(), m, 1);
      if (ms > toMs) break;
      ticks.push(ms);
    }
  }
  return ticks;
}

/** Axis line with tick marks and date labels centred on them, kept inside the chart and apart. */
function drawAxis(w: ReportWriter, ticks: number[], x: Scale, left: number, width: number): void {
  const doc = w.doc;
  const top = w.y;
  const base = top + 10;
  doc
    .moveTo(left, base)
    .lineTo(left + width, base)
    .lineWidth(0.5)
    .strokeColor(COLORS.muted)
    .stroke();
  let lastRight = -Infinity;
  doc.font('regular').fontSize(6);
  for (const ms of ticks) {
    const label = dayKey(ms);
    const labelWidth = doc.widthOfString(label);
    const at = Math.min(Math.max(x(ms) - labelWidth / 2, left), left + width - labelWidth);
    doc
      .moveTo(x(ms), base)
      .lineTo(x(ms), base + 3)
      .lineWidth(0.5)
      .strokeColor(COLORS.muted)
      .stroke();
    if (at < lastRight + 6) continue;
    w.text(label, { x: at, y: top, size: 6, color: COLORS.muted, width: labelWidth + 2 });
    lastRight = at + labelWidth;
  }
  w.y = base + 5;
}

function gridLines(w: ReportWriter, ticks: number[], x: Scale, top: number, height: number): void {
  for (const ms of ticks) {
    w.doc
      .moveTo(x(ms), top)
      .lineTo(x(ms), top + height)
      .lineWidth(0.3)
      .strokeColor(GRID)
      .stroke();
  }
}

/** A row of legend entries, each a small drawing and a label. */
function drawLegend(
  w: ReportWriter,
  entries: Array<[(x: number, y: number) => void, string]>,
): void {
  const top = w.y;
  let x = PAGE.margin;
  w.doc.font('regular').fontSize(7);
  for (const [draw, label] of entries) {
    const labelWidth = w.doc.widthOfString(label);
    if (x + 16 + labelWidth > PAGE.margin + CONTENT_WIDTH) break;
    draw(x, top + 1);
    w.text(label, { x: x + 14, y: top, size: 7, color: COLORS.text, width: labelWidth + 4 });
    x += 14 + labelWidth + 12;
  }
  w.y = top + 14;
}

export function drawCoverageChart(w: ReportWriter, input: ReportInput): void {
  w.newPage();
  w.heading('Coverage per source');
  w.text(
    'Each UTC day of the period is one cell: green when the source has at least one event that day, red when it ' +
      'has none. Red stretches are where evidence may be missing (see coverage-gap findings). The percentage is ' +
      'the share of days with data.',
    { size: 8.5, color: COLORS.muted, gap: 6 },
  );
  drawLegend(w, [
    [(x, y) => w.doc.rect(x, y, 10, 7).fill(COLORS.ok), 'events that day'],
    [(x, y) => w.doc.rect(x, y, 10, 7).fill(NO_DATA), 'no events that day'],
  ]);

  const fromMs = Date.parse(input.period.since.slice(0, 10));
  const toMs = Date.parse(input.period.until.slice(0, 10));
  const days = Math.max(1, Math.round((toMs - fromMs) / DAY_MS) + 1);
  const labelWidth = 110;
  const left = PAGE.margin + labelWidth;
  const gridWidth = CONTENT_WIDTH - labelWidth - 40;
  const cell = gridWidth / days;
  const x = timeScale(fromMs, fromMs + days * DAY_MS, left, gridWidth);
  const ticks = dayTicks(fromMs, fromMs + days * DAY_MS, gridWidth);
  const sources = Object.keys(input.daysWithData).sort();

  drawAxis(w, ticks, x, left, gridWidth);
  for (const source of sources) {
    if (w.y + 14 > CHART_BOTTOM) {
      w.newPage();
      drawAxis(w, ticks, x, left, gridWidth);
    }
    const top = w.y;
    const present = new Set(input.daysWithData[source]);
    w.text(w.fit(source, labelWidth - 6, 7.5), {
      x: PAGE.margin,
      y: top + 1,
      size: 7.5,
      width: labelWidth - 4,
    });

    // Runs of equal days are drawn as one rectangle, so no hairline between cells reads as a gap.
    let covered = 0;
    let runStart = 0;
    for (let d = 1; d <= days; d += 1) {
      const has = (day: number) => present.has(dayKey(fromMs + day * DAY_MS));
      if (d < days && has(d) === has(runStart)) continue;
      const color = has(runStart) ? COLORS.ok : NO_DATA;
      if (has(runStart)) covered += d - runStart;
      w.doc.rect(left + runStart * cell, top + 1, (d - runStart) * cell, 9).fill(color);
      runStart = d;
    }
    gridLines(w, ticks, x, top, 11);
    w.text(`${Math.round((covered / days) * 100)}%`, {
      x: left + gridWidth + 4,
      y: top + 1,
      size: 7.5,
      width: 36,
    });
    w.y = top + 13;
  }
  if (sources.length === 0) w.text('No source produced events in the period.');
  w.y += 8;
}

function durationText(grant: Grant, asOf: string): string {
  const start = grant.issuedAt ?? grant.requestedAt;
  if (!start) return '';
  const end = grant.endedAt ?? asOf;
  const minutes = Math.max(0, Math.round((Date.parse(end) - Date.parse(start)) / 60_000));
  const text =
    minutes < 60
      ? `${minutes}m`
      : minutes < 2880
        ? `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`
        : `${Math.floor(minutes / 1440)}d ${Math.floor((minutes % 1440) / 60)}h`;
  return grant.endedAt ? text : `open ${text}`;
}

const ROW = 19;

export function drawLifecycleChart(w: ReportWriter, input: ReportInput): void {
  w.newPage();
  w.heading('Grant lifecycles');
  const shown = grantsWorstFirst(input.grants, input.gaps).slice(0, LIMITS.lifecycleGrants);
  const more = input.grants.length - shown.length;
  w.text(
    'One bar per grant, from request (or issuance) to its end; an open grant runs to as-of. Grants with the worst ' +
      'gaps come first; the right column gives the time from issuance to the end (or to as-of).' +
      (more > 0 ? ` ${more} more grants are not drawn; grants.csv lists every grant.` : ''),
    { size: 8.5, color: COLORS.muted, gap: 6 },
  );
  const doc = w.doc;
  drawLegend(w, [
    [(x, y) => doc.rect(x, y + 1, 10, 5).fill(COLORS.bar), 'grant, ended'],
    [(x, y) => doc.rect(x, y + 1, 10, 5).fill(COLORS.open), 'grant, open at as-of'],
    [(x, y) => doc.rect(x, y + 2, 10, 2.5).fill(SESSION), 'session'],
    [
      (x, y) => doc.polygon([x + 2, y + 6], [x + 8, y + 6], [x + 5, y + 1]).fill(COLORS.ok),
      'approval',
    ],
    [(x, y) => revocationMark(w, x + 5, y + 1), 'revocation'],
  ]);
  drawLegend(
    w,
    (['critical', 'high', 'medium', 'low'] as const).map((s) => [
      (x, y) => doc.circle(x + 5, y + 3.5, 2.6).fill(COLORS[s]),
      `gap, ${s}`,
    ]),
  );

  const fromMs = Date.parse(input.period.since);
  const toMs = Math.max(Date.parse(input.period.until), Date.parse(input.asOf));
  const labelWidth = 150;
  const durationWidth = 46;
  const left = PAGE.margin + labelWidth;
  const width = CONTENT_WIDTH - labelWidth - durationWidth;
  const x = timeScale(fromMs, toMs, left, width);
  const ticks = dayTicks(fromMs, toMs, width);
  const gapsByGrant = new Map<string, typeof input.gaps>();
  for (const gap of input.gaps)
    if (gap.grantId) gapsByGrant.set(gap.grantId, [...(gapsByGrant.get(gap.grantId) ?? []), gap]);

  drawAxis(w, ticks, x, left, width);
  shown.forEach((grant, index) => {
    if (w.y + ROW > CHART_BOTTOM) {
      w.newPage();
      drawAxis(w, ticks, x, left, width);
    }
    if (index % 2 === 0) doc.rect(PAGE.margin, w.y, CONTENT_WIDTH, ROW).fill('#f6f7f9');
    gridLines(w, ticks, x, w.y, ROW);
    drawGrantBar(
      w,
      grant,
      gapsByGrant.get(grant.id) ?? [],
      x,
      input.asOf,
      labelWidth,
      durationWidth,
    );
  });
}

function revocationMark(w: ReportWriter, cx: number, top: number): void {
  w.doc
    .moveTo(cx - 2.2, top)
    .lineTo(cx + 2.2, top + 6)
    .moveTo(cx + 2.2, top)
    .lineTo(cx - 2.2, top + 6)
    .lineWidth(0.9)
    .strokeColor(COLORS.text)
    .stroke();
}

function drawGrantBar(
  w: ReportWriter,
  grant: Grant,
  gaps: ReportInput['gaps'],
  x: Scale,
  asOf: string,
  labelWidth: number,
  durationWidth: number,
): void {
  const doc = w.doc;
  const top = w.y;
  // Two lines that always fit: the subject, then the target in grey, each cut with an ellipsis.
  w.text(w.fit(grant.subject.id, labelWidth - 8, 6.5), {
    x: PAGE.margin + 2,
    y: top + 2,
    size: 6.5,
    width: labelWidth,
  });
  w.text(w.fit(`→ ${grant.target.name || grant.target.id}`, labelWidth - 8, 6), {
    x: PAGE.margin + 2,
    y: top + 10,
    size: 6,
    color: COLORS.muted,
    width: labelWidth,
  });

  const mid = top + ROW / 2;
  const startText = grant.requestedAt ?? grant.issuedAt ?? grant.approvals[0]?.at ?? asOf;
  const endText = grant.endedAt ?? asOf;
  const start = x(Date.parse(startText));
  const end = Math.max(start + 2, x(Date.parse(endText)));
  doc
    .rect(start, mid - 3, end - start, 6)
    .fill(grant.endReason === 'open' ? COLORS.open : COLORS.bar);

  for (const session of grant.sessions) {
    const s = x(Date.parse(session.start ?? session.firstActivityAt ?? startText));
    const e = x(Date.parse(session.end ?? session.lastActivityAt ?? endText));
    doc.rect(s, mid + 3.5, Math.max(1.5, e - s), 2.5).fill(SESSION);
  }
  for (const approval of grant.approvals) {
    const ax = x(Date.parse(approval.at));
    doc.polygon([ax - 2.8, mid - 3.5], [ax + 2.8, mid - 3.5], [ax, mid - 8]).fill(COLORS.ok);
  }
  if (grant.endReason === 'revoked' && grant.endedAt)
    revocationMark(w, x(Date.parse(grant.endedAt)), mid - 3);
  for (const gap of [...gaps].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))) {
    doc
      .circle(x(Date.parse(gap.at)), mid, 2.4)
      .lineWidth(0.6)
      .fillAndStroke(COLORS[gap.severity], '#ffffff');
  }

  w.text(durationText(grant, asOf), {
    x: PAGE.margin + CONTENT_WIDTH - durationWidth + 4,
    y: mid - 3.5,
    size: 5.8,
    color: COLORS.muted,
    width: durationWidth - 4,
  });
  w.y = top + ROW;
}
