// Normalizes Entra directory audit records (PIM workflow and Core Directory) into events.
import type { EventDraft, Identity, Stage, Target } from '../../../model/event.js';
import { findTickets, identity, isObject, type JsonObject } from '../../common.js';
import { ciArray, ciGet, ciStr, decodeNested, optionalUtc } from './fields.js';
import type { Outcome } from './outcome.js';
import { activityStage, DIRECTORY_ECHOES, PIM_SYSTEM_NAMES } from './pim-activities.js';

/** Built-in role definition id of User Access Administrator (Azure RBAC). */
const USER_ACCESS_ADMINISTRATOR = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';

interface TargetResource {
  type: string;
  id?: string;
  displayName?: string;
  userPrincipalName?: string;
  modified: Map<string, unknown>;
}

/** Builds the events of one audit record whose time is already known. */
export function normalizeAudit(body: JsonObject, at: string, timeNote: string): Outcome {
  const name = ciStr(body, 'activityDisplayName', 'operationName');
  if (!name) return { reject: 'activityDisplayName missing: expected the audit activity name' };

  const targets = targetResources(body);
  const details = additionalDetails(body);
  const actor = initiator(body);
  const loggedBy = ciStr(body, 'loggedByService') ?? '';
  const category = ciStr(body, 'category') ?? '';
  let stage = activityStage(name);

  // PIM writes its own record and Core Directory a second one for the same membership change;
  // the directory copy made by PIM's system identity is context, so a grant is not issued twice.
  const lowered = name.trim().toLowerCase();
  if (DIRECTORY_ECHOES.has(lowered) && actor && PIM_SYSTEM_NAMES.has(actor.raw.toLowerCase())) {
    stage = 'context';
  }

  const groupScoped = /groupmanagement/i.test(category) || lowered.includes('group');
  const target = groupScoped ? groupTarget(targets) : roleTarget(targets, details, name);
  const subject = subjectOf(targets, groupScoped);
  const justification = details.get('justification');
  const reason = justification ?? (/pim/i.test(loggedBy) ? ciStr(body, 'resultReason') : undefined);
  const ticketNumber = details.get('ticketnumber');
  const ticketSystem = details.get('ticketsystem');
  const tickets = findTickets(ticketNumber, reason);
  if (ticketNumber && !tickets.includes(ticketNumber.trim())) tickets.unshift(ticketNumber.trim());

  const grantKey =
    details.get('roleassignmentrequestid') ?? details.get('requestid') ?? requestTargetId(targets);
  const window = validityWindow(stage, details);
  const outcome = /^success$/i.test(ciStr(body, 'result') ?? 'success') ? 'success' : 'failure';

  const event: EventDraft = {
    at,
    stage,
    action: name,
    outcome,
    tickets,
    summary: summaryLine(
      name,
      actor,
      subject,
      target,
      outcome,
      ticketSystem,
      ticketNumber,
      timeNote,
    ),
  };
  if (actor) event.actor = actor;
  if (subject) event.subject = subject;
  if (target) event.target = target;
  if (grantKey) event.grantKey = grantKey;
  if (reason) event.reason = reason;
  if (window.expiresAt) event.expiresAt = window.expiresAt;
  if (window.durationSeconds !== undefined) event.durationSeconds = window.durationSeconds;
  return { events: [event] };
}

function targetResources(body: JsonObject): TargetResource[] {
  const found: TargetResource[] = [];
  for (const raw of ciArray(body, 'targetResources')) {
    if (!isObject(raw)) continue;
    const modified = new Map<string, unknown>();
    for (const property of ciArray(raw, 'modifiedProperties')) {
      const key = ciStr(property, 'displayName');
      // The values are JSON inside strings (`"\"Global Administrator\""`): decode twice.
      if (key) modified.set(key.toLowerCase(), decodeNested(ciGet(property, 'newValue')));
    }
    found.push({
      type: (ciStr(raw, 'type') ?? '').toLowerCase(),
      id: ciStr(raw, 'id'),
      displayName: ciStr(raw, 'displayName'),
      userPrincipalName: ciStr(raw, 'userPrincipalName'),
      modified,
    });
  }
  return found;
}

/** additionalDetails as a map with lower-case keys; key sets differ per operation and PIM version. */
function additionalDetails(body: JsonObject): Map<string, string> {
  const details = new Map<string, string>();
  for (const item of ciArray(body, 'additionalDetails')) {
    const key = ciStr(item, 'key');
    const value = ciStr(item, 'value');
    if (key && value !== undefined && !details.has(key.toLowerCase()))
      details.set(key.toLowerCase(), value);
  }
  return details;
}

