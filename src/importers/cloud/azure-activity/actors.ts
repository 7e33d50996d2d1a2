// Who made an Azure control-plane call, from the token claims or the caller field.
import type { Identity } from '../../../model/event.js';
import { identity } from '../../common.js';
import { ciStr, type ActivityRecord } from './fields.js';

const UPN = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
const OBJECT_ID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const NAME = 'name';

/**
 * Users are known by UPN; service principals and managed identities by object id (the id Entra
 * sign-in and audit records use), falling back to the app id and then the caller field.
 */
export function callerIdentity(record: ActivityRecord): { actor?: Identity; objectId?: string } {
  const claims = record.claims;
  const objectId = ciStr(claims, OBJECT_ID, 'oid');
  const upn = ciStr(claims, UPN, 'upn', 'unique_name');
  if (upn) return { actor: identity(upn, 'human'), objectId };

  const appId = ciStr(claims, 'appid', 'azp');
  if (appId || ciStr(claims, 'idtyp') === 'app') {
    const raw = objectId ?? appId ?? record.caller;
    if (raw) return { actor: identity(raw, 'service'), objectId };
  }

  const caller = record.caller ?? ciStr(claims, NAME);
  if (!caller) return evidencePrincipal(record, objectId);
  const kind = caller.includes('@')
    ? 'human'
    : /^[0-9a-f-]{36}$/i.test(caller)
      ? 'service'
      : 'unknown';
  return { actor: identity(caller, kind), objectId };
}

/**
 * Without claims or caller, `authorization.evidence` still names the principal whose role
 * assignment authorized the call: that principal made the call.
 */
function evidencePrincipal(
  record: ActivityRecord,
  objectId: string | undefined,
): { actor?: Identity; objectId?: string } {
  const evidence = record.authorization.evidence;
  const principal = ciStr(evidence, 'principalId');
  if (!principal) return { objectId };
  const type = (ciStr(evidence, 'principalType') ?? '').toLowerCase();
  const kind = type === 'user' ? 'human' : type === 'serviceprincipal' ? 'service' : 'unknown';
  return { actor: identity(principal, kind), objectId };
}
