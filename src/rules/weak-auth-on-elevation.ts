// weak-auth-on-elevation: issuance or session start recorded without strong authentication.
import { SYSTEM_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { grantWords, list } from './words.js';

export const weakAuthOnElevation: Rule = {
  meta: defineMeta({
    id: 'weak-auth-on-elevation',
    title: 'Elevation without multi-factor authentication',
    severity: 'high',
    rationale: 'Privileged access requires strong authentication (RTS 2024/1774 Art. 21(f)(ii)).',
    remediation:
      'Enforce MFA on elevation and on privileged session start (IdP policy, PAM connection policy).',
    evidenceFamilies: SYSTEM_FAMILIES,
    policyParameters: ['policy.requireMfa'],
    limitations: [
      'Only records whose source states MFA use (mfa: false) are judged; silence is not a finding.',
    ],
  }),
  check({ grants, policy }) {
    if (!policy.requireMfa) return [];
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      const weak = [...grant.linkedEvents.values()]
        .filter((e) => (e.stage === 'issuance' || e.stage === 'session-start') && e.mfa === false)
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
      if (weak.length === 0) continue;
      gaps.push({
        grant,
        atMs: Date.parse(weak[0].at),
        evidence: weak.map((e) => e.id),
        message:
          `${weak.length} record(s) of ${grantWords(grant)} state that no MFA was used: ` +
          `${list(
            weak.map((e) => `${e.action} at ${e.at} (${e.source.importer})`),
            3,
          )}.`,
      });
    }
    return gaps;
  },
};
