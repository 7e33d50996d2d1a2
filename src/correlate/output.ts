// The public grant shape (design.md section 6) from a correlated grant.
import type { TimelineEvent } from '../model/event.js';
import type { Grant, GrantSession } from '../model/grant.js';
import type { Resolver } from '../resolve/resolver.js';
import { toUtcIso } from '../util/time.js';
import type { SessionAcc, WorkGrant } from './types.js';

const iso = (ms: number | null): string | null =>
  ms === null || !Number.isFinite(ms) ? null : toUtcIso(ms);

export function byTimeThenId(a: TimelineEvent, b: TimelineEvent): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function toGrant(grant: WorkGrant, resolver: Resolver, gapIds: string[]): Grant {
  const linked = [...grant.linkedEvents.values()].sort(byTimeThenId);
  const decisions = (events: TimelineEvent[]) =>
    [...events].sort(byTimeThenId).map((e) => ({ by: e.actor?.id ?? '(unknown)', at: e.at }));
  const requested = [...grant.requests].sort(byTimeThenId)[0];

  return {
    id: grant.id,
    subject: { id: grant.subject.id, kind: grant.subject.kind },
    target: {
      id: grant.target.id,
      name: resolver.targetConfig(grant.target.id)?.name ?? grant.target.name ?? grant.target.id,
    },
    requestedAt: requested?.at ?? null,
    approvals: decisions(grant.approvals),
    denials: decisions(grant.denials),
    issuedAt: toUtcIso(grant.issuedMs),
    expiresAt: iso(grant.expiresMs),
    endedAt: iso(grant.endMs),
    endReason: grant.endReason,
    sessions: [...grant.sessions.values()].sort(sessionOrder).map(toSession),
    tickets: [...grant.tickets].sort(),
    breakGlass: grant.breakGlass,
    eventIds: linked.map((e) => e.id),
    links: linked.map((e) => ({ eventId: e.id, reason: grant.links.get(e.id) as string })),
    gapIds,
  };
}

function sessionStart(session: SessionAcc): number {
  return session.startMs ?? session.firstActivityMs ?? session.endMs ?? 0;
}

function sessionOrder(a: SessionAcc, b: SessionAcc): number {
  return sessionStart(a) - sessionStart(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function toSession(session: SessionAcc): GrantSession {
  return {
    start: iso(session.startMs),
    end: iso(session.endMs),
    activityCount: session.activityCount,
    sessionId: session.sessionId,
    firstActivityAt: iso(session.firstActivityMs),
    lastActivityAt: iso(session.lastActivityMs),
    actions: [...session.actions].sort(),
    eventIds: [...session.eventIds],
    linkReasons: Object.fromEntries(
      Object.entries(session.linkReasons).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  };
}
