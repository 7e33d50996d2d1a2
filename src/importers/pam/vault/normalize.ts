// Turns one Vault audit entry (a response, or a request logged without one) into a timeline event.
import type { EventDraft, Identity } from '../../../model/event.js';
import { getPath, isObject, str, type JsonObject } from '../../common.js';
import { parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';
import { authIdentity, policyTarget } from './identity.js';
import { classify, relativePath, type RevokeForm } from './paths.js';

export interface NormalizeContext {
  timezone?: string;
  /** HMAC'd client token -> HMAC'd accessor, learned from earlier entries of the same run. */
  accessorOfToken: Map<string, string>;
}

export type Normalized = { event: EventDraft } | { reject: string };

export function normalizeEntry(entry: JsonObject, context: NormalizeContext): Normalized {
  const timeText = str(entry.time);
  if (!timeText) return { reject: 'time missing: expected RFC 3339 time of the audit entry' };
  let at: number;
  try {
    at = parseIsoTime(timeText, context.timezone);
  } catch (error) {
    if (error instanceof TimeError) return { reject: `time unusable: ${error.message}` };
    throw error;
  }

  const caller = callerOf(entry);
  rememberToken(entry, caller.accessor, context);
  const path = relativePath(entry);
  const operation = str(getPath(entry, 'request.operation')) ?? 'unknown';
  const action = path ? `${operation} ${path}` : operation;
  const error = str(entry.error);
  const base: EventDraft = {
    at: toUtcIso(at),
    stage: 'activity',
    tickets: [],
    action,
    outcome: error ? 'failure' : 'success',
    summary: '',
    ...(caller.identity ? { actor: caller.identity, subject: caller.identity } : {}),
    ...(caller.accessor ? { grantKey: caller.accessor } : {}),
  };

  // A request logged without its response, or a failed call, proves an attempt, never a grant
  // change: it stays activity so that a failed revoke can never pass for a revocation.
  if (entry.type !== 'response' || error) return { event: attempt(base, entry, error) };

  const op = classify(entry);
  switch (op.kind) {
    case 'token-issue':
      return { event: tokenIssue(base, entry, at, op.via, caller.identity) };
    case 'lease-issue':
      return { event: leaseIssue(base, path, op.leaseId) };
    case 'renew':
      return { event: renewal(base, entry, at, path, caller.accessor, context) };
    case 'revoke':
      return { event: revocation(base, entry, path, op.form, caller.accessor, context) };
    case 'other':
      return { event: activity(base, path) };
  }
}

interface Caller {
  identity?: Identity;
  accessor?: string;
  clientToken?: string;
}

function callerOf(entry: JsonObject): Caller {
  const auth = entry.auth;
  const accessor =
    str(getPath(auth, 'accessor')) ?? str(getPath(entry, 'request.client_token_accessor'));
  const clientToken =
    str(getPath(auth, 'client_token')) ?? str(getPath(entry, 'request.client_token'));
  return { identity: authIdentity(auth), accessor, clientToken };
}

// Vault HMACs a token and its accessor with the same audit-device key every time it logs them, so
// the HMAC'd token in a later `auth/token/revoke` body can be traced back to its accessor.
function rememberToken(
  entry: JsonObject,
  accessor: string | undefined,
  context: NormalizeContext,
): void {
  const token = str(getPath(entry, 'auth.client_token'));
  if (token && accessor) context.accessorOfToken.set(token, accessor);
  const newToken = str(getPath(entry, 'response.auth.client_token'));
  const newAccessor = str(getPath(entry, 'response.auth.accessor'));
  if (newToken && newAccessor) context.accessorOfToken.set(newToken, newAccessor);
}

function attempt(base: EventDraft, entry: JsonObject, error?: string): EventDraft {
  const who = base.subject?.raw ?? 'an unauthenticated caller';
  const path = relativePath(entry);
  if (path) base = { ...base, target: { id: path, raw: path, kind: 'path' } };
  if (error) {
    const denied = /permission denied/i.test(error);
    const why = denied ? 'permission denied' : `error: ${firstLine(error)}`;
    return { ...base, summary: `Vault ${base.action} by ${who} failed (${why})` };
  }
  const note = entry.type === 'request' ? ' (request logged without a response)' : '';
  return { ...base, summary: `Vault ${base.action} by ${who}${note}` };
}

function tokenIssue(
  base: EventDraft,
  entry: JsonObject,
  at: number,
  via: 'login' | 'token-create' | 'unwrap',
  caller: Identity | undefined,
): EventDraft {
  const newAuth = getPath(entry, 'response.auth') as JsonObject;
  const subject = authIdentity(newAuth);
  const accessor = str(newAuth.accessor);
  const ttl = typeof newAuth.token_ttl === 'number' ? newAuth.token_ttl : undefined;
  const expiresAt = tokenExpiry(newAuth, at, ttl);
  const target = policyTarget(newAuth);

  const actor = via === 'login' ? subject : caller;
  const draft: EventDraft = {
    ...base,
    stage: 'issuance',
    actor,
    subject,
    target,
    grantKey: accessor,
    ...(ttl !== undefined && ttl > 0 ? { durationSeconds: ttl } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    summary:
      `Vault token issued to ${subject?.raw ?? 'an unnamed token'} by ${via}` +
      ` (policies ${target?.raw ?? 'none'}; ${expiresAt ? `expires ${expiresAt}` : 'no TTL'})`,
  };
  return dropUndefined(draft);
}

// token_issue_time is RFC 3339 to the second and may carry a local offset (-05:00); a TTL of 0
// is a token that never expires (root tokens).
function tokenExpiry(auth: JsonObject, at: number, ttl: number | undefined): string | undefined {
  if (ttl === undefined || ttl <= 0) return undefined;
  const issued = str(auth.token_issue_time);
  let start = at;
  if (issued) {
    try {
      start = parseIsoTime(issued);
    } catch {
      start = at;
    }
  }
  return toUtcIso(start + ttl * 1000);
}

function leaseIssue(base: EventDraft, path: string, leaseId: string): EventDraft {
  return {
    ...base,
    stage: 'issuance',
    grantKey: leaseId,
    // A response without a request path (damaged or hand-edited log) still holds the lease.
    target: path ? { id: path, raw: path, kind: 'credential' } : undefined,
    summary:
      `Vault issued a leased credential from ${path || 'an unnamed path'} to ${base.subject?.raw ?? 'an unnamed token'}` +
      ' (lease duration is not written to the audit log)',
  };
}

function renewal(
  base: EventDraft,
  entry: JsonObject,
  at: number,
  path: string,
  callerAccessor: string | undefined,
  context: NormalizeContext,
): EventDraft {
  const data = getPath(entry, 'request.data');
  const newAuth = getPath(entry, 'response.auth');
  const key =
    str(getPath(entry, 'response.secret.lease_id')) ??
    str(getPath(newAuth, 'accessor')) ??
    (path.startsWith('auth/token/renew-self') ? callerAccessor : undefined) ??
    dataKey(data, 'lease_id') ??
    dataKey(data, 'accessor') ??
    accessorOfTokenIn(data, context);
  if (!key) {
    return {
      ...base,
      stage: 'context',
      summary: `Vault renewal ${path}; the renewed grant is not named`,
    };
  }

  const ttl = isObject(newAuth) && typeof newAuth.token_ttl === 'number' ? newAuth.token_ttl : 0;
  const expiresAt = ttl > 0 ? toUtcIso(at + ttl * 1000) : undefined;
  return {
    ...base,
    stage: 'issuance',
    grantKey: key,
    ...(expiresAt ? { expiresAt, durationSeconds: ttl } : {}),
    summary:
      `Vault renewal extends ${key} ` +
      (expiresAt ? `(now expires ${expiresAt})` : '(new expiry not logged)'),
  };
}

function revocation(
  base: EventDraft,
  entry: JsonObject,
  path: string,
  form: RevokeForm,
  callerAccessor: string | undefined,
  context: NormalizeContext,
): EventDraft {
  const data = getPath(entry, 'request.data');
  let key: string | undefined;
  let what: string;
  switch (form.by) {
    case 'lease':
      key = form.leaseId;
      what = 'lease';
      break;
    case 'prefix':
      key = form.prefix;
      what = 'every lease under prefix';
      break;
    case 'self':
      key = callerAccessor;
      what = 'its own token';
      break;
    case 'accessor':
      key = form.accessor;
      what = 'token with accessor';
      break;
    case 'token':
      key = accessorOfTokenIn(data, context) ?? dataKey(data, 'token');
      what = 'token';
      break;
  }
  // The caller is who revoked; only a revoke-self names whose access ended.
  const draft: EventDraft = {
    ...base,
    stage: 'revocation',
    subject: form.by === 'self' ? base.subject : undefined,
    grantKey: key,
    summary: `Vault ${path} revoked ${what} ${key ?? '(not named in the log)'}`,
  };
  return dropUndefined(draft);
}

function activity(base: EventDraft, path: string): EventDraft {
  return dropUndefined({
    ...base,
    target: path ? { id: path, raw: path, kind: 'path' } : undefined,
    summary: `Vault ${base.action} by ${base.subject?.raw ?? 'an unauthenticated caller'}`,
  });
}

function dataKey(data: unknown, key: string): string | undefined {
  return isObject(data) ? str(data[key]) : undefined;
}

function accessorOfTokenIn(data: unknown, context: NormalizeContext): string | undefined {
  const token = dataKey(data, 'token');
  return token ? context.accessorOfToken.get(token) : undefined;
}

function firstLine(text: string): string {
  return text
    .replace(/^\d+ errors? occurred:\s*/, '')
    .replace(/\s*\*\s*/g, ' ')
    .trim()
    .split('\n')[0];
}

function dropUndefined(draft: EventDraft): EventDraft {
  for (const key of Object.keys(draft) as (keyof EventDraft)[]) {
    if (draft[key] === undefined) delete draft[key];
  }
  return draft;
}
