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
      'Checked only for importers listed in policy.coverage.maxSilence; the start of the period is judged by retention-shortfall.',
    ],
  }),
  check({ events, policy, sinceMs, untilMs, asOfMs }) {
    const limits = Object.entries(policy.coverage.maxSilence).sort(([a], [b]) => (a < b ? -1 : 1));
    if (limits.length === 0) return [];
    const end = Math.min(untilMs, asOfMs);
    const times = new Map<string, { ms: number; id: string }[]>(
      limits.map(([importer]) => [importer, []]),
    );
    for (const event of events) {
      const list = times.get(event.source.importer);
      if (!list) continue;
      const ms = Date.parse(event.at);
      if (ms >= sinceMs && ms <= end) list.push({ ms, id: event.id });
    }

    const gaps: GapDraft[] = [];
    for (const [importer, maxSilence] of limits) {
      const list = times.get(importer) ?? [];
      const limit = `policy.coverage.maxSilence.${importer} is ${span(maxSilence)} (${FIRM_POLICY})`;
      if (list.length === 0) {
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
      for (let i = 1; i < list.length; i += 1) {
        const quiet = list[i].ms - list[i - 1].ms;
        if (quiet <= maxSilence) continue;
        gaps.push(
          silence(
            list[i - 1].ms,
            list[i].ms,
            [list[i - 1].id, list[i].id],
            `No ${importer} records between ${at(list[i - 1].ms)} and ${at(list[i].ms)} (${span(quiet)}); ${limit}.`,
          ),
        );
      }
      const last = list[list.length - 1];
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