function initiator(body: JsonObject): Identity | undefined {
  const by = decodeNested(ciGet(body, 'initiatedBy'));
  const user = decodeNested(ciGet(by, 'user'));
  if (isObject(user)) {
    const raw = ciStr(user, 'userPrincipalName', 'id', 'displayName');
    if (raw) {
      const system = PIM_SYSTEM_NAMES.has(raw.toLowerCase());
      return identity(raw, system ? 'service' : 'human');
    }
  }
  const app = decodeNested(ciGet(by, 'app'));
  if (isObject(app)) {
    const display = ciStr(app, 'displayName');
    // PIM's app identity is known by name; keep the name so the echo check can see it.
    if (display && PIM_SYSTEM_NAMES.has(display.toLowerCase())) return identity(display, 'service');
    const raw = ciStr(app, 'servicePrincipalId', 'appId') ?? display;
    if (raw) return identity(raw, 'service');
  }
  return undefined;
}

/** The principal: a User first, then a ServicePrincipal, then a Group (role given to a group). */
function subjectOf(targets: TargetResource[], groupScoped: boolean): Identity | undefined {
  const order = groupScoped ? ['user', 'serviceprincipal'] : ['user', 'serviceprincipal', 'group'];
  for (const type of order) {
    const match = targets.find((t) => t.type === type);
    if (!match) continue;
    const raw = match.userPrincipalName ?? match.id ?? match.displayName;
    if (!raw) continue;
    const kind = type === 'user' ? 'human' : type === 'serviceprincipal' ? 'service' : 'unknown';
    return identity(raw, kind);
  }
  return undefined;
}

/**
 * The directory role. Its stable id is the role template id; the Role target's own id and
 * `Role.ObjectID` are tenant-local objects, used only when no template id is given.
 */
function roleTarget(
  targets: TargetResource[],
  details: Map<string, string>,
  name: string,
): Target | undefined {
  const role = targets.find((t) => t.type === 'role');
  const fromModified = (key: string): string | undefined => {
    for (const target of targets) {
      const value = target.modified.get(key);
      if (typeof value === 'string' && value.trim() !== '') return value;
    }
    return undefined;
  };
  const displayName = role?.displayName ?? fromModified('role.displayname');
  const templateId =
    role?.modified.get('templateid') ??
    fromModified('role.templateid') ??
    details.get('templateid');
  const id =
    (typeof templateId === 'string' && templateId !== '' ? templateId : undefined) ??
    role?.id ??
    fromModified('role.objectid') ??
    displayName;
  if (id) return { id, raw: id, kind: 'entra-role', ...(displayName ? { name: displayName } : {}) };
  if (/credentials/i.test(name)) return credentialTarget(targets);
  if (/elevated their access/i.test(name)) {
    // Same target id as the Azure Activity importer gives elevateAccess/action.
    const id = `/|${USER_ACCESS_ADMINISTRATOR}`;
    return { id, raw: '/', kind: 'azure-role', name: 'User Access Administrator on /' };
  }
  return undefined;
}

function groupTarget(targets: TargetResource[]): Target | undefined {
  const group = targets.find((t) => t.type === 'group');
  const fromUser = targets.find((t) => t.modified.has('group.objectid'));
  const id = group?.id ?? (fromUser?.modified.get('group.objectid') as string | undefined);
  if (!id) return undefined;
  const name =
    group?.displayName ?? (fromUser?.modified.get('group.displayname') as string | undefined);
  return { id, raw: id, kind: 'entra-group', ...(name ? { name } : {}) };
}

function credentialTarget(targets: TargetResource[]): Target | undefined {
  const principal = targets.find((t) => t.type === 'serviceprincipal' || t.type === 'application');
  if (!principal?.id) return undefined;
  const name = `credentials of ${principal.displayName ?? principal.id}`;
  return { id: `${principal.id}/credentials`, raw: principal.id, kind: 'credential', name };
}

function requestTargetId(targets: TargetResource[]): string | undefined {
  return targets.find((t) => t.type === 'request')?.id;
}

/** Expiry of an activation or time-bound assignment, from additionalDetails (ISO strings). */
function validityWindow(
  stage: Stage,
  details: Map<string, string>,
): { expiresAt?: string; durationSeconds?: number } {
  if (stage !== 'issuance' && stage !== 'request' && stage !== 'approval') return {};
  const end = optionalUtc(
    details.get('expirationtime') ?? details.get('endtime') ?? details.get('expirationdatetime'),
  );
  if (!end) return {};
  const start = optionalUtc(details.get('starttime') ?? details.get('startdatetime'));
  const seconds = start ? (Date.parse(end) - Date.parse(start)) / 1000 : undefined;
  return {
    expiresAt: end,
    ...(seconds !== undefined && seconds >= 0 ? { durationSeconds: seconds } : {}),
  };
}

function summaryLine(
  name: string,
  actor: Identity | undefined,
  subject: Identity | undefined,
  target: Target | undefined,
  outcome: string,
  ticketSystem: string | undefined,
  ticketNumber: string | undefined,
  timeNote: string,
): string {
  const parts = [`${actor?.raw ?? 'unknown initiator'}: ${name}`];
  if (subject) parts.push(`for ${subject.raw}`);
  if (target) parts.push(`on ${target.name ?? target.id}`);
  if (ticketNumber) parts.push(`ticket ${ticketSystem ? `${ticketSystem} ` : ''}${ticketNumber}`);
  if (outcome === 'failure') parts.push('(failed)');
  return parts.join(' ') + timeNote;
}
