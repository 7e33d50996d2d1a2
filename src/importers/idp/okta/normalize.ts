// Normalizes one Okta LogEvent into timeline event drafts, or says why it is ignored or rejected.
import type { EventDraft, Identity, Stage, Target } from '../../../model/event.js';
import { findTickets, identity, str, type JsonObject } from '../../common.js';
import {
  debugData,
  externalSessionId,
  firstTargetOfType,
  oktaIdentity,
  oktaTarget,
  outcomeOf,
  publishedAt,
  roleList,
  roleTarget,
  targets,
} from './fields.js';
import { ruleFor, type EventRule } from './mapping.js';
import type { RoleChange, RoleTracker } from './privileges.js';

export type EventOutcome =
  | { kind: 'events'; drafts: EventDraft[] }
  | { kind: 'ignore'; name: string }
  | { kind: 'reject'; reason: string };

const REQUEST_TYPES = ['ACCESS_REQUEST', 'AccessRequest'];

/** Shared parts of every draft made from one LogEvent. */
interface Base {
  at: string;
  action: string;
  outcome: 'success' | 'failure';
  tickets: string[];
  actor?: Identity;
  sessionId?: string;
  reason?: string;
  subLocator?: string;
}

export function normalizeLogEvent(
  event: JsonObject,
  subLocator: string,
  roles: RoleTracker,
): EventOutcome {
  const eventType = str(event.eventType) ?? '';
  const rule = ruleFor(eventType);
  if (!rule) return { kind: 'ignore', name: eventType || 'eventType missing' };

  const time = publishedAt(event);
  if (!time.ok) return { kind: 'reject', reason: `${eventType}: ${time.reason}` };

  const actor = oktaIdentity(event.actor);
  if (!actor && rule.subjectFrom === 'actor') {
    // For sessions and tokens the actor is the person using the access: without it the event
    // says nothing about whom it concerns.
    return {
      kind: 'reject',
      reason: `${eventType}: actor missing: expected actor.alternateId or actor.id`,
    };
  }

  const base = baseOf(event, eventType, time.at, actor, subLocator);
  if (eventType.startsWith('user.session.impersonation.')) {
    return { kind: 'events', drafts: [supportDraft(event, rule, base)] };
  }
  const subject = rule.subjectFrom === 'actor' ? actor : subjectFromTargets(event);

  if (rule.roleList)
    return { kind: 'events', drafts: roleDrafts(event, rule, base, subject, roles) };
  return { kind: 'events', drafts: [plainDraft(event, rule, base, subject)] };
}

function baseOf(
  event: JsonObject,
  eventType: string,
  at: string,
  actor: Identity | undefined,
  subLocator: string,
): Base {
  const outcome = outcomeOf(event);
  const debug = debugData(event);
  const justification = str(debug.justification) ?? str(debug.requestJustification);
  const reason = justification ?? outcome.reason;
  const base: Base = {
    at,
    action: eventType,
    outcome: outcome.success ? 'success' : 'failure',
    tickets: findTickets(justification, outcome.reason),
  };
  if (actor) base.actor = actor;
  const sessionId = externalSessionId(event);
  if (sessionId) base.sessionId = sessionId;
  if (reason) base.reason = reason;
  if (subLocator) base.subLocator = subLocator;
  return base;
}

function subjectFromTargets(event: JsonObject): Identity | undefined {
  return oktaIdentity(firstTargetOfType(event, ['User']));
}

/** A failed or denied attempt is never a grant, approval or session: it stays as context. */
function effectiveStage(stage: Stage, base: Base): Stage {
  if (base.outcome === 'success') return stage;
  return 'context';
}

function plainDraft(
  event: JsonObject,
  rule: EventRule,
  base: Base,
  subject: Identity | undefined,
): EventDraft {
  const requestTarget = firstTargetOfType(event, REQUEST_TYPES);
  const granted = firstTargetOfType(
    event,
    rule.targetTypes.filter((t) => !REQUEST_TYPES.includes(t)),
  );
  const target = granted ? oktaTarget(granted) : undefined;

  // A system-actor removal is how Okta ends time-bound access (OIG, group rules): an expiry.
  let stage = rule.stage;
  if (
    stage === 'revocation' &&
    str((event.actor as JsonObject | undefined)?.type) === 'SystemPrincipal'
  ) {
    stage = 'expiry';
  }
  stage = effectiveStage(stage, base);

  const draft: EventDraft = { ...base, stage, summary: '' };
  if (subject) draft.subject = subject;
  if (target) draft.target = target;
  const grantKey = grantKeyOf(event, rule, requestTarget);
  if (grantKey) draft.grantKey = grantKey;
  draft.summary = summaryOf(event, draft, target);
  return draft;
}

function grantKeyOf(
  event: JsonObject,
  rule: EventRule,
  requestTarget: JsonObject | undefined,
): string | undefined {
  // The OIG request id links create, resolve/reject and expire; the token id links an API
  // token's creation to its revocation.
  if (requestTarget) return str(requestTarget.id);
  if (rule.targetTypes.includes('Token')) return str(firstTargetOfType(event, ['Token'])?.id);
  return undefined;
}

