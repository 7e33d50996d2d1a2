// excessive-scope: the granted target differs from (or contains) the one requested.
import { REQUEST_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords } from './words.js';

export const excessiveScope: Rule = {
  meta: defineMeta({
    id: 'excessive-scope',
    title: 'Granted more than requested',
    severity: 'medium',
    rationale: 'Least privilege: the grant should match the approved request, not a broader role.',
    remediation:
      'Issue exactly the requested role; declare role containment in targets[].includes to make the check precise.',
    evidenceFamilies: REQUEST_FAMILIES,
    policyParameters: ['targets[].includes'],
    limitations: [
      "Compares the request's target with the grant's target only; permission-level scope is not in the timeline.",
    ],
  }),
  check({ grants, resolver }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      const includes = resolver.targetConfig(grant.target.id)?.includes ?? [];
      const seen = new Set<string>();
      for (const request of grant.requests) {
        const requested = request.target?.id;
        if (!requested || requested === grant.target.id || seen.has(requested)) continue;
        seen.add(requested);
        const relation = includes.includes(requested)
          ? `which the config says contains ${requested}`
          : `not the ${requested} that was requested`;
        gaps.push({
          grant,
          atMs: grant.issuedMs,
          evidence: [request.id, grant.anchor.id],
          message:
            `Request at ${at(Date.parse(request.at))} asked for ${requested}; ${grantWords(grant)} issued ` +
            `${grant.target.id}, ${relation}.`,
        });
      }
    }
    return gaps;
  },
};
