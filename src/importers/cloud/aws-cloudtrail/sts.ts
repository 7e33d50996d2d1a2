// STS and Identity Center credential issuance: who gets the session, for which role, until when.
import type { Identity, Target } from '../../../model/event.js';
import {
  callerLabel,
  draftOf,
  permissionSetTarget,
  roleTarget,
  sessionReason,
  type CallContext,
} from './draft.js';
import type { EventDraft } from '../../../model/event.js';
import { credentialExpiry } from './expiry.js';
import { iso, obj, text } from './fields.js';
import { awsIdentity, lastSegment, sessionIdentity } from './identity.js';

export const STS_ISSUANCE = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'AssumeRoot',
  'GetFederationToken',
  'GetSessionToken',
]);

export function stsIssuance(ctx: CallContext): EventDraft {
  const { subject, target } = recipientAndTarget(ctx);
  const grantKey = text(ctx.response, 'credentials.accessKeyId');
  const expiry = credentialExpiry(ctx.event, ctx.eventName, ctx.atMs);
  const { reason, tickets } = sessionReason(ctx);

  const until =
    expiry.expiresAtMs === undefined ? 'no known expiry' : `until ${iso(expiry.expiresAtMs)}`;
  const basis = expiry.basis === 'default' ? ' (documented default duration)' : '';
  const to = target ? ` for ${target.name ?? target.id}` : '';
  const summary = `${callerLabel(ctx)} obtained ${ctx.eventName} credentials${to} ${until}${basis}`;
  return draftOf(ctx, {
    stage: 'issuance',
    subject,
    target,
    grantKey,
    expiresAtMs: expiry.expiresAtMs,
    durationSeconds: expiry.durationSeconds,
    reason,
    tickets,
    summary,
  });
}

function recipientAndTarget(ctx: CallContext): { subject?: Identity; target?: Target } {
  const { request, response, caller } = ctx;

  if (ctx.eventName.startsWith('AssumeRole')) {
    const roleArn = text(request, 'roleArn');
    const sessionArn = text(response, 'assumedRoleUser.arn');
    const roleName = roleArn ? lastSegment(roleArn) : undefined;
    const sessionName =
      text(request, 'roleSessionName') ?? (sessionArn ? lastSegment(sessionArn) : undefined);
    const sourceIdentity =
      text(request, 'sourceIdentity') ??
      text(response, 'sourceIdentity') ??
      text(ctx.event, 'userIdentity.sessionContext.sourceIdentity');
    // SAML federation hands roles to people; the caller's kind is the best hint otherwise.
    const fallbackKind = ctx.eventName === 'AssumeRoleWithSAML' ? 'human' : caller?.identity.kind;
    const builtArn =
      roleArn && sessionName
        ? `${roleArn.replace(/:iam::/, ':sts::').replace(/:role\/(?:.*\/)?/, ':assumed-role/')}/${sessionName}`
        : undefined;
    const session = sessionIdentity(
      { arn: sessionArn ?? builtArn, roleName, sessionName, sourceIdentity, fallbackKind },
      ctx.lookups,
    );
    return { subject: session?.identity, target: roleArn ? roleTarget(roleArn) : undefined };
  }

  if (ctx.eventName === 'GetFederationToken') {
    const federatedArn = text(response, 'federatedUser.arn');
    const name = text(request, 'name');
    const subject = federatedArn ?? name;
    return {
      subject: subject ? awsIdentity(subject, 'unknown') : undefined,
      target: callerTarget(ctx),
    };
  }

  if (ctx.eventName === 'AssumeRoot') {
    const account = text(request, 'targetPrincipal');
    const target = account
      ? { id: account, raw: account, kind: 'account', name: `root of ${account}` }
      : undefined;
    return { subject: caller?.identity, target };
  }

  // GetSessionToken: the caller gets temporary credentials with its own permissions.
  return { subject: caller?.identity, target: callerTarget(ctx) };
}

/** The caller's own user, whose permissions a federation or session token carries. */
function callerTarget(ctx: CallContext): Target | undefined {
  const arn = text(ctx.event, 'userIdentity.arn');
  return arn ? { id: arn, raw: arn, kind: 'user', name: lastSegment(arn) } : undefined;
}

/**
 * sso GetRoleCredentials: the portal or CLI fetching role credentials for a permission set.
 * `requestParameters` is null; account and role sit in `serviceEventDetails`.
 */
export function ssoRoleCredentials(ctx: CallContext): EventDraft {
  const target = identityCenterTarget(ctx);
  const expiry = credentialExpiry(ctx.event, ctx.eventName, ctx.atMs);
  const grantKey =
    text(ctx.response, 'roleCredentials.accessKeyId') ??
    text(ctx.response, 'credentials.accessKeyId');
  const until = expiry.expiresAtMs === undefined ? '' : ` until ${iso(expiry.expiresAtMs)}`;
  const to = target ? ` for ${target.name} in account ${target.id.split('/')[1]}` : '';
  return draftOf(ctx, {
    stage: 'issuance',
    subject: ctx.caller?.identity,
    target,
    grantKey,
    expiresAtMs: expiry.expiresAtMs,
    summary: `${callerLabel(ctx)} obtained Identity Center role credentials${to}${until}`,
  });
}

/** The account and permission set an Identity Center portal call is about. */
export function identityCenterTarget(ctx: CallContext): Target | undefined {
  const details = obj(ctx.event, 'serviceEventDetails');
  const account = text(details, 'account_id') ?? text(ctx.request, 'accountId');
  const role = text(details, 'role_name') ?? text(ctx.request, 'roleName');
  return account && role ? permissionSetTarget(account, role, ctx.lookups) : undefined;
}
