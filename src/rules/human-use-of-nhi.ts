// human-use-of-nhi: a person acting through a service identity's grant.
import { SESSION_FAMILIES } from '../correlate/families.js';
import { defineMeta } from './meta.js';
import { isNonHuman } from './nhi.js';
import type { GapDraft, Rule } from './types.js';
import { grantWords, list } from './words.js';

// Interactive sign-ins: workloads do not log in to consoles or answer MFA prompts.
const INTERACTIVE_ACTIONS = new Set(['ConsoleLogin', 'user.session.start']);

export const humanUseOfNhi: Rule = {
  meta: defineMeta({
    id: 'human-use-of-nhi',
    title: 'Human use of a non-human identity',
    severity: 'high',
    rationale:
      'A person working through a service identity is not identifiable for their actions and ' +
      'bypasses just-in-time elevation (OWASP NHI10).',
    remediation:
      'Give the person their own elevation path; restrict the service identity to its workload.',
    evidenceFamilies: SESSION_FAMILIES,
    policyParameters: ['identities[].kind'],
    limitations: [
      "Seen only where a record names a human actor on the identity's session, states MFA use, or is an interactive sign-in.",
    ],
  }),
  check({ grants }) {
    const gaps: GapDraft[] = [];
    for (const grant of grants) {
      if (!isNonHuman(grant)) continue;
      const interactive = grant.sessionEvents.filter(
        (e) =>
          e.stage === 'session-start' &&
          e.outcome === 'success' &&
          (e.mfa === true || INTERACTIVE_ACTIONS.has(e.action)),
      );
      if (grant.humanActors.size === 0 && interactive.length === 0) continue;
      const reasons: string[] = [];
      if (grant.humanActors.size > 0)
        reasons.push(
          `human actor(s) ${list([...grant.humanActors.keys()].sort())} in its sessions`,
        );
      if (interactive.length > 0)
        reasons.push(
          `interactive sign-in(s) ${list(
            interactive.map((e) => `${e.action} at ${e.at}`),
            3,
          )}`,
        );
      const evidence = [...grant.humanActors.values(), ...interactive.map((e) => e.id)];
      const first = Math.min(
        ...evidence.map((id) => Date.parse(grant.linkedEvents.get(id)?.at ?? '') || Infinity),
        grant.issuedMs,
      );
      gaps.push({
        grant,
        atMs: Number.isFinite(first) ? first : grant.issuedMs,
        evidence: [grant.anchor.id, ...evidence],
        message: `${grant.subject.kind} identity in ${grantWords(grant)} was used by a person: ${reasons.join('; ')}.`,
      });
    }
    return gaps;
  },
};
