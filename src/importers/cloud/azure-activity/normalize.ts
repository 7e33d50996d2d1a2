// One Azure Activity Log record to its events: grants, elevation, PIM requests or activity.
import type { EventDraft } from '../../../model/event.js';

import { parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';
import { callerIdentity } from './actors.js';
import { ciStr, type ActivityRecord } from './fields.js';
import {
  canonicalGuid,
  elevateAccessEvent,
  roleAssignmentEvent,
  scheduleRequestEvents,
  type EventContext,
  type RoleNames,
} from './role-assignments.js';

export type Outcome = { events: EventDraft[] } | { ignore: string } | { reject: string };

/** Categories that record what the platform did, not what a caller did. */
const PLATFORM_CATEGORIES = new Set([
  'servicehealth',
  'resourcehealth',
  'alert',
  'autoscale',
  'recommendation',
  'policy',
  'security',
]);

const ROLE_ASSIGNMENT_WRITE = 'microsoft.authorization/roleassignments/write';
const ROLE_ASSIGNMENT_DELETE = 'microsoft.authorization/roleassignments/delete';
const ELEVATE_ACCESS = 'microsoft.authorization/elevateaccess/action';
const ASSIGNMENT_SCHEDULE = 'microsoft.authorization/roleassignmentschedulerequests/write';
const ELIGIBILITY_SCHEDULE = 'microsoft.authorization/roleeligibilityschedulerequests/write';

/** Operations that change who holds a role; a lone Start of these is never a completed grant. */
export function isGrantOperation(operation: string): boolean {
  return [
    ROLE_ASSIGNMENT_WRITE,
    ROLE_ASSIGNMENT_DELETE,
    ELEVATE_ACCESS,
    ASSIGNMENT_SCHEDULE,
    ELIGIBILITY_SCHEDULE,
  ].includes(operation);
}

/** Event time; Microsoft defines these as UTC, so a zone-less time is UTC. Truncated to ms. */
export function eventTime(record: ActivityRecord): { at: string } | { reject: string } {
  if (!record.time)
    return { reject: 'time missing: expected time / eventTimestamp in ISO 8601 UTC' };
  try {
    return { at: toUtcIso(parseIsoTime(record.time, 'UTC')) };
  } catch (error) {
    if (error instanceof TimeError) return { reject: `time unreadable: ${error.message}` };
    throw error;
  }
}

/**
 * Normalizes a final (or status-less) record. `unpairedStart` marks a Start/Accept whose final
 * record is not in this file: it proves the call was made, not that it succeeded, so a grant
 * operation becomes context rather than issuance.
 */
export function normalizeActivity(
  record: ActivityRecord,
  roles: RoleNames,
  unpairedStart = false,
): Outcome {
  if (!record.operationName)
    return { reject: 'operationName missing: expected the Azure operation name' };
  const category = (record.category ?? '').toLowerCase();
  if (PLATFORM_CATEGORIES.has(category)) return { ignore: record.operationName };

  const time = eventTime(record);
  if ('reject' in time) return time;
  const { actor, objectId } = callerIdentity(record);
  const context: EventContext = {
    at: time.at,
    outcome: record.succeeded ? 'success' : 'failure',
    roles,
    ...(actor ? { actor } : {}),
    actorNote: objectId && actor && actor.raw !== objectId ? ` (object id ${objectId})` : '',
  };

  if (unpairedStart && isGrantOperation(record.operation)) {
    const event = activityEvent(record, context);
    event.stage = 'context';
    event.summary = `${event.summary} — ${record.status} only; the final status is not in this file`;
    return { events: [event] };
  }

  switch (record.operation) {
    case ROLE_ASSIGNMENT_WRITE:
      return { events: [roleAssignmentEvent(record, 'issuance', context)] };
    case ROLE_ASSIGNMENT_DELETE:
      return { events: [roleAssignmentEvent(record, 'revocation', context)] };
    case ELEVATE_ACCESS:
      return { events: [elevateAccessEvent(record, context)] };
    case ASSIGNMENT_SCHEDULE:
      return { events: scheduleRequestEvents(record, false, context) };
    case ELIGIBILITY_SCHEDULE:
      return { events: scheduleRequestEvents(record, true, context) };
    default:
      if (!actor) return { ignore: record.operationName };
      return { events: [activityEvent(record, context)] };
  }
}

/** Any other call: activity by the caller, tied to the role assignment that authorized it. */
function activityEvent(record: ActivityRecord, context: EventContext): EventDraft {
  const evidence = record.authorization.evidence;
  const assignment = canonicalGuid(ciStr(evidence, 'roleAssignmentId'));
  const role = ciStr(evidence, 'role');
  const resource = record.resourceId;
  const event: EventDraft = {
    at: context.at,
    stage: 'activity',
    action: record.operationName ?? '(operation not stated)',
    outcome: context.outcome,
    tickets: [],
    summary:
      `${context.actor?.raw ?? 'unknown caller'}${context.actorNote}: ${record.operationName}` +
      `${resource ? ` on ${resource}` : ''}${role ? ` (authorized by role ${role})` : ''}` +
      `${context.outcome === 'failure' ? ' (failed)' : ''}`,
  };
  if (context.actor) event.actor = context.actor;
  if (resource)
    event.target = { id: resource.toLowerCase(), raw: resource, kind: 'azure-resource' };
  if (assignment) event.grantKey = assignment;
  return event;
}
