// Grant assembly with explained links: issuances, then requests, ends, then sessions.
import type { Config } from '../config/schema.js';
import type { TimelineEvent } from '../model/event.js';
import type { Resolver } from '../resolve/resolver.js';
import { attachActivity } from './activity.js';
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

/** `timeline` must be resolved; every pass is linear or n log n. */
export function correlate(
  timeline: readonly TimelineEvent[],
  config: Config,
  asOf: string,
  resolver: Resolver,
): CorrelationResult {
  const state = new CorrelationState(config, asOf);
  const events = lifecycleOrder(timeline);

  assembleGrants(state, events);
  const { reviewsByTarget } = linkRequests(state, events);
  settleEnds(state);
  const orphanActivity = attachActivity(state, events, resolver);
  markBreakGlass(state.grants, config, resolver);
  for (const event of events) if (event.stage === 'context') state.unlinked(event);

  const grants = [...state.grants].sort((a, b) => a.issuedMs - b.issuedMs || (a.id < b.id ? -1 : 1));
  return {
    grants,
    orphanActivity,
    skew: state.skew,
    reviewsByTarget,
    linksByReason: sortKeys(state.linksByReason),
    unlinkedByStage: sortKeys(state.unlinkedByStage),
  };
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export { toGrant, byTimeThenId } from './output.js';
export { CoverageIndex } from './coverage.js';
export type { Coverage } from './coverage.js';
export { familyOf } from './families.js';
export type { Family } from './families.js';
export type { CorrelationResult, WorkGrant } from './types.js';
