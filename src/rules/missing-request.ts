// missing-request: a grant with no request record and no ticket reference behind it.
import { REQUEST_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords } from './words.js';

export const missingRequest: Rule = {
  meta: defineMeta({
    id: 'missing-request',
    title: 'Grant without a request or ticket',
    severity: 'medium',
    rationale:
      'Privileged access is to be granted only for a stated, legitimate need; without a request ' +
      'or ticket nobody can show why the access existed.',
    remediation:
      'Route elevation through the request workflow and reference the ticket in the grant ' +
      '(justification, session name or tag); add the missing ticket export if one exists.',
    evidenceFamilies: REQUEST_FAMILIES,
    policyParameters: ['policy.requireTicket', 'policy.approvalValidity'],
    limitations: [
      'Break-glass grants are judged by break-glass-unreviewed instead: their control is the review after use.',
    ],
  }),
  check({ grants, policy }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      if (grant.breakGlass) continue;
      const requestEvidence = grant.requests.length + grant.approvals.length + grant.denials.length;
      const window = [grant.issuedMs - policy.approvalValidity, grant.issuedMs] as const;
      if (requestEvidence === 0 && grant.tickets.size === 0) {
        gaps.push({
          grant,
          atMs: grant.issuedMs,
          window,
          evidence: [grant.anchor.id],
          message:
            `No request record and no ticket reference for ${grantWords(grant)}; the issuance ` +
            `${grant.anchor.action} (${grant.anchor.source.importer}) at ${at(grant.issuedMs)} is the first record of it.`,
        });
      } else if (policy.requireTicket && grant.tickets.size === 0) {
        gaps.push({
          grant,
          atMs: grant.issuedMs,
          window,
          evidence: [grant.anchor.id, ...grant.requests.map((e) => e.id)],
          message:
            `${grantWords(grant)} has a request record but no ticket reference; policy.requireTicket ` +
            `is set (the firm's own policy).`,
        });
      }
    }
    return gaps;
  },
};
