// coverage-gap: a source silent for longer than policy.coverage.maxSilence inside the period.
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { FIRM_POLICY, at, span } from './words.js';

export const coverageGap: Rule = {
  meta: defineMeta({
    id: 'coverage-gap',
    title: 'Source silent longer than tolerated',
    severity: 'medium',
    rationale:
      'A window with no records from a source that is normally busy points to a collector outage or ' +
      'a missing export; nothing in that window can be shown either way.',
    remediation: 'Export the missing window, or record the outage and its cause.',
    evidenceFamilies: [],
    policyParameters: ['policy.coverage.maxSilence'],
    limitations: [
      'Checked only for importers listed in policy.coverage.maxSilence; the start of the ' +
        'period is judged by retention-shortfall.',
    ],
  }),
  check({ events, policy, sinceMs, untilMs, asOfMs }) {
    const limits = Object.entries(policy.coverage.maxSilence).sort(([a], [b]) => (a < b ? -1 : 1));
    if (limits.length === 0) return [];
    const end = Math.min(untilMs, asOfMs);
    // One pass over the sorted timeline: only each source's previous record is kept, so a
    // timeline of millions of events costs nothing per event here.
    const streams = new Map<string, SilenceScan>(
      limits.map(([importer, maxSilence]) => [importer, { maxSilence, last: null, silences: [] }]),
    );
    for (const event of events) {
      const scan = streams.get(event.source.importer);
      if (!scan) continue;
      const ms = Date.parse(event.at);
      if (ms < sinceMs || ms > end) continue;
      const previous = scan.last;
      if (previous && ms - previous.ms > scan.maxSilence) {
        scan.silences.push({ from: previous, to: { ms, id: event.id } });
      }
      scan.last = { ms, id: event.id };
    }

    const gaps: GapDraft[] = [];
    for (const [importer, maxSilence] of limits) {
      const scan = streams.get(importer) as SilenceScan;
      const limit = `policy.coverage.maxSilence.${importer} is ${span(maxSilence)} (${FIRM_POLICY})`;
      if (scan.last === null) {
        gaps.push(
          silence(
            sinceMs,
            end,
            [],
            `No ${importer} records at all between ${at(sinceMs)} and ${at(end)}; ${limit}.`,
          ),
        );
        continue;
      }
      for (const { from, to } of scan.silences) {
        const quiet = to.ms - from.ms;
        const between = `between ${at(from.ms)} and ${at(to.ms)} (${span(quiet)})`;
        gaps.push(
          silence(from.ms, to.ms, [from.id, to.id], `No ${importer} records ${between}; ${limit}.`),
        );
      }
      const last = scan.last;
      if (end - last.ms > maxSilence) {
        gaps.push(
          silence(
            last.ms,
            end,
            [last.id],
            `The last ${importer} record is at ${at(last.ms)}, ${span(end - last.ms)} before the end of the period at ${at(end)}; ${limit}.`,
          ),
        );
      }
    }
    return gaps;
  },
};

interface SilenceScan {
  maxSilence: number;
  last: { ms: number; id: string } | null;
  silences: { from: { ms: number; id: string }; to: { ms: number; id: string } }[];
}

function silence(from: number, to: number, evidence: string[], message: string): GapDraft {
  return {
    grant: null,
    subject: null,
    target: null,
    atMs: from,
    window: [from, to],
    coverage: 'not-covered',
    evidence,
    message,
  };
}
