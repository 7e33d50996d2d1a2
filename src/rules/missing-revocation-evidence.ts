// missing-revocation-evidence: an end claimed (ticket, stated membership expiry) that no
// deprovisioning record in the IdP, PAM or cloud logs confirms.
import { SYSTEM_FAMILIES, familyOf } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords } from './words.js';

export const missingRevocationEvidence: Rule = {
  meta: defineMeta({
    id: 'missing-revocation-evidence',
    title: 'Revocation claimed but not evidenced',
    severity: 'medium',
    rationale:
      'A ticket saying access was removed, or an entitlement said to expire, is a claim; only a ' +
      'deprovisioning record in the system holding the access shows that it really ended.',
    remediation:
      'Export the IdP / PAM / cloud records covering the claimed end, or revoke the access and record it.',
    evidenceFamilies: SYSTEM_FAMILIES,
    policyParameters: [],
    limitations: [
      'Credentials that expire by themselves (STS keys, certificates, leases) need no ' +
        'removal record and are not checked.',
    ],
  }),
  check({ grants, asOfMs }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      const systemEnd = grant.revocations.length + grant.expiries.length > 0;
      if (systemEnd) continue;

      const claim = [...grant.claimedEnds].sort((a, b) => (a.at < b.at ? -1 : 1))[0];
      const lapsedFirst =
        grant.endReason === 'expired' &&
        claim &&
        grant.endMs !== null &&
        grant.endMs <= Date.parse(claim.at);
      if (claim && !lapsedFirst) {
        gaps.push({
          grant,
          atMs: Date.parse(claim.at),
          window: [Date.parse(claim.at), asOfMs],
          evidence: [claim.id, grant.anchor.id],
          message:
            `${claim.source.importer} records ${claim.stage} of ${grantWords(grant)} at ${at(Date.parse(claim.at))} ` +
            `(${claim.action}${claim.tickets.length ? `, ${claim.tickets.join(', ')}` : ''}), but no revocation or ` +
            `expiry record from the IdP, PAM or cloud sources confirms it.`,
        });
        continue;
      }

      // An IdP membership with a stated end does not remove itself: a removal record should follow.
      const idpStated =
        grant.endReason === 'expired' &&
        grant.endEvent === null &&
        familyOf(grant.anchor.source.importer) === 'idp';
      if (idpStated && grant.endMs !== null) {
        gaps.push({
          grant,
          atMs: grant.endMs,
          window: [grant.endMs, asOfMs],
          evidence: [grant.anchor.id],
          message:
            `${grantWords(grant)} was stated to end at ${at(grant.endMs)}, but ${grant.anchor.source.importer} ` +
            `has no removal or expiry record for it up to as-of ${at(asOfMs)}.`,
        });
      }
    }
    return gaps;
  },
};
