// eventName -> lifecycle stage: grants, sessions, and everything else as activity of a principal.
import type { EventDraft, Target } from '../../../model/event.js';
import { isObject, str } from '../../common.js';
import { callerLabel, draftOf, roleTarget, type CallContext } from './draft.js';
import { text } from './fields.js';
import { identityStoreGroup, STANDING_GRANTS } from './iam.js';
import { consoleLogin, portalFederation, ssmStart, ssmTerminate } from './sessions.js';
import { identityCenterTarget, ssoRoleCredentials, stsIssuance, STS_ISSUANCE } from './sts.js';

type Mapper = (ctx: CallContext) => EventDraft;

// Identity Center's admin API logs under more than one source name across its history.
const SERVICE_ALIASES: Readonly<Record<string, string>> = { 'sso-admin': 'sso', ssoadmin: 'sso' };

function mapperFor(service: string, eventName: string): Mapper | undefined {
  const key = `${SERVICE_ALIASES[service] ?? service}:${eventName}`;
  if (service === 'sts' && STS_ISSUANCE.has(eventName)) return stsIssuance;
  switch (key) {
    case 'sso:GetRoleCredentials':
      return ssoRoleCredentials;
    case 'sso:Federate':
      return portalFederation;
    case 'signin:ConsoleLogin':
      return consoleLogin;
    case 'ssm:StartSession':
      return ssmStart;
    case 'ssm:TerminateSession':
      return ssmTerminate;
    default:
      return STANDING_GRANTS.get(key);
  }
}

/**
 * Why the call failed, or undefined when it succeeded. Besides `errorCode`, ConsoleLogin puts its
 * result in responseElements, Identity Center sign-ins in serviceEventDetails, and assignment
 * requests report FAILED in their status.
 */
export function failureOf(ctx: CallContext): string | undefined {
  const errorCode = str(ctx.event.errorCode);
  if (errorCode) return errorCode;
  if (text(ctx.response, 'ConsoleLogin') === 'Failure') {
    return str(ctx.event.errorMessage) ?? 'ConsoleLogin Failure';
  }
  const details = ctx.event.serviceEventDetails;
  if (isObject(details) && Object.values(details).some((v) => v === 'Failure')) {
    return `${ctx.eventName} Failure`;
  }
  const status =
    text(ctx.response, 'accountAssignmentCreationStatus.status') ??
    text(ctx.response, 'accountAssignmentDeletionStatus.status');
  if (status === 'FAILED') return 'assignment FAILED';
  return undefined;
}

/**
 * One draft for one CloudTrail event. A failed call is never lifecycle evidence: a failed
 * AssumeRole grants nothing and a failed DeleteLoginProfile revokes nothing. It is kept as
 * `activity` with outcome failure (an attempt made with the caller's credentials), still naming
 * what was attempted, so that it counts towards the caller's session and can be reviewed.
 */
export function draftFor(ctx: CallContext): EventDraft {
  const mapper = mapperFor(ctx.service, ctx.eventName);
  const failure = failureOf(ctx);
  if (failure) {
    const attempted = mapper ? safeTarget(mapper, ctx) : activityTarget(ctx);
    const draft = activity(ctx, attempted);
    const about = attempted ? ` on ${attempted.name ?? attempted.id}` : '';
    const summary = `${callerLabel(ctx)} failed ${ctx.eventName}${about}: ${failure}`;
    return { ...draft, outcome: 'failure', summary };
  }
  return mapper ? mapper(ctx) : activity(ctx, activityTarget(ctx));
}

// A failed call's parameters are often incomplete; the attempted target is a best effort.
function safeTarget(mapper: Mapper, ctx: CallContext): Target | undefined {
  try {
    return mapper(ctx).target;
  } catch {
    return undefined;
  }
}

/** Any other call: the use of a credential, tied to its issuance by the access key id. */
function activity(ctx: CallContext, target: Target | undefined): EventDraft {
  const on = target ? ` on ${target.name ?? target.id}` : '';
  return draftOf(ctx, {
    stage: 'activity',
    subject: ctx.caller?.identity,
    target,
    grantKey: ctx.caller?.accessKeyId,
    summary: `${callerLabel(ctx)} called ${ctx.service}:${ctx.eventName}${on}`,
  });
}

// What an activity acted with or on: an Identity Store group it touched, the Identity Center
// permission set it used, else the role whose session made the call.
function activityTarget(ctx: CallContext): Target | undefined {
  if (ctx.service === 'identitystore') {
    const groupId = text(ctx.response, 'groupId') ?? text(ctx.request, 'groupId');
    if (groupId) return identityStoreGroup(ctx, groupId);
  }
  if (ctx.service === 'sso' || ctx.service === 'signin') {
    const target = identityCenterTarget(ctx);
    if (target) return target;
  }
  return ctx.caller?.roleArn ? roleTarget(ctx.caller.roleArn) : undefined;
}