function summaryOf(event: JsonObject, draft: EventDraft, target: Target | undefined): string {
  const who = draft.subject?.id ?? draft.actor?.id ?? 'unknown user';
  const what = target ? ` ${target.name ?? target.id}` : '';
  const actorDiffers = draft.actor && draft.subject && draft.actor.id !== draft.subject.id;
  const by = actorDiffers ? ` by ${draft.actor?.id}` : '';
  const failed =
    draft.outcome === 'failure' ? ` (outcome ${outcomeOf(event).result}, not effective)` : '';
  const noActor = draft.actor ? '' : ' (actor not recorded)';
  return `Okta ${draft.action}: ${who}${what}${by}${failed}${noActor}`;
}

/**
 * Okta Support impersonation: an org admin grants Okta's support staff access to the org. The
 * one who receives access is Okta Support (the User target when the event names it); the
 * access is the org itself.
 */
function supportDraft(event: JsonObject, rule: EventRule, base: Base): EventDraft {
  const subject =
    oktaIdentity(firstTargetOfType(event, ['User'])) ?? identity('Okta Support', 'service');
  const draft: EventDraft = {
    ...base,
    stage: effectiveStage(rule.stage, base),
    subject,
    target: {
      id: 'okta:support-impersonation',
      raw: base.action,
      kind: 'support-access',
      name: 'Okta Support access',
    },
    summary: '',
  };
  draft.summary = summaryOf(event, draft, draft.target);
  return draft;
}

/** Admin-role events become one draft per role added or removed (see privileges.ts). */
function roleDrafts(
  event: JsonObject,
  rule: EventRule,
  base: Base,
  userSubject: Identity | undefined,
  roles: RoleTracker,
): EventDraft[] {
  const group = firstTargetOfType(event, ['UserGroup']);
  const subject = userSubject ?? oktaIdentity(group);
  const debug = debugData(event);
  // An empty privilegeGranted is meaningful (no admin role left), so it is not read with str().
  const listed = roleList(rawString(debug.privilegeGranted));
  const revoked = roleList(rawString(debug.privilegeRevoked));

  // A failed role change changes nothing; it must not move the tracked role list either.
  if (base.outcome === 'failure' || !subject) {
    return [
      roleContext(base, subject, `Okta ${base.action} (outcome not effective or user unknown)`),
    ];
  }

  const change: RoleChange =
    rule.stage === 'issuance'
      ? roles.afterGrant(subject.id, listed)
      : roles.afterRevoke(subject.id, revoked, listed);
  const drafts: EventDraft[] = [];
  for (const role of change.added) drafts.push(roleDraft(base, subject, role, 'issuance', change));
  for (const role of change.removed)
    drafts.push(roleDraft(base, subject, role, 'revocation', change));
  if (drafts.length > 0) return drafts;

  if (change.unspecified) {
    // The event names no role: keep it as a grant or revocation of an unnamed admin role, so an
    // elevation is never lost because Okta left the list out.
    const draft = roleDraft(base, subject, 'unspecified admin role', rule.stage, change);
    draft.target = { id: 'okta-role:(unspecified)', raw: '', kind: 'role' };
    return [draft];
  }
  const held = (listed ?? []).join(', ') || 'none';
  return [
    roleContext(base, subject, `Okta ${base.action}: ${subject.id} roles unchanged (${held})`),
  ];
}

function roleDraft(
  base: Base,
  subject: Identity,
  role: string,
  stage: Stage,
  change: RoleChange,
): EventDraft {
  const verb = stage === 'issuance' ? 'granted' : 'revoked';
  const by = base.actor ? ` by ${base.actor.id}` : '';
  const note = change.firstSight
    ? ' (role held after the change; earlier roles not in this run)'
    : '';
  return {
    ...base,
    stage,
    subject,
    target: roleTarget(role),
    summary: `Okta ${base.action}: ${subject.id} ${verb} ${role}${by}${note}`,
  };
}

function roleContext(base: Base, subject: Identity | undefined, summary: string): EventDraft {
  const draft: EventDraft = { ...base, stage: 'context', summary };
  if (subject) draft.subject = subject;
  return draft;
}

function rawString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The uuid and the facts that make two copies the same event (pages overlap; tests reuse uuids). */
export function fingerprint(event: JsonObject): string | undefined {
  const uuid = str(event.uuid);
  if (!uuid) return undefined;
  const ids = targets(event).map((t) => `${str(t.type) ?? ''}:${str(t.id) ?? ''}`);
  const debug = debugData(event);
  return JSON.stringify([
    str(event.published),
    str(event.eventType),
    str((event.actor as JsonObject | undefined)?.id),
    ids,
    outcomeOf(event).result,
    str(debug.privilegeGranted) ?? null,
    str(debug.requestId) ?? null,
  ]);
}
