// Grant assembly with explained links: issuances, then requests, ends, then sessions.
import type { Config } from '../config/schema.js';
import type { TimelineEvent } from '../model/event.js';
import { mergeByTime, type ActivityView } from '../pipeline/activity-store.js';
import type { Resolver } from '../resolve/resolver.js';
import { attachActivity, SESSION_STAGES } from './activity.js';
import { markBreakGlass } from './break-glass.js';
import { settleEnds } from './ends.js';
import { assembleGrants } from './issuance.js';
import { linkRequests } from './requests.js';
import { CorrelationState } from './state.js';
import type { CorrelationResult } from './types.js';

/**
 * `events` must be resolved and sorted by (at, id); every pass is linear or n log n. Activity may
 * instead come from `activity` (resolved, sorted views, read twice), merged with the session
 * records of `events`.
 */
export function correlate(
  events: readonly TimelineEvent[],
  config: Config,
  asOf: string,
  resolver: Resolver,
  activity?: () => Iterable<ActivityView>,
): CorrelationResult {
  const state = new CorrelationState(config, asOf);

  assembleGrants(state, events);
  const { reviewsByTarget } = linkRequests(state, events);
  settleEnds(state);
  const sessionRecords = activity
    ? events.filter((event) => SESSION_STAGES.has(event.stage))
    : events;
  const orphanActivity = attachActivity(
    state,
    activity ? () => mergeByTime(sessionRecords, activity()) : () => events,
    resolver,
  );
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
