// activity-after-expiry: use after the credential's own expiry (or after the grant lapsed).
import { SESSION_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords, list, span } from './words.js';

export const activityAfterExpiry: Rule = {
  meta: defineMeta({
    id: 'activity-after-expiry',
    title: 'Activity after expiry',
    severity: 'critical',
    rationale:
      'A credential used successfully after its own expiry means expiry is not enforced, a clock is ' +
      'wrong, or the credential was replaced by one nobody granted; each is an anomaly to investigate.',
    remediation:
      "Investigate the actions, check the sources' clocks, and confirm the issuer enforces expiry.",
    evidenceFamilies: SESSION_FAMILIES,
    policyParameters: ['policy.clockSkew'],
    limitations: [
      'Failed calls (e.g. ExpiredToken) show expiry working and are not findings.',
      'Use after a revocation but before the credential expires is activity-outside-grant.',
    ],
  }),
  check({ grants, policy }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      const s = grant.afterExpiry;
      if (!s) continue;
      const certain = s.certain > 0;
      const edge = s.edges.has('credential-expiry')
        ? "the credential's own expiry"
        : "the grant's expiry";
      const expiry = grant.expiresMs !== null ? ` (grant expiry ${at(grant.expiresMs)})` : '';
      gaps.push({
        grant,
        atMs: s.firstMs,
        window: [s.firstMs, s.lastMs],
        certainty: certain ? 'certain' : 'uncertain',
        evidence: s.evidence,
        message:
          `${s.count} successful activity record(s) of ${grantWords(grant)} between ${at(s.firstMs)} and ` +
          `${at(s.lastMs)} (${list([...s.actions].sort())}) came after ${edge}${expiry}, up to ` +
          `${span(s.maxDeltaMs)} late.` +
          (certain ? '' : ` All within the clock skew of ${span(policy.clockSkew)}: uncertain.`),
      });
    }
    return gaps;
  },
};
