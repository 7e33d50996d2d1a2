// denied-but-issued: access issued although the request's standing decision was a denial.
import { REQUEST_FAMILIES } from '../correlate/families.js';
import { by, decisions } from './decisions.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords, span } from './words.js';

export const deniedButIssued: Rule = {
  meta: defineMeta({
    id: 'denied-but-issued',
    title: 'Access issued after the request was denied',
    severity: 'critical',
    rationale:
      'A denial is the accountable decision not to grant; issuing anyway means the approval ' +
      'control was bypassed.',
    remediation:
      'Revoke the access, find out who issued it and how the denial was bypassed, and make the ' +
      'issuing system honour the request state.',
    controlsNote:
      'control-references.md has no row for this rule; the references are those of missing-approval plus AC-3.',
    evidenceFamilies: REQUEST_FAMILIES,
    policyParameters: ['policy.clockSkew'],
  }),
  check({ grants, skewMs }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      if (grant.denials.length === 0) continue;
      const all = decisions(grant);
      const standing = all.filter((d) => d.ms <= grant.issuedMs + skewMs).pop();
      const noApproval = grant.approvals.length === 0;
      if (!(standing?.kind === 'denial' || noApproval)) continue;

      const denial = standing?.kind === 'denial' ? standing : all.find((d) => d.kind === 'denial');
      if (!denial) continue;
      // An approval inside the skew band of the denial: which decision came last is not certain.
      const uncertain = all.some(
        (d) => d.kind === 'approval' && Math.abs(d.ms - denial.ms) <= skewMs,
      );
      const when =
        denial.ms <= grant.issuedMs
          ? `${span(grant.issuedMs - denial.ms)} before`
          : `${span(denial.ms - grant.issuedMs)} after`;
      gaps.push({
        grant,
        atMs: grant.issuedMs,
        window: [denial.ms, grant.issuedMs],
        certainty: uncertain ? 'uncertain' : 'certain',
        evidence: [denial.event.id, grant.anchor.id],
        message:
          `Request denied by ${by(denial.event)} at ${at(denial.ms)}, yet ${grantWords(grant)} was ` +
          `issued at ${at(grant.issuedMs)} (${when} the denial)` +
          (noApproval
            ? ', with no approval on record.'
            : '; no later approval came before the issuance.'),
      });
    }
    return gaps;
  },
};
