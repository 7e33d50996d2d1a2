// Role assignment writes/deletes, PIM schedule requests and elevate access as lifecycle events.
import type { EventDraft, Identity, IdentityKind, Stage, Target } from '../../../model/event.js';
import { findTickets, identity, isObject, type JsonObject } from '../../common.js';
import { toUtcIso } from '../../../util/time.js';
import { ciGet, ciObject, ciStr, decoded, type ActivityRecord } from './fields.js';

/** Role definition GUID → name: the built-ins plus the configured custom roles. */
export type RoleNames = ReadonlyMap<string, string>;

const USER_ACCESS_ADMINISTRATOR = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';

/** The role assignment's properties, from the request body or else the response body. */
interface AssignmentBody {
  principalId?: string;
  principalType?: string;
  roleDefinitionId?: string;
  scope?: string;
  request?: JsonObject;
  response?: JsonObject;
}

function bodyOf(record: ActivityRecord): AssignmentBody {
  // `requestbody` and `responseBody` are JSON strings in most exports, objects in some.
  const request = asObject(ciGet(record.properties, 'requestbody'));
  const response = asObject(ciGet(record.properties, 'responseBody'));
  const requestProps = ciObject(request, 'properties') ?? request;
  const responseProps = ciObject(response, 'properties') ?? response;
  const pick = (key: string) => ciStr(requestProps, key) ?? ciStr(responseProps, key);
  return {
    principalId: pick('principalId'),
    principalType: pick('principalType'),
    roleDefinitionId: pick('roleDefinitionId'),
    scope: pick('scope'),
    request: requestProps,
    response: responseProps,
  };
}

/**
 * Role assignment ids as one form: `identity.authorization.evidence.roleAssignmentId` is written
 * as 32 hex digits without dashes, the assignment resource name with dashes, in either case.
 */
export function canonicalGuid(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const lowered = id.trim().toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(lowered)) return lowered;
  return [
    lowered.slice(0, 8),
    lowered.slice(8, 12),
    lowered.slice(12, 16),
    lowered.slice(16, 20),
    lowered.slice(20),
  ].join('-');
}

function asObject(value: unknown): JsonObject | undefined {
  const parsed = decoded(value);
  return isObject(parsed) ? parsed : undefined;
}

function lastSegment(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const parts = path.split('/').filter((p) => p !== '');
  return parts.at(-1);
}

/** The scope an authorization resource lives at: the part before `/providers/Microsoft.Authorization/`. */
function scopeOf(resourceId: string | undefined): string | undefined {
  if (!resourceId) return undefined;
  const index = resourceId.toLowerCase().indexOf('/providers/microsoft.authorization/');
  if (index < 0) return undefined;
  return index === 0 ? '/' : resourceId.slice(0, index);
}

function principalKind(type: string | undefined): IdentityKind {
  const lowered = (type ?? '').toLowerCase();
  if (lowered === 'user') return 'human';
  if (lowered === 'serviceprincipal' || lowered === 'msi' || lowered === 'managedidentity')
    return 'service';
  return 'unknown';
}

export function roleTarget(
  roleDefinitionId: string | undefined,
  scope: string | undefined,
  roles: RoleNames,
): Target | undefined {
  const guid = lastSegment(roleDefinitionId)?.toLowerCase();
  if (!guid) return undefined;
  const roleName = roles.get(guid);
  const where = scope ?? '(scope not stated)';
  return {
    id: `${where.toLowerCase()}|${guid}`,
    raw: roleDefinitionId ?? guid,
    kind: 'azure-role',
    name: `${roleName ?? `role ${guid}`} on ${where}`,
  };
}

interface Context {
  at: string;
  actor?: Identity;
  actorNote: string;
  outcome: 'success' | 'failure';
  roles: RoleNames;
}

/** roleAssignments/write (issuance) and /delete (revocation), one event. */
export function roleAssignmentEvent(
  record: ActivityRecord,
  stage: Stage,
  context: Context,
): EventDraft {
  const body = bodyOf(record);
  const scope = body.scope ?? scopeOf(record.resourceId);
  const target = roleTarget(body.roleDefinitionId, scope, context.roles);
  const subject = body.principalId
    ? identity(body.principalId, principalKind(body.principalType))
    : undefined;
  // The assignment id (the resource's last segment) is the grant's own id; Azure ids ignore case.
  const grantKey = canonicalGuid(lastSegment(record.resourceId) ?? ciStr(body.response, 'name'));

  const verb = stage === 'issuance' ? 'assigned' : 'removed';
  const who = subject
    ? `${subject.raw}${body.principalType ? ` (${body.principalType})` : ''}`
    : 'an unstated principal';
  const event = draft(
    record,
    stage,
    context,
    `${actorText(context)} ${verb} ${target?.name ?? 'a role'} ${stage === 'issuance' ? 'to' : 'from'} ${who}`,
  );
  if (subject) event.subject = subject;
  if (target) event.target = target;
  if (grantKey) event.grantKey = grantKey;
  return event;
}

/** elevateAccess/action: the caller makes itself User Access Administrator at the root scope "/". */
export function elevateAccessEvent(record: ActivityRecord, context: Context): EventDraft {
  const target = roleTarget(USER_ACCESS_ADMINISTRATOR, '/', context.roles);
  const event = draft(
    record,
    'issuance',
    context,
    `${actorText(context)} elevated own access to User Access Administrator on / (all subscriptions)`,
  );
  if (context.actor) event.subject = context.actor;
  if (target) event.target = target;
  return event;
}

