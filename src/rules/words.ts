// Wording shared by gap messages: times, durations, parties, and the firm-policy disclaimer.
import { formatDurationShort } from '../config/duration.js';
import type { WorkGrant } from '../correlate/types.js';
import { toUtcIso } from '../util/time.js';

export const FIRM_POLICY = "the firm's own policy, not a legal limit";

export function at(ms: number): string {
  return toUtcIso(ms);
}

export function span(ms: number): string {
  return formatDurationShort(ms);
}

/** "alice on prod-admin (grant issued 2026-03-02T09:10:00.000Z)" */
export function grantWords(grant: WorkGrant): string {
  return `${grant.subject.id} on ${grant.target.id} (grant issued ${at(grant.issuedMs)})`;
}

export function list(items: Iterable<string>, cap = 5): string {
  const all = [...items];
  const shown = all.slice(0, cap).join(', ');
  return all.length > cap ? `${shown} and ${all.length - cap} more` : shown;
}

/** The maximum TTL that applies to a grant's target, and where it was set. */
export function maxTtlFor(
  grant: WorkGrant,
  targetMaxTtl: number | undefined,
  policyMaxTtl: number,
): { ms: number; where: string } {
  return targetMaxTtl !== undefined
    ? { ms: targetMaxTtl, where: `targets[${grant.target.id}].maxTtl` }
    : { ms: policyMaxTtl, where: 'policy.maxTtl' };
}
