// never-revoked: a grant still open at as-of, with no stated expiry, older than the maximum TTL.
import { SYSTEM_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { FIRM_POLICY, at, grantWords, maxTtlFor, span } from './words.js';

export const neverRevoked: Rule = {
  meta: defineMeta({
    id: 'never-revoked',
    title: 'Grant never revoked (standing privilege)',
    severity: 'high',
    rationale:
      'Access no longer needed must be withdrawn without undue delay (RTS 2024/1774 Art. 21(e)(iii)); ' +
      'an elevation with neither revocation nor expiry has become standing privilege.',
    remediation:
      'Revoke the access now, and make grants time-bound in the issuing system (PIM, TEAM, PAM expiry).',
    evidenceFamilies: SYSTEM_FAMILIES,
    policyParameters: ['policy.maxTtl', 'targets[].maxTtl'],
    limitations: [
      'A grant whose revocation only a ticket claims is reported as missing-revocation-evidence instead.',
    ],
  }),
  check({ grants, policy, resolver, asOfMs }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      if (grant.endReason !== 'open' || grant.expiresMs !== null || grant.claimedEnds.length > 0)
        continue;
      const max = maxTtlFor(grant, resolver.targetConfig(grant.target.id)?.maxTtl, policy.maxTtl);
      const age = asOfMs - grant.issuedMs;
      if (age <= max.ms) continue;
      gaps.push({
        grant,
        atMs: grant.issuedMs + max.ms,
        window: [grant.issuedMs, asOfMs],
        evidence: [grant.anchor.id],
        message:
          `${grantWords(grant)} has no revocation or expiry on record; at as-of ${at(asOfMs)} it has been ` +
          `open for ${span(age)}, longer than ${max.where} of ${span(max.ms)} (${FIRM_POLICY}).`,
      });
    }
    return gaps;
  },
};
