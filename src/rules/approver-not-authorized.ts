// approver-not-authorized: an approval by someone not on the target's approver list.
import { REQUEST_FAMILIES } from '../correlate/families.js';
import { by } from './decisions.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords, list } from './words.js';

export const approverNotAuthorized: Rule = {
  meta: defineMeta({
    id: 'approver-not-authorized',
    title: 'Approval by someone not authorized to approve',
    severity: 'high',
    rationale:
      'Granting privileged access is an assigned role; an approval by anyone else authorizes nothing.',
    remediation:
      'Restrict approval rights in the workflow to the target owners, and keep targets[].approvers current.',
    controlsNote:
      'control-references.md has no row for this rule; the references are RTS 21(e)(i) ' +
      '(assigned roles for granting) and segregation of duties.',
    evidenceFamilies: REQUEST_FAMILIES,
    policyParameters: ['targets[].approvers'],
    limitations: ['Checked only for targets whose approvers are listed in the config.'],
  }),
  check({ grants, resolver }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      const allowed = resolver.targetConfig(grant.target.id)?.approvers;
      if (!allowed) continue;
      for (const approval of grant.approvals) {
        const approver = by(approval);
        if (allowed.includes(approver)) continue;
        gaps.push({
          grant,
          atMs: Date.parse(approval.at),
          evidence: [approval.id, grant.anchor.id],
          message:
            `${grantWords(grant)} was approved at ${at(Date.parse(approval.at))} by ${approver}, who is not ` +
            `among the approvers configured for ${grant.target.id} (${list(allowed)}).`,
        });
      }
    }
    return gaps;
  },
};
