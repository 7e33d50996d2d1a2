// retention-shortfall: a source whose records begin well after the start of the period.
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { FIRM_POLICY, at, span } from './words.js';

export const retentionShortfall: Rule = {
  meta: defineMeta({
    id: 'retention-shortfall',
    title: 'Source records start after the period begins',
    severity: 'medium',
    rationale:
      'Evidence for the whole period must still exist; records that begin late have aged out of ' +
      'retention or were not exported. DORA sets no retention period: the firm sets its own ' +
      '(RTS 2024/1774 Art. 12(2)(a)).',
    remediation:
      'Export from the archive (S3 trail bucket, SIEM) rather than the console history, or extend retention.',
    evidenceFamilies: [],
    policyParameters: ['policy.coverage.startTolerance'],
    limitations: [
      'Judged from the earliest record of each importer against period.since; sparse sources ' +
        '(few tickets) may start late legitimately.',
    ],
  }),
  check({ accounting, policy, sinceMs }) {
    const earliest = new Map<string, { ms: number; files: string[] }>();
    for (const file of accounting) {
      if (!file.importer || !file.coverage.from) continue;
      const ms = Date.parse(file.coverage.from);
      const entry = earliest.get(file.importer) ?? { ms: Infinity, files: [] };
      entry.ms = Math.min(entry.ms, ms);
      entry.files.push(file.file);
      earliest.set(file.importer, entry);
    }
    const tolerance = policy.coverage.startTolerance;
    const gaps: GapDraft[] = [];
    for (const [importer, entry] of [...earliest].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const late = entry.ms - sinceMs;
      if (late <= tolerance) continue;
      gaps.push({
        grant: null,
        subject: null,
        target: null,
        atMs: sinceMs,
        window: [sinceMs, entry.ms],
        coverage: 'not-covered',
        evidence: [],
        message:
          `The earliest ${importer} record is at ${at(entry.ms)}, ${span(late)} after the period starts at ` +
          `${at(sinceMs)}; earlier records have aged out or were not exported (tolerance ` +
          `policy.coverage.startTolerance ${span(tolerance)}, ${FIRM_POLICY}).`,
      });
    }
    return gaps;
  },
};
