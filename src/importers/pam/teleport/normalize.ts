// Maps one Teleport audit event to timeline events by its type (events.proto, lib/events/codes.go).
import type { EventDraft, Stage } from '../../../model/event.js';
import { findTickets, isObject, str, type JsonObject } from '../../common.js';
import {
  FieldError,
  optionalInstant,
  requestTarget,
  roleTarget,
  sessionTarget,
  stringLeaves,
  stringList,
  teleportUser,
} from './fields.js';

export type Outcome = { events: EventDraft[] } | { ignore: string } | { reject: string };

// Session-bound event types: where a session starts, ends, or what happens inside it.
const SESSION_STARTS = new Set([
  'session.start',
  'db.session.start',
  'app.session.start',
  'windows.desktop.session.start',
]);
const SESSION_ENDS = new Set([
  'session.end',
  'db.session.end',
  'app.session.end',
  'windows.desktop.session.end',
]);
const SESSION_ACTIVITY = new Set([
  'session.join',
  'session.leave',
  'session.data',
  'session.command',
  'session.disk',
  'session.network',
  'session.rejected',
  'resize',
  'exec',
  'scp',
  'sftp',
  'port',
  'x11-forward',
  'kube.request',
  'auth',
]);
const SESSION_PREFIXES = ['db.session.', 'app.session.', 'windows.desktop.session.', 'desktop.'];

export function normalizeEvent(record: JsonObject, zone?: string): Outcome {
  const type = str(record.event);
  if (!type)
    return { reject: 'event missing: expected the Teleport event type (e.g. session.start)' };
  const timeText = str(record.time);
  if (!timeText) return { reject: 'time missing: expected RFC 3339 UTC time' };

  try {
    const at = optionalInstant(record, 'time', zone);
    if (!at) return { reject: `time unusable: ${JSON.stringify(timeText)} is Go's zero time` };
    const events = eventsFor(type, record, at, zone);
    return events ? { events } : { ignore: type };
  } catch (error) {
    if (error instanceof FieldError) return { reject: error.message };
    throw error;
  }
}

function eventsFor(
  type: string,
  record: JsonObject,
  at: string,
  zone?: string,
): EventDraft[] | null {
  const code = str(record.code) ?? '';
  // Codes end in I (info), W (warning: a failed or denied attempt) or E (error), codes.go.
  const failed = /[WE]$/.test(code) || record.success === false;
  const base: EventDraft = {
    at,
    stage: 'context',
    tickets: [],
    action: type,
    outcome: failed ? 'failure' : 'success',
    summary: '',
  };

  if (type.startsWith('access_request.')) return accessRequest(type, record, base, zone);
  if (type === 'cert.create') return certificate(record, base, zone);
  if (type === 'user.login') return [login(record, base)];
  if (type === 'user.create' || type === 'user.update')
    return [roleAssignment(type, record, base, zone)];
  if (type === 'user.delete') return [userDeleted(record, base)];
  if (type === 'session.upload')
    return [sessionEvent(record, base, 'context', 'recording uploaded')];
  if (SESSION_STARTS.has(type)) return [sessionEvent(record, base, 'session-start', 'started')];
  if (SESSION_ENDS.has(type)) return [sessionEvent(record, base, 'session-end', 'ended')];
  if (SESSION_ACTIVITY.has(type) || SESSION_PREFIXES.some((p) => type.startsWith(p))) {
    return [sessionEvent(record, base, 'activity', `${type} in`)];
  }
  return null;
}

