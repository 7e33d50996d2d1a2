// Who made a CloudTrail call, and whether a person or a workload: inferred from userIdentity.
import type { Identity, IdentityKind } from '../../../model/event.js';
import { identity, type JsonObject } from '../../common.js';
import { obj, text } from './fields.js';
import type { Lookups } from './options.js';

/** The caller of one event, with what ties its later use to an issued credential. */
export interface Principal {
  identity: Identity;
  /** Readable name for summaries (display name from the Identity Store when configured). */
  label: string;
  /** The key the call was signed with (ASIA… temporary, AKIA… long-lived). */
  accessKeyId?: string;
  /** For role sessions: the role whose permissions are in use. */
  roleArn?: string;
}

/**
 * An identity from a CloudTrail value. ARNs are kept exactly: they may contain an e-mail as the
 * session name (`…/AWSReservedSSO_x/alice@bank.example`) and must not be lower-cased as one.
 */
export function awsIdentity(raw: string, kind: IdentityKind): Identity {
  return raw.startsWith('arn:') ? { id: raw.trim(), raw, kind } : identity(raw, kind);
}

const SSO_ROLE_PREFIX = 'AWSReservedSSO_';
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/i;
const ASSUMED_ROLE_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/**
 * The key of an IAM Identity Center user: the identity store plus the user id. Both stay the same
 * whatever name the person typed at sign-in (bug-10), unlike `userName`.
 */
export function storeUserKey(identityStoreArn: string, userId: string): string {
  return `${identityStoreArn}/user/${userId}`;
}

/** The caller of `event`, or undefined when CloudTrail hides or omits who it was. */
export function principalOf(event: JsonObject, lookups: Lookups): Principal | undefined {
  const user = obj(event, 'userIdentity');
  if (!user) return undefined;
  const accessKeyId = text(user, 'accessKeyId');
  const found = inferIdentity(user, event, lookups);
  if (!found) return undefined;
  // The role in use stays known even when onBehalfOf names the person behind the session.
  const issuerArn = text(user, 'sessionContext.sessionIssuer.arn');
  const roleArn = found.roleArn ?? (text(user, 'type') === 'AssumedRole' ? issuerArn : undefined);
  return { ...found, accessKeyId, roleArn };
}

function inferIdentity(
  user: JsonObject,
  event: JsonObject,
  lookups: Lookups,
): Omit<Principal, 'accessKeyId'> | undefined {
  // An Identity Center user on whose behalf the call was made: a person, whatever `type` says
  // (`Unknown` in the older shape, `IdentityCenterUser` from eventVersion 1.11, role sessions).
  const onBehalfOf = obj(user, 'onBehalfOf');
  const userId = text(onBehalfOf, 'userId');
  const storeArn = text(onBehalfOf, 'identityStoreArn');
  if (userId && storeArn) return storeUser(storeArn, userId, lookups);

  const type = text(user, 'type');
  const arn = text(user, 'arn');
  switch (type) {
    case 'AssumedRole':
      return roleSession(user, lookups);
    case 'AWSService': {
      const service = text(user, 'invokedBy') ?? text(event, 'sourceIPAddress');
      return service ? plain(service, 'service') : undefined;
    }
    case 'Root':
      return plain(arn ?? `arn:aws:iam::${text(user, 'accountId') ?? 'unknown'}:root`, 'human');
    case 'SAMLUser':
      // SAML federation signs in people; the user name is the assertion's subject.
      return namedOrArn(user, 'human');
    case 'IAMUser':
    case 'FederatedUser':
    case 'WebIdentityUser':
      return namedOrArn(user, 'unknown', arn);
    case 'IdentityCenterUser':
      return namedOrArn(user, 'human');
    case 'AWSAccount':
      return namedOrArn(user, 'unknown', text(user, 'accountId'));
    default:
      return namedOrArn(user, 'unknown', arn);
  }
}

function plain(raw: string, kind: IdentityKind): Omit<Principal, 'accessKeyId'> {
  return { identity: awsIdentity(raw, kind), label: raw };
}

