// Standing grants: IAM policies, groups, keys and passwords; Identity Center assignments and groups.
import type { EventDraft, Identity, Stage, Target } from '../../../model/event.js';
import {
  callerLabel,
  draftOf,
  permissionSetTarget,
  roleTarget,
  type CallContext,
} from './draft.js';
import { obj, text } from './fields.js';
import { awsIdentity, iamArn, lastSegment, storeUserKey } from './identity.js';

type Mapper = (ctx: CallContext) => EventDraft;

/** Role sessions are cut off by this inline deny policy (console "Revoke active sessions"). */
const REVOKE_SESSIONS_POLICY = 'AWSRevokeOlderSessions';

function iamUser(ctx: CallContext, name: string | undefined): Identity | undefined {
  if (!name) return undefined;
  return awsIdentity(iamArn(ctx.event, 'user', name), 'unknown');
}

function policyTarget(policyArn: string): Target {
  return { id: policyArn, raw: policyArn, kind: 'policy', name: lastSegment(policyArn) };
}

// Inline policies have no ARN; they are named by their owner and policy name.
function inlinePolicyTarget(ownerArn: string, policyName: string): Target {
  const id = `${ownerArn}:inline-policy/${policyName}`;
  return { id, raw: policyName, kind: 'inline-policy', name: policyName };
}

function groupTarget(ctx: CallContext, groupName: string): Target {
  const arn = iamArn(ctx.event, 'group', groupName);
  return { id: arn, raw: groupName, kind: 'group', name: groupName };
}

function standing(
  ctx: CallContext,
  stage: Stage,
  subject: Identity | undefined,
  target: Target | undefined,
  grantKey?: string,
): EventDraft {
  const verb = stage === 'issuance' ? 'granted' : 'revoked';
  const what = target?.name ?? target?.id ?? 'an entitlement';
  const whom = subject ? ` ${stage === 'issuance' ? 'to' : 'from'} ${subject.raw}` : '';
  return draftOf(ctx, {
    stage,
    subject,
    target,
    grantKey,
    summary: `${callerLabel(ctx)} ${verb} ${what}${whom} (${ctx.eventName})`,
  });
}

/** Attach/Detach/Put/Delete of a managed or inline policy on a user, group or role. */
function policyChange(stage: Stage, owner: 'user' | 'group' | 'role', inline: boolean): Mapper {
  return (ctx) => {
    const name = text(ctx.request, `${owner}Name`);
    const ownerArn = name ? iamArn(ctx.event, owner, name) : undefined;
    const subject = ownerArn ? awsIdentity(ownerArn, 'unknown') : undefined;
    const policyArn = text(ctx.request, 'policyArn');
    const policyName = text(ctx.request, 'policyName');
    const target = inline
      ? ownerArn && policyName
        ? inlinePolicyTarget(ownerArn, policyName)
        : undefined
      : policyArn
        ? policyTarget(policyArn)
        : undefined;
    return standing(ctx, stage, subject, target);
  };
}

function putRolePolicy(ctx: CallContext): EventDraft {
  if (text(ctx.request, 'policyName') !== REVOKE_SESSIONS_POLICY) {
    return policyChange('issuance', 'role', true)(ctx);
  }
  const roleName = text(ctx.request, 'roleName');
  const roleArn = roleName ? iamArn(ctx.event, 'role', roleName) : undefined;
  return draftOf(ctx, {
    stage: 'revocation',
    target: roleArn ? roleTarget(roleArn) : undefined,
    summary: `${callerLabel(ctx)} revoked all active sessions of role ${roleName ?? '(unnamed)'}`,
  });
}

function groupMembership(stage: Stage): Mapper {
  return (ctx) => {
    const groupName = text(ctx.request, 'groupName');
    const subject = iamUser(ctx, text(ctx.request, 'userName'));
    return standing(ctx, stage, subject, groupName ? groupTarget(ctx, groupName) : undefined);
  };
}

/** The user an access key or password belongs to: named in the request, else the caller. */
function keyOwner(ctx: CallContext): Identity | undefined {
  const name = text(ctx.request, 'userName') ?? text(ctx.response, 'accessKey.userName');
  return iamUser(ctx, name) ?? ctx.caller?.identity;
}

function accessKeyTarget(
  keyId: string | undefined,
  owner: Identity | undefined,
): Target | undefined {
  if (!keyId) return undefined;
  const name = `access key of ${owner ? lastSegment(owner.raw) : 'unknown user'}`;
  return { id: keyId, raw: keyId, kind: 'access-key', name };
}

function accessKey(stage: Stage): Mapper {
  return (ctx) => {
    const owner = keyOwner(ctx);
    const keyId = text(ctx.response, 'accessKey.accessKeyId') ?? text(ctx.request, 'accessKeyId');
    return standing(ctx, stage, owner, accessKeyTarget(keyId, owner), keyId);
  };
}

/** UpdateAccessKey: `Inactive` switches a key off (revocation), `Active` back on (issuance). */
function updateAccessKey(ctx: CallContext): EventDraft {
  const status = text(ctx.request, 'status');
  const stage: Stage = status === 'Inactive' ? 'revocation' : 'issuance';
  return accessKey(stage)(ctx);
}

