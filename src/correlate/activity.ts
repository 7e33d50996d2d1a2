// Pass 3: sessions and activity joined to grants (access key, session id, subject + target +
// window) and summarized per session: counts, first and last time, distinct actions.
import type { TimelineEvent } from '../model/event.js';
import type { ActivityView } from '../pipeline/activity-store.js';
import type { Resolver } from '../resolve/resolver.js';
import { CorrelationState, firstIssuedAtOrAfter, streamKey } from './state.js';
import {
  ACTION_CAP,
  newOutsideStats,
  recordOutside,
  type Credential,
  type LinkReason,
  type OrphanActivity,
  type SessionAcc,
  type WorkGrant,
} from './types.js';

export const SESSION_STAGES = new Set(['session-start', 'activity', 'session-end']);

/**
 * A record this pass reads: a full event, or (for activity kept out of memory) its compact view.
 * Every stage but activity always comes as a full event.
 */
export type SessionEvent = TimelineEvent | ActivityView;
const NON_HUMAN = new Set(['service', 'agent']);

interface SessionDecision {
  grant: WorkGrant;
  /** The record that tied the session to the grant, and how. */
  eventId: string;
  reason: LinkReason;
}

/** `events` gives the session-stage records sorted by (at, id); it is read twice. */
export function attachActivity(
  state: CorrelationState,
  events: () => Iterable<SessionEvent>,
  resolver: Resolver,
): OrphanActivity[] {
  const decisions = decideSessions(state, events());
  const orphans = new Map<string, OrphanActivity>();

  for (const event of events()) {
    if (!SESSION_STAGES.has(event.stage)) continue;
    const ms = Date.parse(event.at);
    const sessionKey = event.sessionId
      ? `${event.source.importer}\u0000${event.sessionId}`
      : undefined;

    let grant: WorkGrant | undefined;
    let reason: LinkReason = 'subject-target-window';
    let credential: Credential | undefined;
    const keyed = event.grantKey ? state.byKey.get(event.grantKey) : undefined;
    const decision = sessionKey ? decisions.get(sessionKey) : undefined;
    if (keyed) {
      grant = keyed;
      reason = 'access-key';
      credential = keyed.credentials.get(event.grantKey as string);
    } else if (decision) {
      grant = decision.grant;
      reason = decision.eventId === event.id ? decision.reason : 'session-id';
    } else {
      grant = windowGrant(state, event, ms);
    }

    if (!grant) {
      state.unlinked(event);
      noteOrphan(state, resolver, orphans, event, ms);
      continue;
    }
    const accKey =
      sessionKey ?? (event.grantKey ? `key:${event.grantKey}` : `window:${event.source.importer}`);
    const session = sessionOf(grant, accKey, event.sessionId ?? null, credential);
    record(state, grant, session, event, ms, reason);
    if (event.outcome === 'success' && event.stage !== 'session-end') {
      classify(state, grant, credential, event, ms);
      noteHumanUse(grant, event);
    }
  }
  return [...orphans.values()].sort(
    (a, b) =>
      a.stats.firstMs - b.stats.firstMs ||
      compare(streamKey(a.subject, a.target), streamKey(b.subject, b.target)),
  );
}

/** The grant of each session id: decided by the first of its records that can be linked. */
function decideSessions(
  state: CorrelationState,
  events: Iterable<SessionEvent>,
): Map<string, SessionDecision> {
  const decisions = new Map<string, SessionDecision>();
  for (const event of events) {
    if (!SESSION_STAGES.has(event.stage) || !event.sessionId) continue;
    const key = `${event.source.importer}\u0000${event.sessionId}`;
    if (decisions.has(key)) continue;
    const keyed = event.grantKey ? state.byKey.get(event.grantKey) : undefined;
    if (keyed) {
      decisions.set(key, { grant: keyed, eventId: event.id, reason: 'access-key' });
      continue;
    }
    const windowed = windowGrant(state, event, Date.parse(event.at));
    if (windowed)
      decisions.set(key, { grant: windowed, eventId: event.id, reason: 'subject-target-window' });
  }
  return decisions;
}

/** The grant of this subject and target whose window, widened by the skew, contains the time. */
function windowGrant(
  state: CorrelationState,
  event: SessionEvent,
  ms: number,
): WorkGrant | undefined {
  const stream = state.existingStream(event);
  if (!stream) return undefined;
  const grant = stream.list[firstIssuedAtOrAfter(stream.list, ms + state.skewMs + 1) - 1];
  if (!grant) return undefined;
  return ms <= (grant.endMs ?? Infinity) + state.skewMs ? grant : undefined;
}

