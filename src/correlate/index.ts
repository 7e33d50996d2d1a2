// Grant assembly with explained links: issuances, then requests, ends, then sessions.
import type { Config } from '../config/schema.js';
import type { TimelineEvent } from '../model/event.js';
import type { ActivityView } from '../pipeline/activity-store.js';
import type { Resolver } from '../resolve/resolver.js';
import { attachActivity, SESSION_STAGES, type SessionEvent } from './activity.js';
import { markBreakGlass } from './break-glass.js';
import { settleEnds } from './ends.js';
import { assembleGrants } from './issuance.js';
import { linkRequests } from './requests.js';
import { CorrelationState } from './state.js';
import type { CorrelationResult } from './types.js';

// Lifecycle order for records that carry the same instant: a token created and revoked in the
// same second must read as created, then revoked, whatever their hashed ids say.
const LIFECYCLE_RANK: Record<TimelineEvent['stage'], number> = {
  request: 0,
  approval: 1,
  denial: 2,
  issuance: 3,
  'session-start': 4,
  activity: 5,
  'session-end': 6,
  revocation: 7,
  expiry: 8,
  review: 9,
  context: 10,
};

/** Time order, lifecycle order at equal times, then id: the order the passes walk in. */
export function lifecycleOrder(events: readonly TimelineEvent[]): TimelineEvent[] {
  return [...events].sort(
    (a, b) =>
      (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) ||
      LIFECYCLE_RANK[a.stage] - LIFECYCLE_RANK[b.stage] ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * `timeline` must be resolved; every pass is linear or n log n. Activity may instead come from
 * `activity` (resolved views sorted by (at, id), read twice), merged into the session records of
 * `timeline` in lifecycle order.
 */
export function correlate(
  timeline: readonly TimelineEvent[],
  config: Config,
  asOf: string,
  resolver: Resolver,
  activity?: () => Iterable<ActivityView>,
): CorrelationResult {
  const state = new CorrelationState(config, asOf);
  const events = lifecycleOrder(timeline);

  assembleGrants(state, events);
  const { reviewsByTarget } = linkRequests(state, events);
  settleEnds(state);
  const sessionRecords = activity
    ? events.filter((event) => SESSION_STAGES.has(event.stage))
    : events;
  const orphanActivity = attachActivity(
    state,
    activity ? () => mergeLifecycle(sessionRecords, activity()) : () => events,
    resolver,
  );
  markBreakGlass(state.grants, config, resolver);
  for (const event of events) if (event.stage === 'context') state.unlinked(event);

  const grants = [...state.grants].sort(
    (a, b) => a.issuedMs - b.issuedMs || (a.id < b.id ? -1 : 1),
  );
  return {
    grants,
    orphanActivity,
    skew: state.skew,
    reviewsByTarget,
    linksByReason: sortKeys(state.linksByReason),
    unlinkedByStage: sortKeys(state.unlinkedByStage),
  };
}

/**
 * Session records in lifecycle order merged with activity views (all of one rank, in (at, id)
 * order): the sequence lifecycleOrder would give the whole list.
 */
function* mergeLifecycle(
  records: readonly TimelineEvent[],
  views: Iterable<ActivityView>,
): Generator<SessionEvent> {
  const rest = views[Symbol.iterator]();
  let next = rest.next();
  for (const record of records) {
    while (!next.done && lifecycleBefore(next.value, record)) {
      yield next.value;
      next = rest.next();
    }
    yield record;
  }
  while (!next.done) {
    yield next.value;
    next = rest.next();
  }
}

function lifecycleBefore(view: ActivityView, record: TimelineEvent): boolean {
  if (view.at !== record.at) return view.at < record.at;
  const rank = LIFECYCLE_RANK.activity - LIFECYCLE_RANK[record.stage];
  if (rank !== 0) return rank < 0;
  return view.id < record.id;
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

export { toGrant, byTimeThenId } from './output.js';
export { CoverageIndex } from './coverage.js';
export type { Coverage } from './coverage.js';
export { familyOf } from './families.js';
export type { Family } from './families.js';
export type { CorrelationResult, WorkGrant } from './types.js';