function loginProfile(stage: Stage): Mapper {
  return (ctx) => {
    const owner = keyOwner(ctx);
    const target: Target | undefined = owner
      ? {
          id: `${owner.id}:login-profile`,
          raw: owner.raw,
          kind: 'console-password',
          name: 'console password',
        }
      : undefined;
    return standing(ctx, stage, owner, target);
  };
}

/**
 * Identity Center account assignments (AWS TEAM grants and revokes through these). The request
 * names the principal by id only; it joins Identity Center users seen elsewhere when the
 * identity store ARN is configured.
 */
function accountAssignment(stage: Stage): Mapper {
  return (ctx) => {
    const account = text(ctx.request, 'targetId');
    const permissionSet = text(ctx.request, 'permissionSetArn');
    const target =
      account && permissionSet
        ? permissionSetTarget(account, permissionSet, ctx.lookups)
        : undefined;
    const subject = assignmentPrincipal(ctx);
    const status =
      obj(ctx.response, 'accountAssignmentCreationStatus') ??
      obj(ctx.response, 'accountAssignmentDeletionStatus');
    const draft = standing(ctx, stage, subject, target);
    const state = text(status, 'status');
    return state ? { ...draft, summary: `${draft.summary}; status ${state}` } : draft;
  };
}

function assignmentPrincipal(ctx: CallContext): Identity | undefined {
  const principalId = text(ctx.request, 'principalId');
  if (!principalId) return undefined;
  const isGroup = text(ctx.request, 'principalType') === 'GROUP';
  if (isGroup) return awsIdentity(principalId, 'unknown');
  const store =
    ctx.lookups.identityStoreArn ?? text(ctx.request, 'instanceArn') ?? 'identity-center';
  return awsIdentity(storeUserKey(store, principalId), 'human');
}

function storeArnOf(ctx: CallContext): string | undefined {
  const storeId = text(ctx.request, 'identityStoreId') ?? text(ctx.response, 'identityStoreId');
  if (!storeId) return undefined;
  const partition =
    /^arn:(aws[a-z-]*):/.exec(text(ctx.event, 'userIdentity.arn') ?? '')?.[1] ?? 'aws';
  return `arn:${partition}:identitystore::${ctx.event.recipientAccountId ?? ''}:identitystore/${storeId}`;
}

export function identityStoreGroup(ctx: CallContext, groupId: string): Target {
  return { id: groupId, raw: groupId, kind: 'group', name: ctx.lookups.groups.get(groupId) };
}

/** Identity Store group memberships: the membership id pairs the create with its delete. */
function storeMembership(stage: Stage): Mapper {
  return (ctx) => {
    const userId = text(ctx.request, 'memberId.userId');
    const storeArn = storeArnOf(ctx);
    const subject =
      userId && storeArn ? awsIdentity(storeUserKey(storeArn, userId), 'human') : undefined;
    const groupId = text(ctx.request, 'groupId');
    const target = groupId ? identityStoreGroup(ctx, groupId) : undefined;
    const membershipId = text(ctx.response, 'membershipId') ?? text(ctx.request, 'membershipId');
    return standing(ctx, stage, subject, target, membershipId);
  };
}

/** eventName -> mapper for the standing-grant calls, keyed `<service>:<eventName>`. */
export const STANDING_GRANTS: ReadonlyMap<string, Mapper> = new Map<string, Mapper>([
  ['iam:AttachUserPolicy', policyChange('issuance', 'user', false)],
  ['iam:DetachUserPolicy', policyChange('revocation', 'user', false)],
  ['iam:PutUserPolicy', policyChange('issuance', 'user', true)],
  ['iam:DeleteUserPolicy', policyChange('revocation', 'user', true)],
  ['iam:AttachGroupPolicy', policyChange('issuance', 'group', false)],
  ['iam:DetachGroupPolicy', policyChange('revocation', 'group', false)],
  ['iam:PutGroupPolicy', policyChange('issuance', 'group', true)],
  ['iam:DeleteGroupPolicy', policyChange('revocation', 'group', true)],
  ['iam:AttachRolePolicy', policyChange('issuance', 'role', false)],
  ['iam:DetachRolePolicy', policyChange('revocation', 'role', false)],
  ['iam:PutRolePolicy', putRolePolicy],
  ['iam:DeleteRolePolicy', policyChange('revocation', 'role', true)],
  ['iam:AddUserToGroup', groupMembership('issuance')],
  ['iam:RemoveUserFromGroup', groupMembership('revocation')],
  ['iam:CreateAccessKey', accessKey('issuance')],
  ['iam:DeleteAccessKey', accessKey('revocation')],
  ['iam:UpdateAccessKey', updateAccessKey],
  ['iam:CreateLoginProfile', loginProfile('issuance')],
  ['iam:DeleteLoginProfile', loginProfile('revocation')],
  ['sso:CreateAccountAssignment', accountAssignment('issuance')],
  ['sso:DeleteAccountAssignment', accountAssignment('revocation')],
  ['identitystore:CreateGroupMembership', storeMembership('issuance')],
  ['identitystore:DeleteGroupMembership', storeMembership('revocation')],
]);
