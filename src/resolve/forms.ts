// Identifier forms real exports use for one identity or target, tried in order against aliases.
import { normalizeIdentityId } from '../importers/common.js';

export interface Forms {
  /** Names to look up among config ids and aliases, most specific first. */
  candidates: string[];
  /** The id to keep when no alias matches: normalized, but still telling apart what may differ. */
  normalized: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

// arn:aws:sts::111122223333:assumed-role/ROLE/SESSION, or the same without the ARN prefix.
const ASSUMED_ROLE = /^(?:arn:aws[\w-]*:sts::(\d{12}):)?assumed-role\/([^/]+)\/(.+)$/i;
// principalId of an assumed-role session: <role id AROA...>:<session name>.
// Importers lower-case e-mail-like ids, and this one looks like an e-mail when the session is one.
const ROLE_PRINCIPAL = /^AROA[0-9A-Z]{8,}:(.+)$/i;
const IAM_USER = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/;
const AWS_ROOT = /^arn:aws[\w-]*:iam::\d{12}:root$/;
// DOMAIN\user; exports sometimes keep the JSON escaping (CORP\\user).
const WINDOWS = /^([A-Za-z0-9][\w.-]*)\\{1,2}([^\\]+)$/;
// Vault display names start with the auth mount's method (vault docs: "display_name").
const VAULT_HUMAN_METHODS = [
  'oidc',
  'ldap',
  'userpass',
  'okta',
  'jwt',
  'github',
  'radius',
  'saml',
  'kerberos',
];
const VAULT_PREFIX = /^([a-z]+)-(.+)$/;

/** Forms of an identity; `importer` enables vendor-specific forms (Vault display names). */
export function identityForms(raw: string, id: string, importer: string): Forms {
  const candidates: string[] = [];
  const add = (value: string | undefined) => {
    const trimmed = value?.trim();
    if (trimmed && !candidates.includes(trimmed)) candidates.push(trimmed);
  };
  add(raw);
  add(id);
  let normalized = normalizeIdentityId(id);

  const assumed = ASSUMED_ROLE.exec(normalized);
  if (assumed) {
    const [, , role, session] = assumed;
    add(`${role}/${session}`);
    add(session);
    // IAM Identity Center: the session name of an AWSReservedSSO_ role is the person.
    if (role.toLowerCase().startsWith('awsreservedsso_') || EMAIL.test(session))
      normalized = normalizeIdentityId(session);
  }

  const principal = ROLE_PRINCIPAL.exec(normalized);
  if (principal) {
    add(principal[1]);
    if (EMAIL.test(principal[1])) normalized = normalizeIdentityId(principal[1]);
  }

  const iamUser = IAM_USER.exec(normalized);
  if (iamUser) add(iamUser[1]);
  if (AWS_ROOT.test(normalized)) add('root');

  const windows = WINDOWS.exec(normalized);
  if (windows) {
    add(windows[2]);
    normalized = `${windows[1]}\\${windows[2]}`.toLowerCase();
  }

  if (importer === 'vault') {
    const vault = VAULT_PREFIX.exec(normalized);
    if (vault) {
      add(vault[2]);
      if (VAULT_HUMAN_METHODS.includes(vault[1])) normalized = normalizeIdentityId(vault[2]);
    }
  }

  add(normalized);
  return { candidates, normalized };
}

const STS_ROLE_SESSION = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;
const IAM_ROLE = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

export interface TargetLike {
  id: string;
  raw: string;
  name?: string;
}

/** Forms of a target; `importer:<name>` lets a config alias say which system's name it means. */
export function targetForms(target: TargetLike, importer: string): Forms {
  const candidates: string[] = [];
  const add = (value: string | undefined) => {
    const trimmed = value?.trim();
    if (trimmed && !candidates.includes(trimmed)) candidates.push(trimmed);
  };
  add(target.raw);
  add(target.id);
  add(target.name);
  for (const value of [target.name, target.raw, target.id])
    if (value) add(`${importer}:${value.trim()}`);

  // A role session ARN names the role it came from; a role ARN may carry a path (/aws-reserved/...).
  for (const value of [target.raw, target.id]) {
    const session = STS_ROLE_SESSION.exec(value);
    if (session) add(`arn:${session[1]}:iam::${session[2]}:role/${session[3]}`);
    const role = IAM_ROLE.exec(value);
    if (role) add(`arn:${role[1]}:iam::${role[2]}:role/${role[3]}`);
  }
  return { candidates, normalized: target.id.trim() };
}
