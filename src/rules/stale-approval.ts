// stale-approval: the approval the issuance rests on is older than approvalValidity.
import { REQUEST_FAMILIES } from '../correlate/families.js';
import { by } from './decisions.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { FIRM_POLICY, at, grantWords, span } from './words.js';

export const staleApproval: Rule = {
  meta: defineMeta({
    id: 'stale-approval',
    title: 'Approval too old for the issuance',
    severity: 'low',
    rationale:
      'An approval stands for a need at a time; reused long afterwards it no longer shows that need.',
    remediation:
      'Expire approvals that are not acted on within the validity window and request anew.',
    controlsNote:
      'control-references.md has no row for this rule; the references are those of missing-approval.',
    evidenceFamilies: REQUEST_FAMILIES,
    policyParameters: ['policy.approvalValidity'],
  }),
  check({ grants, policy, skewMs }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      const before = grant.approvals
        .map((event) => ({ event, ms: Date.parse(event.at) }))
        .filter((a) => a.ms <= grant.issuedMs)
        .sort((a, b) => a.ms - b.ms);
      const latest = before[before.length - 1];
      if (!latest) continue;
      const age = grant.issuedMs - latest.ms;
      if (age <= policy.approvalValidity) continue;
      gaps.push({
        grant,
        atMs: grant.issuedMs,
        window: [latest.ms, grant.issuedMs],
        certainty: age - policy.approvalValidity <= skewMs ? 'uncertain' : 'certain',
        evidence: [latest.event.id, grant.anchor.id],
        message:
          `${grantWords(grant)} rests on the approval by ${by(latest.event)} at ${at(latest.ms)}, ` +
          `${span(age)} before issuance; policy.approvalValidity is ${span(policy.approvalValidity)} (${FIRM_POLICY}).`,
      });
    }
    return gaps;
  },
};
