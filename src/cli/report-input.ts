// Helpers that shape the analysis for the report: the events it shows, the policy it states.
import type { Gap, Grant, TimelineEvent } from '../model/index.js';
import { getPath } from '../importers/common.js';

/** The events the report can cite: those of grants and gap evidence, by id. */
export function reportEvents(events: readonly TimelineEvent[], grants: readonly Grant[], gaps: readonly Gap[]) {
  const wanted = new Set<string>();
  for (const grant of grants) for (const id of grant.eventIds) wanted.add(id);
  for (const gap of gaps) for (const id of gap.evidence) wanted.add(id);
  const byId = new Map<string, TimelineEvent>();
  for (const event of events) if (wanted.has(event.id)) byId.set(event.id, event);
  return byId;
}

// Policy values that are the firm's choice; no DORA or RTS provision fixes them.
const POLICY_PARAMETERS: [string, string][] = [
  ['maxTtl', 'maximum time a privileged grant may stay active'],
  ['approvalValidity', 'how long an approval stays usable before issuance'],
  ['clockSkew', 'tolerance between source clocks; findings inside it are marked uncertain'],
  ['breakGlass.reviewWithin', 'time allowed for the review after a break-glass use'],
  ['requireTicket', 'whether every grant needs a ticket'],
  ['requireApproval', 'whether every grant needs an approval'],
  ['separationOfDuties', 'whether requester and approver must differ'],
];

export function policyStatements(policy: Record<string, unknown>): string[] {
  const statements: string[] = [];
  for (const [key, meaning] of POLICY_PARAMETERS) {
    const value = getPath(policy, key);
    if (value === undefined) continue;
    statements.push(`${key} = ${typeof value === 'string' ? value : JSON.stringify(value)}: ${meaning} (firm policy)`);
  }
  return statements;
}
