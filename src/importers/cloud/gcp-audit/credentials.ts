// Workload credentials: service account keys (long-lived) and iamcredentials tokens (short-lived).
import type { EventDraft } from '../../../model/event.js';
import { str } from '../../common.js';
import { parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';
import { durationSeconds, memberIdentity, path, type AuditEntry } from './fields.js';
import type { Base } from './iam-policy.js';

const KEY_METHODS: Record<string, 'issuance' | 'revocation'> = {
  createserviceaccountkey: 'issuance',
  uploadserviceaccountkey: 'issuance',
  deleteserviceaccountkey: 'revocation',
  disableserviceaccountkey: 'revocation',
};

const TOKEN_METHODS = new Set(['generateaccesstoken', 'generateidtoken', 'signjwt', 'signblob']);

/** Default lifetime of a token from the IAM Credentials API: one hour. */
const DEFAULT_TOKEN_SECONDS = 3600;

export function credentialEvents(entry: AuditEntry, base: Base): EventDraft[] | undefined {
  const keyStage = KEY_METHODS[entry.method];
  if (keyStage) return [keyEvent(entry, keyStage, base)];
  if (
    TOKEN_METHODS.has(entry.method) &&
    (entry.serviceName ?? 'iamcredentials.googleapis.com') === 'iamcredentials.googleapis.com'
  ) {
    return [tokenEvent(entry, base)];
  }
  return undefined;
}

/** `projects/<p>/serviceAccounts/<email or id>[/keys/<key>]` → the account part. */
function serviceAccountOf(name: string | undefined): string | undefined {
  const match = name ? /serviceAccounts\/([^/]+)/.exec(name) : null;
  return match?.[1];
}

/**
 * A user-managed key never expires unless an org policy sets one: validBeforeTime is then
 * 9999-12-31, and expiresAt stays absent so the credential shows as long-lived.
 */
function keyEvent(entry: AuditEntry, stage: 'issuance' | 'revocation', base: Base): EventDraft {
  const keyName = str(entry.response.name) ?? str(entry.request.name) ?? entry.resourceName;
  const keyId = keyName?.includes('/keys/') ? keyName.split('/keys/')[1] : undefined;
  const account =
    serviceAccountOf(keyName) ??
    serviceAccountOf(entry.resourceName) ??
    str(path(entry.payload, 'resourceName'));
  const event = base.draft();
  event.stage = stage;
  if (account) event.subject = memberIdentity(`serviceAccount:${account}`);
  if (keyId) event.grantKey = keyId;
  event.target = {
    id: keyName ?? `${account ?? 'unknown'}/keys`,
    raw: keyName ?? '',
    kind: 'service-account-key',
    name: `key of ${account ?? 'a service account'}`,
  };

  const validBefore = str(entry.response.validBeforeTime);
  const expiresAt = stage === 'issuance' ? finiteExpiry(validBefore) : undefined;
  if (expiresAt) event.expiresAt = expiresAt;
  const verb =
    stage === 'issuance'
      ? 'created'
      : entry.method === 'disableserviceaccountkey'
        ? 'disabled'
        : 'deleted';
  event.summary =
    `${base.actorRaw ?? 'unknown principal'} ${verb} service account key ${keyId ?? '(id not in record)'} of ${account ?? 'an unstated account'}` +
    `${stage === 'issuance' ? (expiresAt ? `, valid until ${expiresAt}` : ', no expiry (long-lived)') : ''}`;
  return event;
}

function finiteExpiry(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const ms = parseIsoTime(text);
    return new Date(ms).getUTCFullYear() >= 9999 ? undefined : toUtcIso(ms);
  } catch (error) {
    if (error instanceof TimeError) return undefined;
    throw error;
  }
}

/** A short-lived token minted for a service account: issuance with the lifetime asked for. */
function tokenEvent(entry: AuditEntry, base: Base): EventDraft {
  const delegation = path(entry.payload, 'metadata.identityDelegationChain');
  const chainTarget = Array.isArray(delegation) ? str(delegation.at(-1)) : undefined;
  const account =
    serviceAccountOf(str(entry.request.name)) ??
    serviceAccountOf(chainTarget) ??
    serviceAccountOf(entry.resourceName);
  const seconds = durationSeconds(entry.request.lifetime) ?? DEFAULT_TOKEN_SECONDS;

  const event = base.draft();
  event.stage = 'issuance';
  if (account) event.subject = memberIdentity(`serviceAccount:${account}`);
  event.target = {
    id: `${account ?? 'unknown'}/${entry.method}`,
    raw: str(entry.request.name) ?? entry.resourceName ?? '',
    kind: 'service-account-token',
    name: `${entry.methodName} for ${account ?? 'a service account'}`,
  };
  event.durationSeconds = seconds;
  if (entry.statusCode === 0) event.expiresAt = toUtcIso(Date.parse(base.at) + seconds * 1000);
  event.summary =
    `${base.actorRaw ?? 'unknown principal'} ${entry.methodName} as ${account ?? 'an unstated service account'}` +
    ` (lifetime ${seconds}s${entry.request.lifetime ? '' : ', default'})`;
  return event;
}