function accessRequest(
  type: string,
  record: JsonObject,
  base: EventDraft,
  zone?: string,
): EventDraft[] | null {
  const id = str(record.id);
  const state = str(record.state);
  const reason = str(record.reason);
  const tickets = findTickets(reason, ...stringLeaves(record.annotations));
  const requester = teleportUser(str(record.user), record);
  // max_duration is an absolute instant (events.proto: a Timestamp), not a length of time.
  const maxUntil = optionalInstant(record, 'max_duration', zone);
  const expiresAt = optionalInstant(record, 'expires', zone) ?? maxUntil;
  const common: EventDraft = {
    ...base,
    tickets,
    ...(id ? { grantKey: id } : {}),
    ...(reason ? { reason } : {}),
    ...(requestTarget(record) ? { target: requestTarget(record) } : {}),
    ...(expiresAt ? { expiresAt } : {}),
  };
  const what = common.target?.id ?? 'the requested access';

  switch (type) {
    case 'access_request.create':
      return [
        {
          ...common,
          stage: 'request',
          ...(requester ? { actor: requester, subject: requester } : {}),
          summary:
            `Teleport access request ${id ?? '(no id)'} by ${requester?.raw ?? 'unknown user'} for ${what}` +
            ` (${state ?? 'no state'}${maxUntil ? `, at most until ${maxUntil}` : ''})`,
        },
      ];
    case 'access_request.review':
      return [review(record, common, what)];
    case 'access_request.update':
      return [stateChange(record, common, what, state)];
    case 'access_request.delete': {
      const by = teleportUser(str(record.user), record);
      return [
        {
          ...common,
          stage: 'revocation',
          ...(by ? { actor: by } : {}),
          summary:
            `Teleport access request ${id ?? '(no id)'} deleted by ${by?.raw ?? 'unknown user'}` +
            ' (certificates already issued stay valid until they expire)',
        },
      ];
    }
    case 'access_request.expire': {
      const expiry = optionalInstant(record, 'expiry', zone);
      return [
        {
          ...common,
          stage: 'expiry',
          ...(expiry ? { expiresAt: expiry } : {}),
          summary: `Teleport access request ${id ?? '(no id)'} expired`,
        },
      ];
    }
    default:
      return null;
  }
}

function review(record: JsonObject, common: EventDraft, what: string): EventDraft {
  const reviewer = teleportUser(str(record.reviewer), record);
  const proposed = str(record.proposed_state);
  const stage: Stage =
    proposed === 'DENIED' ? 'denial' : proposed === 'APPROVED' ? 'approval' : 'review';
  const plugin = str(record.submitted_by);
  return {
    ...common,
    stage,
    ...(reviewer ? { actor: reviewer } : {}),
    summary:
      `Teleport review of ${common.grantKey ?? '(no id)'} by ${reviewer?.raw ?? 'unknown reviewer'}: ` +
      `${proposed ?? 'no proposal'} for ${what}, request now ${str(record.state) ?? 'unknown'}` +
      (plugin ? ` (submitted by ${plugin})` : ''),
  };
}

function stateChange(
  record: JsonObject,
  common: EventDraft,
  what: string,
  state?: string,
): EventDraft {
  const by = teleportUser(str(record.updated_by) ?? str(record.delegator), record);
  const stage: Stage =
    state === 'APPROVED' || state === 'PROMOTED'
      ? 'approval'
      : state === 'DENIED'
        ? 'denial'
        : 'context';
  const list = str(record.promoted_access_list_name);
  return {
    ...common,
    stage,
    ...(by ? { actor: by } : {}),
    summary:
      `Teleport access request ${common.grantKey ?? '(no id)'} set to ${state ?? 'unknown state'} by ` +
      `${by?.raw ?? 'unknown user'} for ${what}` +
      (list ? ` (promoted to access list ${list})` : '') +
      (str(record.delegator) ? ` on behalf of ${str(record.delegator)}` : ''),
  };
}

