// Which Okta System Log eventTypes are lifecycle evidence, and at which stage (sources doc 5.3).
import type { Stage } from '../../../model/event.js';

/** Where the person who receives or uses the access is named in the event. */
export type SubjectFrom = 'target-user' | 'actor';

export interface EventRule {
  stage: Stage;
  subjectFrom: SubjectFrom;
  /** target[].type values that name the thing granted, most specific first. */
  targetTypes: readonly string[];
  /** Role changes whose debugData lists roles (privilegeGranted): expanded per role. */
  roleList?: boolean;
}

const GROUP = ['UserGroup'];
const APP = ['AppInstance'];
const TOKEN = ['Token'];
// OIG events name the request; newer ones also name the requested group or app.
const REQUEST = ['ACCESS_REQUEST', 'AccessRequest', 'UserGroup', 'AppInstance'];
// Resource-set bindings name the role and the resource set; the role is the grant.
const BINDING = ['ROLE', 'Role', 'CUSTOM_ROLE', 'ResourceSet', 'RESOURCE_SET'];
const REVIEW = ['CAMPAIGN', 'Campaign', 'ACCESS_REVIEW', 'CERTIFICATION_CAMPAIGN'];

function rule(
  stage: Stage,
  subjectFrom: SubjectFrom,
  targetTypes: readonly string[],
  roleList = false,
): EventRule {
  const base = { stage, subjectFrom, targetTypes };
  return roleList ? { ...base, roleList } : base;
}

const EXACT: Record<string, EventRule> = {
  'group.user_membership.add': rule('issuance', 'target-user', GROUP),
  'group.user_membership.remove': rule('revocation', 'target-user', GROUP),
  'application.user_membership.add': rule('issuance', 'target-user', APP),
  'application.user_membership.approve': rule('approval', 'target-user', APP),
  'application.user_membership.provision': rule('issuance', 'target-user', APP),
  'application.user_membership.remove': rule('revocation', 'target-user', APP),
  'application.user_membership.revoke': rule('revocation', 'target-user', APP),
  'application.user_membership.deprovision': rule('revocation', 'target-user', APP),
  'user.account.privilege.grant': rule('issuance', 'target-user', [], true),
  'user.account.privilege.revoke': rule('revocation', 'target-user', [], true),
  // Admin roles given to a whole group (newer orgs): the group is the subject of the grant.
  'group.privilege.grant': rule('issuance', 'target-user', GROUP, true),
  'group.privilege.revoke': rule('revocation', 'target-user', GROUP, true),
  'iam.resourceset.bindings.add': rule('issuance', 'target-user', BINDING),
  'iam.resourceset.bindings.delete': rule('revocation', 'target-user', BINDING),
  'iam.role.assignment.add': rule('issuance', 'target-user', BINDING),
  'iam.role.assignment.remove': rule('revocation', 'target-user', BINDING),
  'user.session.impersonation.grant': rule('issuance', 'target-user', ['User']),
  'user.session.impersonation.extend': rule('issuance', 'target-user', ['User']),
  'user.session.impersonation.revoke': rule('revocation', 'target-user', ['User']),
  'user.session.impersonation.initiate': rule('session-start', 'actor', ['User']),
  'user.session.impersonation.end': rule('session-end', 'actor', ['User']),
  'system.api_token.create': rule('issuance', 'actor', TOKEN),
  'system.api_token.revoke': rule('revocation', 'actor', TOKEN),
  'user.session.start': rule('session-start', 'actor', APP),
  'user.authentication.sso': rule('session-start', 'actor', APP),
  'user.session.end': rule('session-end', 'actor', APP),
  'user.session.expire': rule('session-end', 'actor', APP),
  // An admin clearing a user's sessions: the user is the target, not the actor.
  'user.session.clear': rule('session-end', 'target-user', APP),
  'app.oauth2.as.token.revoke': rule('session-end', 'actor', APP),
  'access.request.create': rule('request', 'actor', REQUEST),
  'access.request.update': rule('context', 'actor', REQUEST),
  'access.request.cancel': rule('context', 'actor', REQUEST),
  'access.request.resolve': rule('approval', 'target-user', REQUEST),
  'access.request.approve': rule('approval', 'target-user', REQUEST),
  'access.request.reject': rule('denial', 'target-user', REQUEST),
  'access.request.deny': rule('denial', 'target-user', REQUEST),
  'access.request.expire': rule('expiry', 'target-user', REQUEST),
};

/** The rule for an eventType, or undefined when the event is not lifecycle evidence. */
export function ruleFor(eventType: string): EventRule | undefined {
  const exact = EXACT[eventType];
  if (exact) return exact;

  // OAuth token grants to workloads (app.oauth2.as.token.grant.access_token and siblings).
  if (eventType.startsWith('app.oauth2.as.token.grant')) return rule('session-start', 'actor', APP);

  // Access certification evidence: campaigns, reviews and their item decisions.
  if (eventType.startsWith('access.review.') || eventType.startsWith('certification.')) {
    return rule('review', 'target-user', REVIEW);
  }
  return undefined;
}
