// Who a Vault token belongs to: e-mail, display name or entity, and the kind of party it is.
import type { Identity, IdentityKind, Target } from '../../../model/event.js';
import { getPath, identity, isObject, str, type JsonObject } from '../../common.js';

// Vault names tokens "<auth mount>-<login name>" (Vault docs, token display_name). Mounts that
// log people in versus mounts that log workloads in ("token-<name>" is a child token made for a
// workload, e.g. by Nomad); a bare "token" or "root" could be anyone and stays unknown.
const HUMAN_MOUNTS = /^(oidc|userpass|ldap|okta|github|radius|saml)-/i;
const SERVICE_MOUNTS =
  /^(token-|approle(-|$)|(kubernetes|aws|gcp|azure|cert|jwt|alicloud|oci|nomad)-)/i;

/** The party a Vault `auth` block (request auth or a newly issued response.auth) stands for. */
export function authIdentity(auth: unknown): Identity | undefined {
  if (!isObject(auth)) return undefined;
  const email = str(getPath(auth, 'metadata.email'));
  const displayName = str(auth.display_name);
  const entityId = str(auth.entity_id);

  // Every AppRole token is displayed as plain "approle"; the role name tells them apart.
  const roleName = str(getPath(auth, 'metadata.role_name'));
  if (!email && displayName === 'approle' && roleName) return identity(roleName, 'service');

  const raw = email ?? displayName ?? entityId;
  if (!raw) return undefined;
  return identity(raw, inferKind(email, displayName));
}

function inferKind(email: string | undefined, displayName: string | undefined): IdentityKind {
  if (displayName && SERVICE_MOUNTS.test(displayName)) return 'service';
  if (email) return 'human';
  if (displayName && HUMAN_MOUNTS.test(displayName)) return 'human';
  return 'unknown';
}

/** The policies a token carries, as the grant target ("default" dropped when others exist). */
export function policyTarget(auth: JsonObject): Target | undefined {
  const policies = stringList(auth.policies);
  const all = policies.length > 0 ? policies : stringList(auth.token_policies);
  if (all.length === 0) return undefined;
  const meaningful = all.filter((p) => p !== 'default');
  const shown = [...(meaningful.length > 0 ? meaningful : all)].sort();
  return { id: shown.join(','), raw: all.join(','), kind: 'policy' };
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v !== '')
    : [];
}
