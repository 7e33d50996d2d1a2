// nhi-no-owner: a grant to a non-human identity that has no named owner in the config.
import { defineMeta } from './meta.js';
import { isNonHuman } from './nhi.js';
import type { GapDraft, Rule } from './types.js';
import { grantWords } from './words.js';

export const nhiNoOwner: Rule = {
  meta: defineMeta({
    id: 'nhi-no-owner',
    title: 'Non-human identity without an owner',
    severity: 'medium',
    rationale:
      'Every service account, API key or agent needs an accountable person; otherwise nobody reviews, ' +
      'rotates or offboards it.',
    remediation:
      'Name the owner in the config (identities[].owner) and in the inventory the config mirrors.',
    evidenceFamilies: [],
    policyParameters: ['identities[].owner', 'identities[].kind'],
  }),
  check({ grants, resolver }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      if (!isNonHuman(grant)) continue;
      const entry = resolver.identityConfig(grant.subject.id);
      if (entry?.owner) continue;
      gaps.push({
        grant,
        atMs: grant.issuedMs,
        coverage: 'covered',
        evidence: [grant.anchor.id],
        message: entry
          ? `${grantWords(grant)}: ${grant.subject.kind} identity ${grant.subject.id} has no owner in the config.`
          : `${grantWords(grant)}: ${grant.subject.kind} identity ${grant.subject.id} is not in the config identities, so no owner is named.`,
      });
    }
    return gaps;
  },
};
