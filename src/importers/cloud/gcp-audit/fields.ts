// The parts of a Cloud Audit Logs LogEntry that the importer reads, and GCP identity rules.
import type { Identity, IdentityKind } from '../../../model/event.js';
import { getPath, isObject, normalizeIdentityId, str, type JsonObject } from '../../common.js';

export interface AuditEntry {
  insertId?: string;
  logName?: string;
  timestamp?: string;
  payload: JsonObject;
  serviceName?: string;
  methodName?: string;
  /** The last dotted segment of methodName, lower-cased (`google.iam.admin.v1.CreateServiceAccountKey` → `createserviceaccountkey`). */
  method: string;
  resourceName?: string;
  principal?: string;
  /** status.code; absent or 0 means OK. */
  statusCode: number;
  statusMessage?: string;
  request: JsonObject;
  response: JsonObject;
}

export function auditEntry(value: JsonObject): AuditEntry | undefined {
  const payload = value.protoPayload;
  if (!isObject(payload)) return undefined;
  const type = str(payload['@type']) ?? str(payload.at_sign_type) ?? '';
  if (type !== '' && !type.endsWith('google.cloud.audit.AuditLog')) return undefined;

  const methodName = str(payload.methodName);
  const auth = isObject(payload.authenticationInfo) ? payload.authenticationInfo : {};
  // Panther copies `status` beside protoPayload in some records; read both places.
  const status = isObject(payload.status)
    ? payload.status
    : isObject(value.status)
      ? value.status
      : {};
  const code = Number(status.code ?? 0);
  return {
    insertId: str(value.insertId),
    logName: str(value.logName),
    timestamp: str(value.timestamp),
    payload,
    serviceName: str(payload.serviceName),
    methodName,
    method: (methodName ?? '').split('.').at(-1)!.toLowerCase(),
    resourceName: str(payload.resourceName),
    principal: str(auth.principalEmail) ?? str(auth.principalSubject),
    statusCode: Number.isFinite(code) ? code : 1,
    statusMessage: str(status.message),
    request: isObject(payload.request) ? payload.request : {},
    response: isObject(payload.response) ? payload.response : {},
  };
}

/** The kind of a principal email or subject as Cloud Audit Logs writes it. */
export function principalKind(principal: string): IdentityKind {
  const lowered = principal.toLowerCase();
  if (lowered.endsWith('.gserviceaccount.com')) return 'service';
  if (lowered.includes('/workloadidentitypools/')) return 'service';
  if (lowered.includes('/workforcepools/')) return 'human';
  if (lowered.startsWith('principalset://')) return 'unknown';
  return /^[^@\s]+@[^@\s]+$/.test(lowered) ? 'human' : 'unknown';
}

export function principalIdentity(principal: string): Identity {
  const bare = principal.replace(/^(user|serviceAccount):/, '');
  return { id: normalizeIdentityId(bare), raw: principal, kind: principalKind(bare) };
}

/**
 * An IAM policy member (`user:`, `serviceAccount:`, `group:`, `domain:`, `deleted:…`,
 * `principal://…`, `allUsers`). The id drops the type prefix so it matches other sources;
 * raw keeps the member exactly as written.
 */
export function memberIdentity(member: string): Identity {
  const deleted = member.startsWith('deleted:');
  const withoutDeleted = deleted ? member.slice('deleted:'.length) : member;
  const colon = withoutDeleted.indexOf(':');
  const prefix = colon > 0 && !withoutDeleted.includes('://') ? withoutDeleted.slice(0, colon) : '';
  const bare = prefix ? withoutDeleted.slice(colon + 1).replace(/\?uid=\d+$/, '') : withoutDeleted;
  const kinds: Record<string, IdentityKind> = {
    user: 'human',
    serviceaccount: 'service',
    group: 'unknown',
    domain: 'unknown',
  };
  const kind = prefix ? (kinds[prefix.toLowerCase()] ?? 'unknown') : principalKind(bare);
  return { id: normalizeIdentityId(bare), raw: member, kind };
}

export function path(value: unknown, dotted: string): unknown {
  return getPath(value, dotted);
}

/** Seconds of a protobuf Duration as JSON writes it (`"3600s"`, `"1.5s"`). */
export function durationSeconds(value: unknown): number | undefined {
  const text = str(value);
  const match = text ? /^(\d+(?:\.\d+)?)s$/.exec(text.trim()) : null;
  return match ? Number(match[1]) : undefined;
}