function namedOrArn(user: JsonObject, kind: IdentityKind, preferred?: string) {
  const raw = preferred ?? text(user, 'arn') ?? text(user, 'userName') ?? text(user, 'principalId');
  if (!raw) return undefined;
  return { identity: awsIdentity(raw, kind), label: text(user, 'userName') ?? raw };
}

function storeUser(storeArn: string, userId: string, lookups: Lookups) {
  const info = lookups.users.get(userId);
  const key = storeUserKey(storeArn, userId);
  return {
    identity: awsIdentity(key, 'human'),
    label: info?.display ?? `Identity Center user ${userId}`,
  };
}

/** A role session as the caller: who is behind it decides the identity (sources doc 1.2). */
type Found = Omit<Principal, 'accessKeyId'>;

function roleSession(user: JsonObject, lookups: Lookups): Found | undefined {
  const arn = text(user, 'arn');
  const issuer = obj(user, 'sessionContext.sessionIssuer');
  const roleArn = text(issuer, 'arn');
  const roleName = text(issuer, 'userName') ?? (arn ? ASSUMED_ROLE_ARN.exec(arn)?.[3] : undefined);
  const sessionName = arn
    ? ASSUMED_ROLE_ARN.exec(arn)?.[4]
    : text(user, 'principalId')?.split(':')[1];
  const sourceIdentity = text(user, 'sessionContext.sourceIdentity');
  const context = obj(user, 'sessionContext');
  const scoped = text(user, 'inScopeOf.issuerType') !== undefined;
  const workload = context && 'ec2RoleDelivery' in context ? 'ec2' : scoped ? 'scoped' : undefined;

  const session = sessionIdentity(
    { arn, roleName, sessionName, sourceIdentity, workload },
    lookups,
  );
  return session ? { ...session, roleArn } : undefined;
}

export interface SessionFacts {
  /** The session's own ARN (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`). */
  arn?: string;
  roleName?: string;
  sessionName?: string;
  sourceIdentity?: string;
  /** `ec2` for instance-profile delivery, `scoped` for credentials handed to e.g. a Lambda. */
  workload?: 'ec2' | 'scoped';
  /** Kind to fall back on when nothing in the session says (the caller's, for AssumeRole). */
  fallbackKind?: IdentityKind;
}

/**
 * The identity of a role session, used both for the caller of later calls and for the subject
 * of the AssumeRole* that issued it, so that issuance and use name the same party.
 */
export function sessionIdentity(facts: SessionFacts, lookups: Lookups): Found | undefined {
  // sourceIdentity is set at the first AssumeRole and cannot be changed by role chaining: it names
  // the person who started the chain.
  if (facts.sourceIdentity) return plain(facts.sourceIdentity, 'human');

  // IAM Identity Center roles: the session name is the Identity Center user name.
  if (facts.roleName?.startsWith(SSO_ROLE_PREFIX) && facts.sessionName) {
    const userId = lookups.userIdsByName.get(facts.sessionName.toLowerCase());
    if (userId && lookups.identityStoreArn)
      return storeUser(lookups.identityStoreArn, userId, lookups);
    return plain(facts.sessionName, 'human');
  }

  const raw = facts.arn ?? facts.sessionName;
  if (!raw) return undefined;
  const instance = facts.sessionName !== undefined && INSTANCE_ID.test(facts.sessionName);
  if (facts.workload || instance) return plain(raw, 'service');
  return plain(raw, facts.fallbackKind ?? 'unknown');
}

/** ARN of an IAM user, group or role named in a request (paths are not logged, so none is used). */
export function iamArn(event: JsonObject, kind: 'user' | 'group' | 'role', name: string): string {
  if (name.startsWith('arn:')) return name;
  const partition = /^arn:(aws[a-z-]*):/.exec(text(event, 'userIdentity.arn') ?? '')?.[1] ?? 'aws';
  const account =
    text(event, 'recipientAccountId') ?? text(event, 'userIdentity.accountId') ?? 'unknown';
  return `arn:${partition}:iam::${account}:${kind}/${name}`;
}

export function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
