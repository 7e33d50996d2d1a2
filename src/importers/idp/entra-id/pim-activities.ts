// Entra audit activity names (English, as Microsoft writes them) mapped to lifecycle stages.
import type { Stage } from '../../../model/event.js';

/**
 * Exact activity names from the PIM audit history and Core Directory logs (sources doc 2.3).
 * Keys are lower-case; names are free English text, so new ones fall through to the patterns.
 */
export const ACTIVITY_STAGES: ReadonlyMap<string, Stage> = new Map<string, Stage>([
  // PIM activation of an eligible role: request -> approval -> activation -> end.
  ['add member to role requested (pim activation)', 'request'],
  ['add member to role request approved (pim activation)', 'approval'],
  ['add member to role request denied (pim activation)', 'denial'],
  ['request approved', 'approval'],
  ['request denied', 'denial'],
  ['add member to role completed (pim activation)', 'issuance'],
  ['remove member from role requested (pim deactivate)', 'context'],
  ['remove member from role completed (pim deactivate)', 'revocation'],
  ['remove member from role (pim activation expired)', 'expiry'],
  // An activation request nobody approved in time: the request ends without a grant.
  ['pim activation request expired', 'expiry'],
  // Active assignments made by an administrator, in or outside PIM (standing access).
  ['add member to role in pim requested (permanent)', 'request'],
  ['add member to role in pim requested (timebound)', 'request'],
  ['add member to role in pim completed (permanent)', 'issuance'],
  ['add member to role in pim completed (timebound)', 'issuance'],
  ['add member to role outside of pim (permanent)', 'issuance'],
  ['remove member from role in pim requested (permanent)', 'context'],
  ['remove member from role in pim requested (timebound)', 'context'],
  ['remove member from role in pim completed (permanent)', 'revocation'],
  ['remove member from role in pim completed (timebound)', 'revocation'],
  ['remove permanent direct role assignment', 'revocation'],
  // Core Directory membership changes (also written when PIM itself adds or removes).
  ['add member to role', 'issuance'],
  ['remove member from role', 'revocation'],
  ['add member to group', 'issuance'],
  ['remove member from group', 'revocation'],
  // Workload credentials: a new key or secret on a service principal or application.
  ['add service principal credentials', 'issuance'],
  ['remove service principal credentials', 'revocation'],
  // Tenant-root elevation to User Access Administrator over all Azure subscriptions.
  [
    'user has elevated their access to user access administrator for their azure resources',
    'issuance',
  ],
]);

/** Stage of an activity name; eligibility changes and unknown PIM steps are context. */
export function activityStage(name: string): Stage {
  const lowered = name.trim().toLowerCase();
  // Eligibility is the right to activate later, not access: context, never a grant.
  if (lowered.includes('eligible')) return 'context';
  const exact = ACTIVITY_STAGES.get(lowered);
  if (exact) return exact;
  if (lowered.includes('(pim') || lowered.includes(' in pim ')) return 'context';
  return 'activity';
}

/** Activities of the Core Directory that only mirror a PIM step when PIM performs them. */
export const DIRECTORY_ECHOES = new Set(['add member to role', 'remove member from role']);

/** PIM's own system identities as they appear in initiatedBy (user or app display name). */
export const PIM_SYSTEM_NAMES = new Set([
  'azure ad pim',
  'ms-pim',
  'azure ad privileged identity management',
]);
