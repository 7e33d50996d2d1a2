// Privileged Access Manager grant workflow: request, approval, denial, revocation, withdrawal.
import type { EventDraft, Stage } from '../../../model/event.js';
import { findTickets, isObject, str } from '../../common.js';
import { durationSeconds, path, principalIdentity, type AuditEntry } from './fields.js';
import type { Base } from './iam-policy.js';

const PAM_SERVICE = 'privilegedaccessmanager.googleapis.com';

const GRANT_METHODS: Record<string, Stage> = {
  creategrant: 'request',
  approvegrant: 'approval',
  denygrant: 'denial',
  revokegrant: 'revocation',
  // The requester takes the request back before it is used: it ends without access.
  withdrawgrant: 'revocation',
};

const ENTITLEMENT_METHODS = new Set([
  'createentitlement',
  'updateentitlement',
  'deleteentitlement',
]);

export function isPamEntry(entry: AuditEntry): boolean {
  return (
    entry.serviceName === PAM_SERVICE ||
    (entry.methodName ?? '').includes('.PrivilegedAccessManager.')
  );
}

/** Events of a PAM call, or undefined for reads (GetGrant, ListGrants, SearchGrants...). */
export function pamEvents(entry: AuditEntry, base: Base): EventDraft[] | undefined {
  const stage = GRANT_METHODS[entry.method];
  if (stage) return [grantEvent(entry, stage, base)];
  if (!ENTITLEMENT_METHODS.has(entry.method)) return undefined;

  const event = base.draft();
  event.stage = 'context';
  const name =
    str(entry.request.name) ?? str(path(entry.request, 'entitlement.name')) ?? entry.resourceName;
  if (name) event.target = { id: name, raw: name, kind: 'gcp-pam-entitlement' };
  return [event];
}

/**
 * The grant's resource name (`…/entitlements/<e>/grants/<g>`) is the grant key. CreateGrant only
 * learns it from the response (the id is server-made); the others carry it as request.name.
 */
function grantEvent(entry: AuditEntry, stage: Stage, base: Base): EventDraft {
  const grant = isObject(entry.request.grant) ? entry.request.grant : {};
  const response = entry.response;
  const name =
    str(entry.request.name) ??
    str(response.name) ??
    (entry.resourceName?.includes('/grants/') ? entry.resourceName : undefined);
  const entitlement = name?.split('/grants/')[0] ?? str(entry.request.parent) ?? entry.resourceName;

  const event = base.draft();
  event.stage = stage;
  if (name) event.grantKey = name;
  if (entitlement) {
    const roles = grantedRoles(response);
    event.target = {
      id: entitlement,
      raw: entitlement,
      kind: 'gcp-pam-entitlement',
      name: roles ? `${lastSegment(entitlement)} (${roles})` : lastSegment(entitlement),
    };
  }

  // The requester is the subject; on CreateGrant it is the caller itself.
  const requester = str(response.requester) ?? (stage === 'request' ? base.actorRaw : undefined);
  if (requester) event.subject = principalIdentity(requester);

  const justification =
    str(path(grant, 'justification.unstructuredJustification')) ??
    str(path(response, 'justification.unstructuredJustification'));
  const reason = stage === 'request' ? justification : (str(entry.request.reason) ?? justification);
  if (reason) event.reason = reason;
  event.tickets = findTickets(reason, justification);

  const seconds = durationSeconds(grant.requestedDuration ?? response.requestedDuration);
  if (seconds !== undefined) event.durationSeconds = seconds;

  const verb: Record<Stage, string> = {
    request: 'requested',
    approval: 'approved',
    denial: 'denied',
    revocation: entry.method === 'withdrawgrant' ? 'withdrew' : 'revoked',
  } as Record<Stage, string>;
  event.summary =
    `${base.actorRaw ?? 'unknown principal'} ${verb[stage]} PAM grant ${name ? lastSegment(name) : '(name not in record)'}` +
    ` on entitlement ${entitlement ? lastSegment(entitlement) : '(not stated)'}` +
    `${seconds !== undefined ? ` for ${seconds}s` : ''}${reason ? `: ${reason}` : ''}`;
  return event;
}

function grantedRoles(response: Record<string, unknown>): string | undefined {
  const bindings = path(response, 'privilegedAccess.gcpIamAccess.roleBindings');
  if (!Array.isArray(bindings)) return undefined;
  const roles = bindings
    .map((b) => (isObject(b) ? str(b.role) : undefined))
    .filter((r): r is string => !!r);
  return roles.length > 0 ? roles.join(', ') : undefined;
}

function lastSegment(name: string): string {
  return name.split('/').at(-1) ?? name;
}
