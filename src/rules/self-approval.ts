// self-approval: the requester or the beneficiary approved the grant (after identity resolution).
import { REQUEST_FAMILIES } from '../correlate/families.js';
import { by } from './decisions.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords } from './words.js';

export const selfApproval: Rule = {
  meta: defineMeta({
    id: 'self-approval',
    title: 'Requester approved their own access',
    severity: 'high',
    rationale:
      'Segregation of duties: nobody should be able to grant themselves privileged access. The ' +
      'check runs on canonical identities, so a second alias of the requester counts as the requester.',
    remediation:
      'Block self-approval in the workflow and add every alias of each person to the config identities.',
    evidenceFamilies: REQUEST_FAMILIES,
    policyParameters: ['policy.separationOfDuties', 'identities[].aliases'],
  }),
  check({ grants, policy }) {
    if (!policy.separationOfDuties) return [];
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      const requesters = new Map<string, string>();
      for (const request of grant.requests) {
        if (request.actor) requesters.set(request.actor.id, `requested it at ${request.at}`);
      }
      requesters.set(grant.subject.id, 'receives the access');
      for (const approval of grant.approvals) {
        const approver = by(approval);
        const role = requesters.get(approver);
        if (approver === '(unknown)' || !role) continue;
        gaps.push({
          grant,
          atMs: Date.parse(approval.at),
          evidence: [approval.id, ...grant.requests.map((e) => e.id), grant.anchor.id],
          message:
            `${grantWords(grant)} was approved at ${at(Date.parse(approval.at))} by ${approver}` +
            ` (as ${JSON.stringify(approval.actor?.raw ?? approver)}), who ${role}.`,
        });
      }
    }
    return gaps;
  },
};
