// Sorts a Vault audit entry into the lifecycle operation its request path and response show.
import { getPath, isObject, str, type JsonObject } from '../../common.js';

export type VaultOperation =
  | { kind: 'token-issue'; via: 'login' | 'token-create' | 'unwrap' }
  | { kind: 'lease-issue'; leaseId: string }
  | { kind: 'renew' }
  | { kind: 'revoke'; form: RevokeForm }
  | { kind: 'other' };

/** How a revoke call names what it revokes (Vault API: sys/leases and auth/token). */
export type RevokeForm =
  | { by: 'lease'; leaseId?: string }
  | { by: 'prefix'; prefix: string }
  | { by: 'self' }
  | { by: 'accessor'; accessor?: string }
  | { by: 'token' };

// Vault API paths, both the current sys/leases/* and the older sys/* forms that still answer.
const REVOKE_PREFIX = /^sys\/(?:leases\/)?(?:revoke-prefix|revoke-force)\/(.+)$/;
const REVOKE_LEASE = /^sys\/(?:leases\/)?revoke(?:\/(.+))?$/;
const TOKEN_REVOKE = /^auth\/token\/revoke(-self|-accessor|-orphan)?(?:\/(.+))?$/;
const RENEW = /^(?:sys\/(?:leases\/)?renew|auth\/token\/renew(?:-self|-accessor)?)(?:\/.*)?$/;

/** The request path relative to its namespace (Enterprise may prefix it with the namespace path). */
export function relativePath(entry: JsonObject): string {
  const path = str(getPath(entry, 'request.path')) ?? '';
  const namespacePath = str(getPath(entry, 'request.namespace.path'));
  if (namespacePath && path.startsWith(namespacePath)) return path.slice(namespacePath.length);
  return path;
}

export function classify(entry: JsonObject): VaultOperation {
  const path = relativePath(entry);
  const data = getPath(entry, 'request.data');

  const prefix = REVOKE_PREFIX.exec(path);
  if (prefix) return { kind: 'revoke', form: { by: 'prefix', prefix: prefix[1] } };
  const lease = REVOKE_LEASE.exec(path);
  if (lease) {
    return {
      kind: 'revoke',
      form: { by: 'lease', leaseId: lease[1] ?? dataString(data, 'lease_id') },
    };
  }
  const token = TOKEN_REVOKE.exec(path);
  if (token) return { kind: 'revoke', form: tokenRevokeForm(token[1], token[2], data) };
  if (RENEW.test(path)) return { kind: 'renew' };

  const newAuth = getPath(entry, 'response.auth');
  if (isObject(newAuth) && str(newAuth.accessor)) {
    if (path.startsWith('auth/token/create')) return { kind: 'token-issue', via: 'token-create' };
    if (path === 'sys/wrapping/unwrap') return { kind: 'token-issue', via: 'unwrap' };
    if (path.startsWith('auth/')) return { kind: 'token-issue', via: 'login' };
  }

  const leaseId = str(getPath(entry, 'response.secret.lease_id'));
  if (leaseId) return { kind: 'lease-issue', leaseId };
  return { kind: 'other' };
}

function tokenRevokeForm(
  variant: string | undefined,
  rest: string | undefined,
  data: unknown,
): RevokeForm {
  if (variant === '-self') return { by: 'self' };
  if (variant === '-accessor')
    return { by: 'accessor', accessor: rest ?? dataString(data, 'accessor') };
  return { by: 'token' };
}

function dataString(data: unknown, key: string): string | undefined {
  return isObject(data) ? str(data[key]) : undefined;
}
