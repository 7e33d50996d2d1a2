// break-glass-unreviewed: emergency access with no review record within reviewWithin after use.
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { FIRM_POLICY, at, grantWords, list, span } from './words.js';

export const breakGlassUnreviewed: Rule = {
  meta: defineMeta({
    id: 'break-glass-unreviewed',
    title: 'Break-glass use without a timely review',
    severity: 'high',
    rationale:
      'Emergency access skips the approval step, so its control is the review afterwards. The review ' +
      "deadline is the firm's own policy: no regulation sets one (DORA Art. 13(2) requires a " +
      'post-incident review only after major ICT-related incidents).',
    remediation:
      'Review every break-glass use: a review record (ticket event of stage review) referencing the ' +
      "grant's ticket or key, within policy.breakGlass.reviewWithin of the end of use.",
    evidenceFamilies: ['ticketing', 'generic'],
    policyParameters: ['policy.breakGlass.markers', 'policy.breakGlass.reviewWithin'],
  }),
  check({ grants, policy, skewMs, asOfMs }) {
    const gaps: GapDraft[] = [];
    const within = policy.breakGlass.reviewWithin;
    for (const grant of grants) {
      if (!grant.breakGlass) continue;
      const from = grant.endMs ?? grant.issuedMs;
      const deadline = from + within;
      const reviews = grant.reviews
        .map((e) => ({ event: e, ms: Date.parse(e.at) }))
        .filter((r) => r.ms >= grant.issuedMs - skewMs)
        .sort((a, b) => a.ms - b.ms);
      const first = reviews[0];
      if (first && first.ms <= deadline) continue;
      if (!first && deadline > asOfMs) continue;

      const why = list(grant.breakGlassWhy, 2);
      const base =
        `Break-glass ${grantWords(grant)} (${why}) ${grant.endMs !== null ? `ended ${at(grant.endMs)}` : 'is still open'}; ` +
        `the review was due by ${at(deadline)} (policy.breakGlass.reviewWithin ${span(within)}, ${FIRM_POLICY})`;
      gaps.push({
        grant,
        atMs: deadline,
        window: [grant.issuedMs, Math.min(asOfMs, first?.ms ?? asOfMs)],
        certainty: first && first.ms - deadline <= skewMs ? 'uncertain' : 'certain',
        evidence: [grant.anchor.id, ...(first ? [first.event.id] : [])],
        message: first
          ? `${base}, but the first review record is at ${at(first.ms)}, ${span(first.ms - deadline)} late.`
          : `${base}; no review record references it up to as-of ${at(asOfMs)}.`,
      });
    }
    return gaps;
  },
};