// A certificate is the issuance of access: its roles, its expiry, and (identity.access_requests,
// events.proto Identity) the access requests it was built from — one event per request id so
// that each request's grant sees its own issuance.
function certificate(record: JsonObject, base: EventDraft, zone?: string): EventDraft[] {
  const id = isObject(record.identity) ? record.identity : {};
  const subject = teleportUser(str(id.user), { ...id, user_kind: record.user_kind });
  const certType = str(record.cert_type) ?? 'user';
  const subjectFixed =
    subject && certType !== 'user' ? { ...subject, kind: 'service' as const } : subject;
  const expiresAt = optionalInstant(id, 'expires', zone);
  const requests = stringList(id.access_requests);
  const target = roleTarget(stringList(id.roles));
  const draft: EventDraft = {
    ...base,
    stage: 'issuance',
    ...(subjectFixed ? { subject: subjectFixed } : {}),
    ...(target ? { target } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(str(id.mfa_device_uuid) ? { mfa: true } : {}),
    summary:
      `Teleport ${certType} certificate for ${subject?.raw ?? 'unknown user'} with roles ` +
      `${target?.id ?? 'none'} (${expiresAt ? `expires ${expiresAt}` : 'no expiry'})` +
      (requests.length > 0 ? ` from access requests ${requests.join(', ')}` : ''),
  };
  if (requests.length === 0) return [draft];
  return requests.map((request, index) => ({
    ...draft,
    grantKey: request,
    subLocator: `/identity/access_requests/${index}`,
  }));
}

// user.login carries mfa_device when a second factor was used; a successful local login without
// one had none. SSO logins leave MFA to the identity provider, so it stays unknown.
function login(record: JsonObject, base: EventDraft): EventDraft {
  const user = teleportUser(str(record.user), record);
  const method = str(record.method) ?? 'unknown method';
  const device = isObject(record.mfa_device) ? str(record.mfa_device.mfa_device_type) : undefined;
  const mfa = device ? true : record.success === true && method === 'local' ? false : undefined;
  const error = str(record.error);
  // "addr.remote" is one key with a dot in its name (events.proto ConnectionMetadata jsontag).
  const from = str(record['addr.remote']);
  return {
    ...base,
    stage: 'context',
    ...(user ? { actor: user, subject: user } : {}),
    ...(mfa !== undefined ? { mfa } : {}),
    summary:
      `Teleport login of ${user?.raw ?? 'unknown user'} via ${method}` +
      (device ? ` with ${device}` : '') +
      (from ? ` from ${from}` : '') +
      (base.outcome === 'failure' ? ` failed${error ? `: ${error}` : ''}` : ''),
  };
}

function roleAssignment(
  type: string,
  record: JsonObject,
  base: EventDraft,
  zone?: string,
): EventDraft {
  const subject = teleportUser(str(record.name), {});
  const actor = teleportUser(str(record.user), record);
  const roles = stringList(record.roles);
  const target = roleTarget(roles);
  const expiresAt = optionalInstant(record, 'expires', zone);
  return {
    ...base,
    stage: target ? 'issuance' : 'context',
    ...(subject ? { subject } : {}),
    ...(actor ? { actor } : {}),
    ...(target ? { target } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    summary:
      `Teleport ${type === 'user.create' ? 'created' : 'updated'} user ${subject?.raw ?? '(no name)'}` +
      ` with standing roles ${target?.id ?? 'none'}${expiresAt ? ` until ${expiresAt}` : ''}`,
  };
}

function userDeleted(record: JsonObject, base: EventDraft): EventDraft {
  const subject = teleportUser(str(record.name), {});
  const actor = teleportUser(str(record.user), record);
  return {
    ...base,
    stage: 'revocation',
    ...(subject ? { subject } : {}),
    ...(actor ? { actor } : {}),
    summary: `Teleport deleted user ${subject?.raw ?? '(no name)'}, ending its standing roles`,
  };
}

function sessionEvent(
  record: JsonObject,
  base: EventDraft,
  stage: Stage,
  what: string,
): EventDraft {
  const user = teleportUser(str(record.user), record);
  const sid = str(record.sid);
  const target = sessionTarget(record);
  // UserMetadata.access_requests: the requests behind the certificate the session used.
  const request = stringList(record.access_requests)[0];
  const login = str(record.login) ?? str(record.db_user);
  const error = str(record.error);
  return {
    ...base,
    stage,
    ...(user ? { actor: user, subject: user } : {}),
    ...(target ? { target } : {}),
    ...(sid ? { sessionId: sid } : {}),
    ...(request ? { grantKey: request } : {}),
    ...(str(record.with_mfa) ? { mfa: true } : {}),
    summary:
      (stage === 'activity'
        ? `Teleport ${what} session ${sid ?? '(no sid)'}`
        : `Teleport session ${sid ?? '(no sid)'} ${what}`) +
      ` by ${user?.raw ?? 'unknown user'}` +
      (login ? ` as ${login}` : '') +
      (target ? ` on ${target.id}` : '') +
      (base.outcome === 'failure' ? ` failed${error ? `: ${error}` : ''}` : ''),
  };
}
