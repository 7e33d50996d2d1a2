// missing-approval: a grant with no approval (and no denial) on record.
import { REQUEST_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords, list } from './words.js';

export const missingApproval: Rule = {
  meta: defineMeta({
    id: 'missing-approval',
    title: 'Grant without an approval',
    severity: 'high',
    rationale:
      'Privileged access should be granted only after someone accountable approved it; no approval ' +
      'record means the grant cannot be shown to be authorized.',
    remediation:
      'Require an approval step before issuance (PAM dual control, PIM approval, ticket approval) ' +
      'and export the approval records with the other evidence.',
    evidenceFamilies: REQUEST_FAMILIES,
    policyParameters: ['policy.requireApproval'],
    limitations: [
      'A recorded denial without approval is reported as denied-but-issued instead.',
      'Break-glass grants are judged by break-glass-unreviewed instead.',
    ],
  }),
  check({ grants, policy }) {
    if (!policy.requireApproval) return [];
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      if (grant.breakGlass || grant.approvals.length > 0 || grant.denials.length > 0) continue;
      const tickets =
        grant.tickets.size > 0
          ? `; referenced ticket(s) ${list([...grant.tickets].sort())} carry no approval`
          : '';
      gaps.push({
        grant,
        atMs: grant.issuedMs,
        window: [grant.issuedMs - policy.approvalValidity, grant.issuedMs],
        evidence: [grant.anchor.id, ...grant.requests.map((e) => e.id)],
        message: `No approval on record for ${grantWords(grant)}, issued at ${at(grant.issuedMs)}${tickets}.`,
      });
    }
    return gaps;
  },
};
