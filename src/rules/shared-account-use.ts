// shared-account-use: privileged access held by a generic account rather than a person.
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { grantWords } from './words.js';

export const sharedAccountUse: Rule = {
  meta: defineMeta({
    id: 'shared-account-use',
    title: 'Privileged use of a shared account',
    severity: 'medium',
    rationale:
      'Actions on a generic account cannot be tied to one person (RTS 2024/1774 Art. 21(c)).',
    remediation:
      'Use personal admin accounts through PAM; vault the shared credential and log who checked it out.',
    evidenceFamilies: [],
    policyParameters: ['identities[].shared', 'policy.sharedAccounts'],
  }),
  check({ grants, resolver, policy }) {
    const generic = new Set(policy.sharedAccounts.map((n) => n.toLowerCase()));
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      const entry = resolver.identityConfig(grant.subject.id);
      const name = accountName(grant.subject.raw || grant.subject.id);
      const why = entry?.shared
        ? 'it is marked shared in the config'
        : generic.has(name) || generic.has(grant.subject.id.toLowerCase())
          ? `"${name}" is a generic account name (policy.sharedAccounts)`
          : undefined;
      if (!why) continue;
      gaps.push({
        grant,
        atMs: grant.issuedMs,
        coverage: 'covered',
        evidence: [grant.anchor.id],
        message: `${grantWords(grant)} is held by a shared account: ${why}.`,
      });
    }
    return gaps;
  },
};

// The account part of arn:aws:iam::1:root, BANK\Administrator, admin@bank.example, ou/root.
function accountName(raw: string): string {
  const last =
    raw
      .trim()
      .split(/[\\/:]/)
      .pop() ?? raw;
  return last.split('@')[0].toLowerCase();
}