function sessionOf(
  grant: WorkGrant,
  key: string,
  sessionId: string | null,
  credential?: Credential,
): SessionAcc {
  let session = grant.sessions.get(key);
  if (!session) {
    session = {
      key,
      sessionId,
      // A credential's session starts when the credential is issued (CloudTrail: AssumeRole).
      startMs: credential && !sessionId ? credential.issuedMs : null,
      endMs: null,
      activityCount: 0,
      firstActivityMs: null,
      lastActivityMs: null,
      actions: new Set(),
      eventIds: [],
      linkReasons: {},
    };
    grant.sessions.set(key, session);
  }
  return session;
}

function record(
  state: CorrelationState,
  grant: WorkGrant,
  session: SessionAcc,
  event: SessionEvent,
  ms: number,
  reason: LinkReason,
): void {
  if (event.stage === 'activity') {
    session.activityCount += 1;
    session.firstActivityMs = Math.min(session.firstActivityMs ?? Infinity, ms);
    session.lastActivityMs = Math.max(session.lastActivityMs ?? -Infinity, ms);
    if (session.actions.size < ACTION_CAP) session.actions.add(event.action);
    session.linkReasons[reason] = (session.linkReasons[reason] ?? 0) + 1;
    state.count(reason);
    return;
  }
  // Only activity ever comes as a compact view: session starts and ends are full events.
  const full = event as TimelineEvent;
  if (!state.link(grant, full, reason)) return;
  grant.sessionEvents.push(full);
  session.eventIds.push(event.id);
  if (event.stage === 'session-start') session.startMs = Math.min(session.startMs ?? Infinity, ms);
  else session.endMs = Math.max(session.endMs ?? -Infinity, ms);
}

/**
 * Activity after the credential's own expiry (or after the grant lapsed) is activity-after-expiry;
 * after a revocation while the credential still works, or before issuance, activity-outside-grant.
 */
function classify(
  state: CorrelationState,
  grant: WorkGrant,
  credential: Credential | undefined,
  event: SessionEvent,
  ms: number,
): void {
  const skew = state.skewMs;
  const credentialExpiry = credential?.expiresMs ?? null;

  if (credentialExpiry !== null && ms > credentialExpiry) {
    grant.afterExpiry ??= newOutsideStats();
    recordOutside(grant.afterExpiry, event, ms, ms - credentialExpiry, skew, 'credential-expiry');
  } else if (grant.endMs !== null && ms > grant.endMs) {
    if (grant.endReason === 'expired' && credentialExpiry === null) {
      grant.afterExpiry ??= newOutsideStats();
      recordOutside(grant.afterExpiry, event, ms, ms - grant.endMs, skew, 'expiry');
    } else {
      grant.outside ??= newOutsideStats();
      recordOutside(
        grant.outside,
        event,
        ms,
        ms - grant.endMs,
        skew,
        grant.endReason === 'revoked' ? 'revocation' : 'expiry',
      );
    }
  } else if (credential?.revokedMs != null && ms > credential.revokedMs) {
    grant.outside ??= newOutsideStats();
    recordOutside(
      grant.outside,
      event,
      ms,
      ms - credential.revokedMs,
      skew,
      'credential-revocation',
    );
  } else if (ms < grant.issuedMs) {
    grant.outside ??= newOutsideStats();
    recordOutside(grant.outside, event, ms, grant.issuedMs - ms, skew, 'issuance');
  }
}

function noteHumanUse(grant: WorkGrant, event: SessionEvent): void {
  if (!NON_HUMAN.has(grant.subject.kind)) return;
  const actor = event.actor;
  if (!actor || actor.kind !== 'human' || actor.id === grant.subject.id) return;
  if (!grant.humanActors.has(actor.id)) grant.humanActors.set(actor.id, event.id);
}

/**
 * Unlinked use of a target that is critical, or that this subject otherwise reaches through
 * grants, is activity no grant covers; summarized per subject, target and importer.
 */
function noteOrphan(
  state: CorrelationState,
  resolver: Resolver,
  orphans: Map<string, OrphanActivity>,
  event: SessionEvent,
  ms: number,
): void {
  if (
    event.outcome !== 'success' ||
    event.stage === 'session-end' ||
    !event.subject ||
    !event.target
  )
    return;
  const stream = state.existingStream(event);
  const critical = resolver.targetConfig(event.target.id)?.critical === true;
  if (!critical && !(stream && stream.list.length > 0)) return;

  const key = `${event.subject.id}\u0000${event.target.id}\u0000${event.source.importer}`;
  let orphan = orphans.get(key);
  if (!orphan) {
    orphan = {
      subject: event.subject.id,
      target: event.target.id,
      importer: event.source.importer,
      stats: newOutsideStats(),
    };
    orphans.set(key, orphan);
  }
  // Outside every grant window by more than the skew (else it would have linked): certain.
  recordOutside(
    orphan.stats,
    event,
    ms,
    Infinity,
    state.skewMs,
    stream ? 'no-covering-grant' : 'no-grant',
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
