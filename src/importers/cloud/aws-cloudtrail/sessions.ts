// Sessions: console sign-in, Identity Center portal federation, SSM shell sessions.
import type { EventDraft, Target } from '../../../model/event.js';
import { callerLabel, draftOf, roleTarget, type CallContext } from './draft.js';
import { accountOf, text } from './fields.js';
import { identityCenterTarget } from './sts.js';

/** ConsoleLogin: MFA from additionalEventData.MFAUsed ("Yes"/"No"). */
export function consoleLogin(ctx: CallContext): EventDraft {
  const mfaUsed = text(ctx.event, 'additionalEventData.MFAUsed');
  const mfa = mfaUsed === 'Yes' ? true : mfaUsed === 'No' ? false : undefined;
  const target = consoleTarget(ctx);
  const mfaText = mfa === undefined ? '' : mfa ? ' with MFA' : ' without MFA';
  return draftOf(ctx, {
    stage: 'session-start',
    subject: ctx.caller?.identity,
    target,
    grantKey: ctx.caller?.accessKeyId,
    mfa,
    summary: `${callerLabel(ctx)} signed in to the AWS console${mfaText}${target ? ` (${target.name})` : ''}`,
  });
}

// Federated console sign-ins arrive as role sessions: the role is what was entered; IAM users
// and root sign in to the account.
function consoleTarget(ctx: CallContext): Target | undefined {
  if (ctx.caller?.roleArn) return roleTarget(ctx.caller.roleArn);
  const account = accountOf(ctx.event);
  return account
    ? { id: account, raw: account, kind: 'account', name: `account ${account}` }
    : undefined;
}

/** sso Federate: the access portal sends the user into an account with a permission set. */
export function portalFederation(ctx: CallContext): EventDraft {
  const target = identityCenterTarget(ctx);
  const where = target ? ` with ${target.name} in account ${target.id.split('/')[1]}` : '';
  return draftOf(ctx, {
    stage: 'session-start',
    subject: ctx.caller?.identity,
    target,
    summary: `${callerLabel(ctx)} entered an AWS account through the Identity Center portal${where}`,
  });
}

function hostTarget(instance: string | undefined): Target | undefined {
  return instance ? { id: instance, raw: instance, kind: 'host', name: instance } : undefined;
}

/** ssm StartSession: the session id is in the response and ties it to TerminateSession. */
export function ssmStart(ctx: CallContext): EventDraft {
  const sessionId = text(ctx.response, 'sessionId');
  const instance = text(ctx.request, 'target');
  return draftOf(ctx, {
    stage: 'session-start',
    subject: ctx.caller?.identity,
    target: hostTarget(instance),
    grantKey: ctx.caller?.accessKeyId,
    sessionId,
    summary:
      `${callerLabel(ctx)} started SSM session ${sessionId ?? '(no id)'} ` +
      `on ${instance ?? 'an unnamed target'}`,
  });
}

export function ssmTerminate(ctx: CallContext): EventDraft {
  const sessionId = text(ctx.request, 'sessionId') ?? text(ctx.response, 'sessionId');
  return draftOf(ctx, {
    stage: 'session-end',
    subject: ctx.caller?.identity,
    grantKey: ctx.caller?.accessKeyId,
    sessionId,
    summary: `${callerLabel(ctx)} terminated SSM session ${sessionId ?? '(no id)'}`,
  });
}
