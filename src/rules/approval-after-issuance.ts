// approval-after-issuance: every approval is later than the issuance it should have allowed.
import { REQUEST_FAMILIES } from '../correlate/families.js';
import { by } from './decisions.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords, span } from './words.js';

export const approvalAfterIssuance: Rule = {
  meta: defineMeta({
    id: 'approval-after-issuance',
    title: 'Approval recorded after the access was issued',
    severity: 'medium',
    rationale:
      'An approval given after the fact does not authorize the access it follows; only emergency ' +
      'procedures may approve afterwards, and those are judged as break-glass.',
    remediation:
      'Make issuance wait for the approval (PAM/PIM workflow gates), or route emergencies through break-glass.',
    evidenceFamilies: REQUEST_FAMILIES,
    policyParameters: ['policy.clockSkew'],
    limitations: ['Break-glass grants are judged by break-glass-unreviewed instead.'],
  }),
  check({ grants, skewMs, policy }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      if (grant.breakGlass || grant.approvals.length === 0) continue;
      const times = grant.approvals
        .map((e) => ({ event: e, ms: Date.parse(e.at) }))
        .sort((a, b) => a.ms - b.ms);
      if (times[0].ms <= grant.issuedMs) continue;
      const first = times[0];
      const late = first.ms - grant.issuedMs;
      const uncertain = late <= skewMs;
      gaps.push({
        grant,
        atMs: first.ms,
        window: [grant.issuedMs, first.ms],
        certainty: uncertain ? 'uncertain' : 'certain',
        evidence: [grant.anchor.id, first.event.id],
        message:
          `${grantWords(grant)} was issued at ${at(grant.issuedMs)}; the first approval, by ` +
          `${by(first.event)}, is at ${at(first.ms)}, ${span(late)} later` +
          (uncertain
            ? `. That is inside the configured clock skew of ${span(policy.clockSkew)}, so the order is uncertain.`
            : '.'),
      });
    }
    return gaps;
  },
};
