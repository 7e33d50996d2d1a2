// source-integrity-unverified: a source whose integrity could not be proven (or failed a check).
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';

export const sourceIntegrityUnverified: Rule = {
  meta: defineMeta({
    id: 'source-integrity-unverified',
    title: 'Source integrity not verified',
    severity: 'low',
    rationale:
      'Logs are to be protected against tampering (RTS 2024/1774 Art. 12(2)(d)); without an integrity ' +
      'proof (e.g. CloudTrail digest files) tampering with the export cannot be excluded.',
    remediation:
      "Enable and export the source's integrity mechanism (CloudTrail log-file validation digests), or " +
      'collect the export through a write-once store.',
    evidenceFamilies: [],
    policyParameters: [],
    limitations: [
      "Raised from the importers' notes and the accounting's integrity status; formats with no integrity mechanism at all carry no note.",
      'A failed check is reported at severity high or above.',
    ],
  }),
  check({ notes, accounting, sinceMs }) {
    const gaps: GapDraft[] = [];
    const seen = new Set<string>();
    const coverageFrom = new Map(accounting.map((f) => [f.file, f.coverage.from]));

    const add = (file: string, status: 'unverified' | 'failed', message: string) => {
      const key = `${file}\u0000${status}`;
      if (seen.has(key)) return;
      seen.add(key);
      const from = coverageFrom.get(file);
      gaps.push({
        grant: null,
        subject: null,
        target: null,
        atMs: from ? Date.parse(from) : sinceMs,
        coverage: 'covered',
        evidence: [],
        severityAtLeast: status === 'failed' ? 'high' : undefined,
        message:
          status === 'failed'
            ? `Integrity check FAILED for ${file}: ${sentence(message)} ` +
              'Its records may have been altered or lost.'
            : `Integrity of ${file} is not verified: ${sentence(message)} Tampering cannot be excluded.`,
      });
    };

    const sortedNotes = [...notes].sort((a, b) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : a.message < b.message ? -1 : 1,
    );
    for (const note of sortedNotes) {
      if (note.kind === 'integrity-unverified') add(note.file, 'unverified', note.message);
      if (note.kind === 'integrity-failed') add(note.file, 'failed', note.message);
    }
    for (const file of accounting) {
      if (file.integrity === 'unverified')
        add(file.file, 'unverified', 'the importer reports no integrity proof.');
      if (file.integrity === 'failed')
        add(file.file, 'failed', 'the importer reports a failed integrity check.');
    }
    return gaps;
  },
};

/** A note as a sentence: importer notes may or may not end with a full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
