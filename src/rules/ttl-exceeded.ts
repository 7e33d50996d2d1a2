// ttl-exceeded: granted or actual duration longer than the maximum TTL (firm policy).
import { SYSTEM_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { FIRM_POLICY, at, grantWords, maxTtlFor, span } from './words.js';

export const ttlExceeded: Rule = {
  meta: defineMeta({
    id: 'ttl-exceeded',
    title: 'Grant longer than the maximum TTL',
    severity: 'medium',
    rationale:
      'Privileged access is to be held only while needed (RTS 2024/1774 Art. 21(e)(ii)); the maximum ' +
      'length of a grant is a parameter the firm sets itself, no regulation fixes one.',
    remediation:
      'Cap grant durations in the issuing system at the policy maximum; split longer work into new requests.',
    evidenceFamilies: SYSTEM_FAMILIES,
    policyParameters: ['policy.maxTtl', 'targets[].maxTtl'],
    limitations: ['Open grants without a stated expiry are reported as never-revoked instead.'],
  }),
  check({ grants, policy, resolver, skewMs }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      const max = maxTtlFor(grant, resolver.targetConfig(grant.target.id)?.maxTtl, policy.maxTtl);
      const granted = grant.expiresMs !== null ? grant.expiresMs - grant.issuedMs : null;
      const actual = grant.endMs !== null ? grant.endMs - grant.issuedMs : null;
      const limit = `${max.where} is ${span(max.ms)} (${FIRM_POLICY})`;

      if (granted !== null && granted > max.ms) {
        gaps.push({
          grant,
          atMs: grant.issuedMs + max.ms,
          window: [grant.issuedMs, grant.expiresMs as number],
          certainty: granted - max.ms <= skewMs ? 'uncertain' : 'certain',
          evidence: [grant.anchor.id],
          message: `${grantWords(grant)} was granted until ${at(grant.expiresMs as number)}, ${span(granted)}; ${limit}.`,
        });
      } else if (actual !== null && actual > max.ms) {
        gaps.push({
          grant,
          atMs: grant.issuedMs + max.ms,
          window: [grant.issuedMs, grant.endMs as number],
          certainty: actual - max.ms <= skewMs ? 'uncertain' : 'certain',
          evidence: [grant.anchor.id, ...(grant.endEvent ? [grant.endEvent.id] : [])],
          message:
            `${grantWords(grant)} lasted until ${at(grant.endMs as number)} (${grant.endReason}), ` +
            `${span(actual)}; ${limit}.`,
        });
      }
    }
    return gaps;
  },
};
