// Normalizes Entra sign-in records (user, non-interactive, service principal, managed identity).
import type { EventDraft, Identity, Target } from '../../../model/event.js';
import { identity, isObject, type JsonObject } from '../../common.js';
import { ciArray, ciGet, ciObject, ciStr } from './fields.js';
import type { Outcome } from './outcome.js';

// authenticationDetails methods that are a second factor on their own.
const STRONG_METHODS =
  /authenticator|fido|passkey|windows hello|certificate|otp|oath|sms|phone|voice|temporary access pass/i;

export function normalizeSignIn(
  body: JsonObject,
  at: string,
  category: string | undefined,
  timeNote: string,
): Outcome {
  const status = signInStatus(body);
  if (status === undefined) {
    return { reject: 'status.errorCode missing: expected the sign-in result code (0 = success)' };
  }

  const workload = isWorkload(body, category);
  const subject = workload ? workloadIdentity(body) : userIdentity(body);
  if (!subject) {
    return {
      reject: 'no signed-in identity: expected userPrincipalName / userId or servicePrincipalId',
    };
  }

  const outcome = status.code === '0' ? 'success' : 'failure';
  const mfa = workload ? undefined : strongAuth(body, outcome === 'success');
  const target = accessedResource(body);
  const app = ciStr(body, 'appDisplayName', 'appId');
  const sessionId = ciStr(body, 'sessionId');
  const action = category ?? ciStr(body, 'operationName') ?? 'Sign-in activity';

  const event: EventDraft = {
    at,
    stage: 'session-start',
    action,
    outcome,
    actor: subject,
    subject,
    tickets: [],
    summary: summaryLine(
      subject,
      displayName(body, subject),
      app,
      target,
      status,
      mfa,
      action,
      timeNote,
    ),
  };
  if (target) event.target = target;
  if (mfa !== undefined) event.mfa = mfa;
  if (sessionId) event.sessionId = sessionId;
  return { events: [event] };
}

interface SignInStatus {
  code: string;
  detail?: string;
}

/** status.errorCode (Graph), ResultType (Log Analytics) or the portal's error code / status. */
function signInStatus(body: JsonObject): SignInStatus | undefined {
  const status = ciObject(body, 'status');
  const code = ciStr(status, 'errorCode') ?? ciStr(body, 'resultType', 'errorCode');
  const detail =
    ciStr(status, 'failureReason', 'additionalDetails') ??
    ciStr(body, 'resultDescription', 'failureReason');
  if (code !== undefined) return { code: code.trim(), detail };
  const word = typeof ciGet(body, 'status') === 'string' ? ciStr(body, 'status') : undefined;
  if (word && /^success$/i.test(word)) return { code: '0', detail };
  if (word && /^(failure|interrupted)$/i.test(word)) return { code: word.toLowerCase(), detail };
  return undefined;
}

function isWorkload(body: JsonObject, category: string | undefined): boolean {
  if (category && /^(serviceprincipal|managedidentity)signinlogs$/i.test(category)) return true;
  const hasUser = ciStr(body, 'userPrincipalName', 'userId') !== undefined;
  return !hasUser && ciStr(body, 'servicePrincipalId') !== undefined;
}

function userIdentity(body: JsonObject): Identity | undefined {
  const raw = ciStr(body, 'userPrincipalName', 'userId');
  return raw ? identity(raw, 'human') : undefined;
}

/** Workloads are keyed by service principal object id, the id Entra audit and Azure claims use. */
function workloadIdentity(body: JsonObject): Identity | undefined {
  const raw = ciStr(body, 'servicePrincipalId', 'appId', 'servicePrincipalName');
  return raw ? identity(raw, 'service') : undefined;
}

function accessedResource(body: JsonObject): Target | undefined {
  const name = ciStr(body, 'resourceDisplayName') ?? ciStr(body, 'appDisplayName');
  const id = ciStr(body, 'resourceId') ?? name ?? ciStr(body, 'appId');
  if (!id) return undefined;
  return { id, raw: id, kind: 'app', ...(name ? { name } : {}) };
}

/**
 * Whether a second factor was used: a succeeded MFA step in authenticationDetails, a filled
 * mfaDetail, or authenticationRequirement "multiFactorAuthentication" on a successful sign-in.
 * Single-factor requirement means no; no information leaves it unknown.
 */
function strongAuth(body: JsonObject, succeeded: boolean): boolean | undefined {
  for (const step of ciArray(body, 'authenticationDetails')) {
    if (!isObject(step) || ciGet(step, 'succeeded') !== true) continue;
    const requirement = ciStr(step, 'authenticationStepRequirement') ?? '';
    const method = ciStr(step, 'authenticationMethod') ?? '';
    if (/multi-?factor/i.test(requirement) || STRONG_METHODS.test(method)) return true;
  }
  const mfaDetail = ciObject(body, 'mfaDetail');
  if (ciStr(mfaDetail, 'authMethod')) return true;
  const portalResult = ciStr(body, 'mfaResult');
  if (portalResult && /success|satisfied|completed/i.test(portalResult)) return true;

  const requirement = ciStr(body, 'authenticationRequirement') ?? '';
  if (/multi-?factor/i.test(requirement)) return succeeded;
  if (/single-?factor/i.test(requirement)) return false;
  return undefined;
}

/** A readable name beside the id (service principals are keyed by object id). */
function displayName(body: JsonObject, subject: Identity): string | undefined {
  const name = ciStr(body, 'servicePrincipalName', 'userDisplayName');
  return name && name !== subject.raw ? name : undefined;
}

function summaryLine(
  subject: Identity,
  name: string | undefined,
  app: string | undefined,
  target: Target | undefined,
  status: SignInStatus,
  mfa: boolean | undefined,
  action: string,
  timeNote: string,
): string {
  const into = app ?? target?.name ?? 'an application';
  const resource = target?.name && target.name !== app ? ` for ${target.name}` : '';
  const result =
    status.code === '0'
      ? 'success'
      : `failed (${status.code}${status.detail ? `: ${status.detail}` : ''})`;
  const strength = mfa === undefined ? '' : mfa ? ', MFA' : ', single factor';
  return `${subject.raw}${name ? ` (${name})` : ''} signed in to ${into}${resource} (${action}): ${result}${strength}${timeNote}`;
}
