// nhi-long-lived-credential: a non-human grant realised as a static or long-lived credential.
import { SYSTEM_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import { isNonHuman } from './nhi.js';
import type { GapDraft, Rule } from './types.js';
import { FIRM_POLICY, at, grantWords, span } from './words.js';

export const nhiLongLivedCredential: Rule = {
  meta: defineMeta({
    id: 'nhi-long-lived-credential',
    title: 'Long-lived credential of a non-human identity',
    severity: 'medium',
    rationale:
      'Static secrets without expiry are the most leaked and least rotated credentials (OWASP NHI7); ' +
      'the acceptable lifetime is a parameter the firm sets itself.',
    remediation:
      'Replace static keys with short-lived, federated credentials, or rotate within the policy age.',
    evidenceFamilies: SYSTEM_FAMILIES,
    policyParameters: ['policy.nhiMaxCredentialAge'],
  }),
  check({ grants, policy, asOfMs }) {
    const gaps: GapDraft[] = [];
    const maxAge = policy.nhiMaxCredentialAge;
    for (const grant of grants) {
      if (!isNonHuman(grant)) continue;
      const limit = `policy.nhiMaxCredentialAge is ${span(maxAge)} (${FIRM_POLICY})`;
      let message: string | undefined;
      if (grant.expiresMs !== null && grant.expiresMs - grant.issuedMs > maxAge) {
        message = `${grantWords(grant)} is valid until ${at(grant.expiresMs)}, ${span(grant.expiresMs - grant.issuedMs)}; ${limit}.`;
      } else if (grant.expiresMs === null && grant.endMs === null) {
        message = `${grantWords(grant)} states no expiry and is still valid at as-of ${at(asOfMs)} (${span(asOfMs - grant.issuedMs)}): a static credential.`;
      } else if (
        grant.expiresMs === null &&
        grant.endMs !== null &&
        grant.endMs - grant.issuedMs > maxAge
      ) {
        message = `${grantWords(grant)} stated no expiry and lived ${span(grant.endMs - grant.issuedMs)} until ${at(grant.endMs)}; ${limit}.`;
      }
      if (!message) continue;
      gaps.push({
        grant,
        atMs: grant.issuedMs,
        window: [grant.issuedMs, grant.endMs ?? asOfMs],
        evidence: [grant.anchor.id],
        message,
      });
    }
    return gaps;
  },
};
