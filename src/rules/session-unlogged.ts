// session-unlogged: a privileged grant with no session or activity record for its window.
import { SESSION_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, grantWords, maxTtlFor } from './words.js';

export const sessionUnlogged: Rule = {
  meta: defineMeta({
    id: 'session-unlogged',
    title: 'No session or activity record for a grant',
    severity: 'low',
    rationale:
      'Privileged use must be logged; a grant with no session record was either unused or used ' +
      'where nothing logs it. The coverage field tells which.',
    remediation:
      'Add the session source (CloudTrail, PSM, Teleport) for the target, or revoke grants nobody uses.',
    evidenceFamilies: SESSION_FAMILIES,
    policyParameters: ['policy.sessionLogging', 'targets[].critical'],
    limitations: [
      'By default only grants of targets marked critical are checked (policy.sessionLogging: all checks every grant).',
    ],
  }),
  check({ grants, policy, resolver, asOfMs }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      if (grant.sessions.size > 0) continue;
      const critical = resolver.targetConfig(grant.target.id)?.critical === true;
      if (policy.sessionLogging === 'critical' && !critical) continue;
      // A grant still running and younger than its TTL may simply not have been used yet.
      const max = maxTtlFor(grant, resolver.targetConfig(grant.target.id)?.maxTtl, policy.maxTtl);
      if (grant.endMs === null && asOfMs - grant.issuedMs <= max.ms) continue;
      const end = grant.endMs ?? asOfMs;
      gaps.push({
        grant,
        atMs: grant.issuedMs,
        window: [grant.issuedMs, end],
        evidence: [grant.anchor.id],
        message:
          `No session or activity record for ${grantWords(grant)} between ${at(grant.issuedMs)} and ` +
          `${at(end)}${critical ? `; ${grant.target.id} is marked critical` : ''}.`,
      });
    }
    return gaps;
  },
};