/**
 * PIM for Azure resources. Assumed from the ARM API reference (no public sample): the request
 * body's `requestType` says what was asked; SelfActivate/SelfExtend/SelfRenew are requests
 * (approval happens in PIM and shows in the Entra audit log), and also an issuance when the
 * response status says the assignment was provisioned; Admin* assignments are issuances unless
 * pending approval; AdminRemove and SelfDeactivate end the assignment. Eligibility requests are
 * context: eligibility is the right to activate later, not access.
 */
export function scheduleRequestEvents(
  record: ActivityRecord,
  eligibility: boolean,
  context: Context,
): EventDraft[] {
  const body = bodyOf(record);
  const requestType =
    ciStr(body.request, 'requestType') ?? ciStr(body.response, 'requestType') ?? '';
  const responseStatus = (ciStr(body.response, 'status') ?? '').toLowerCase();
  const scope = ciStr(body.response, 'scope') ?? scopeOf(record.resourceId);
  const target = roleTarget(body.roleDefinitionId, scope, context.roles);
  const subject = body.principalId
    ? identity(body.principalId, principalKind(body.principalType))
    : undefined;
  const grantKey = canonicalGuid(lastSegment(record.resourceId));
  const justification = ciStr(body.request, 'justification');
  const ticketInfo = ciObject(body.request, 'ticketInfo');
  const ticketNumber = ciStr(ticketInfo, 'ticketNumber');
  const window = scheduleWindow(body.request);

  const stages = scheduleStages(eligibility, requestType, responseStatus);
  const tickets = findTickets(ticketNumber, justification);
  if (ticketNumber && !tickets.includes(ticketNumber)) tickets.unshift(ticketNumber);
  const kindText = eligibility ? 'eligibility' : 'assignment';

  return stages.map((stage, index) => {
    const line = `${actorText(context)} ${kindText} request ${requestType || '(type not stated)'} for ${subject?.raw ?? 'an unstated principal'} on ${target?.name ?? 'a role'}${responseStatus ? ` [${responseStatus}]` : ''}`;
    const event = draft(record, stage, context, line);
    if (index > 0) event.subLocator = '/properties/responseBody';
    if (subject) event.subject = subject;
    if (target) event.target = target;
    if (grantKey) event.grantKey = grantKey;
    if (justification) event.reason = justification;
    event.tickets = tickets;
    if (stage !== 'revocation' && stage !== 'context') {
      if (window.expiresAt) event.expiresAt = window.expiresAt;
      if (window.durationSeconds !== undefined) event.durationSeconds = window.durationSeconds;
    }
    return event;
  });
}

function scheduleStages(
  eligibility: boolean,
  requestType: string,
  responseStatus: string,
): Stage[] {
  if (eligibility) return ['context'];
  const type = requestType.toLowerCase();
  const provisioned = /^(provisioned|granted|schedulecreated)$/.test(responseStatus);
  const pending = responseStatus.startsWith('pending');
  if (type === 'adminremove' || type === 'selfdeactivate') return ['revocation'];
  if (type.startsWith('admin')) return pending ? ['request'] : ['issuance'];
  return provisioned ? ['request', 'issuance'] : ['request'];
}

/** scheduleInfo: start + (endDateTime | ISO 8601 duration such as PT8H). */
function scheduleWindow(request: JsonObject | undefined): {
  expiresAt?: string;
  durationSeconds?: number;
} {
  const schedule = ciObject(request, 'scheduleInfo');
  const expiration = ciObject(schedule, 'expiration');
  if (!expiration || /noexpiration/i.test(ciStr(expiration, 'type') ?? '')) return {};
  const start = Date.parse(ciStr(schedule, 'startDateTime') ?? '');
  const end = Date.parse(ciStr(expiration, 'endDateTime') ?? '');
  const seconds = isoDurationSeconds(ciStr(expiration, 'duration'));
  if (Number.isFinite(end)) {
    const duration = Number.isFinite(start) ? Math.max(0, (end - start) / 1000) : undefined;
    return {
      expiresAt: toUtcIso(end),
      ...(duration !== undefined ? { durationSeconds: duration } : {}),
    };
  }
  if (seconds === undefined) return {};
  return Number.isFinite(start)
    ? { expiresAt: toUtcIso(start + seconds * 1000), durationSeconds: seconds }
    : { durationSeconds: seconds };
}

export function isoDurationSeconds(text: string | undefined): number | undefined {
  const match = text
    ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim())
    : null;
  if (!match || text === 'P' || text === 'PT') return undefined;
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

function actorText(context: Context): string {
  return `${context.actor?.raw ?? 'unknown caller'}${context.actorNote}`;
}

function draft(record: ActivityRecord, stage: Stage, context: Context, line: string): EventDraft {
  const event: EventDraft = {
    at: context.at,
    stage,
    action: record.operationName ?? '(operation not stated)',
    outcome: context.outcome,
    tickets: [],
    summary: `${line}${context.outcome === 'failure' ? ' (failed)' : ''}`,
  };
  if (context.actor) event.actor = context.actor;
  return event;
}

export type { Context as EventContext };
