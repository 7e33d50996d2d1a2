// activity-outside-grant: use after the grant was revoked (while the credential still worked),
// before it was issued, or on a granted/critical target with no grant covering the time.
import { SESSION_FAMILIES } from '../correlate/families.js';
import type { OutsideStats, WorkGrant } from '../correlate/types.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords, list, span } from './words.js';

export const activityOutsideGrant: Rule = {
  meta: defineMeta({
    id: 'activity-outside-grant',
    title: 'Activity outside the grant window',
    severity: 'high',
    rationale:
      'Privileged actions must fall inside an authorized window. Revoking an IdP assignment does not ' +
      'invalidate credentials already issued (AWS STS keys live until their own expiry), so use ' +
      'after the revocation is access the grant no longer covered.',
    remediation:
      'Revoke live sessions with the revocation (e.g. AWS "revoke active sessions"), shorten credential ' +
      'lifetimes, and investigate the actions listed.',
    evidenceFamilies: SESSION_FAMILIES,
    policyParameters: ['policy.clockSkew'],
    limitations: [
      'Scope is compared by target only; actions on resources the grant does not name are not judged.',
    ],
  }),
  check({ grants, correlation, policy }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      if (!grant.outside) continue;
      gaps.push(grantGap(grant, grant.outside, policy.clockSkew));
    }
    for (const orphan of correlation.orphanActivity) {
      const s = orphan.stats;
      const why = s.edges.has('no-grant')
        ? `${orphan.target} is marked critical and no grant of it to ${orphan.subject} exists`
        : `no grant of ${orphan.target} to ${orphan.subject} covers these times`;
      gaps.push({
        grant: null,
        subject: orphan.subject,
        target: orphan.target,
        atMs: s.firstMs,
        window: [s.firstMs, s.lastMs],
        evidence: s.evidence,
        message:
          `${s.count} session/activity record(s) from ${orphan.importer} by ${orphan.subject} on ` +
          `${orphan.target} between ${at(s.firstMs)} and ${at(s.lastMs)} (${list([...s.actions].sort())}); ${why}.`,
      });
    }
    return gaps;
  },
};

function grantGap(grant: WorkGrant, s: OutsideStats, skewMs: number): GapDraft {
  const edges: string[] = [];
  if (s.edges.has('revocation') && grant.endMs !== null)
    edges.push(`after the revocation at ${at(grant.endMs)}`);
  if (s.edges.has('expiry') && grant.endMs !== null)
    edges.push(`after the grant ended at ${at(grant.endMs)}`);
  if (s.edges.has('credential-revocation')) edges.push('after its credential was revoked');
  if (s.edges.has('issuance')) edges.push(`before the issuance at ${at(grant.issuedMs)}`);
  const certain = s.certain > 0;
  const band = certain
    ? ''
    : ` All of it lies within the clock skew of ${span(skewMs)} of that edge, so the finding is uncertain.`;
  const stillValid = s.edges.has('revocation')
    ? ' while the issued credential was still valid'
    : '';
  return {
    grant,
    atMs: s.firstMs,
    window: [s.firstMs, s.lastMs],
    certainty: certain ? 'certain' : 'uncertain',
    evidence: [...s.evidence, ...(grant.endEvent ? [grant.endEvent.id] : [])],
    message:
      `${s.count} activity record(s) of ${grantWords(grant)} between ${at(s.firstMs)} and ${at(s.lastMs)} ` +
      `(${list([...s.actions].sort())}) came ${edges.join(' and ')}${stillValid}, up to ${span(s.maxDeltaMs)} ` +
      `outside the window.${band}`,
  };
}
