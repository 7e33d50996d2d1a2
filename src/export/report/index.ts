// Renders the auditor's PDF report: cover, summary, charts, gaps, grant details, appendix.
import { drawAppendix, drawEvidenceIndex, drawGapTable, drawGrantPages } from './details.js';
import { drawCoverageChart, drawLifecycleChart } from './charts.js';
import { drawCover, drawSummary } from './cover.js';
import type { ReportInput } from './input.js';
import { ReportWriter } from './writer.js';

export type { ReportInput } from './input.js';
export { MissingGlyphError } from './fonts.js';

/** Draws the whole report; deterministic for the same input (dates come from as-of). */
export async function renderReport(input: ReportInput): Promise<Buffer> {
  const writer = new ReportWriter(
    `Privileged access evidence ${input.period.since.slice(0, 10)} to ${input.period.until.slice(0, 10)}`,
    new Date(input.asOf),
  );
  drawCover(writer, input);
  drawSummary(writer, input);
  drawCoverageChart(writer, input);
  drawLifecycleChart(writer, input);
  drawGapTable(writer, input);
  drawGrantPages(writer, input);
  drawAppendix(writer, input);
  drawEvidenceIndex(writer, input);
  return writer.finish(
    (page, pages) =>
      `dora-evidence report · as of ${input.asOf} · evidence digest ${input.evidenceDigest.slice(0, 16)}… · page ${page} of ${pages}`,
  );
}

/** The UTC days with at least one event, per importer, for the coverage chart. */
export function daysWithData(
  events: Iterable<{ at: string; source: { importer: string } }>,
): Record<string, string[]> {
  const days = new Map<string, Set<string>>();
  for (const event of events) {
    const set = days.get(event.source.importer) ?? new Set<string>();
    set.add(event.at.slice(0, 10));
    days.set(event.source.importer, set);
  }
  return Object.fromEntries(
    [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]),
  );
}
