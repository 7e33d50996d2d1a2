// clock-skew: two sources record the same occurrence (same grant key) further apart than allowed.
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, span } from './words.js';

export const clockSkew: Rule = {
  meta: defineMeta({
    id: 'clock-skew',
    title: 'Sources disagree on time beyond the tolerated skew',
    severity: 'low',
    rationale:
      'Every comparison of times across sources assumes synchronised clocks (RTS 2024/1774 Art. 12(2)(f)); ' +
      'a larger offset makes order-based findings unreliable.',
    remediation:
      "Synchronise the systems' clocks to a reference time source, or raise policy.clockSkew knowingly.",
    evidenceFamilies: [],
    policyParameters: ['policy.clockSkew'],
    limitations: ['Detected where two importers log one issuance under the same grant key.'],
  }),
  check({ correlation, policy }) {
    const pairs = new Map<
      string,
      { a: string; b: string; max: number; count: number; firstMs: number; evidence: string[] }
    >();
    for (const obs of correlation.skew) {
      const [a, b] = [...obs.importers].sort();
      const key = `${a}\u0000${b}`;
      const entry = pairs.get(key) ?? { a, b, max: 0, count: 0, firstMs: Infinity, evidence: [] };
      entry.max = Math.max(entry.max, obs.deltaMs);
      entry.count += 1;
      entry.firstMs = Math.min(entry.firstMs, obs.atMs);
      if (entry.evidence.length < 10) entry.evidence.push(...obs.eventIds);
      pairs.set(key, entry);
    }
    const gaps: GapDraft[] = [];
    for (const entry of [...pairs.values()].sort((x, y) => (x.a + x.b < y.a + y.b ? -1 : 1))) {
      gaps.push({
        grant: null,
        subject: null,
        target: null,
        atMs: entry.firstMs,
        coverage: 'covered',
        evidence: entry.evidence,
        message:
          `${entry.a} and ${entry.b} record ${entry.count} shared issuance(s) up to ${span(entry.max)} apart; ` +
          `policy.clockSkew tolerates ${span(policy.clockSkew)}. Order-based findings between these sources are less reliable.`,
      });
    }
    return gaps;
  },
};
