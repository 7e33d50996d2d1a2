// Pass 2: requests, approvals, denials, reviews and ticket claims, joined to grants in the
// issue's order: native grant keys, then ticket references, then subject + target + time window.
import type { TimelineEvent } from '../model/event.js';
import { familyOf } from './families.js';
import { CorrelationState, firstIssuedAtOrAfter, provisionalEnd } from './state.js';
import type { LinkReason, WorkGrant } from './types.js';

const DECISION_STAGES = new Set(['request', 'approval', 'denial']);

export interface RequestPassResult {
  reviewsByTarget: Map<string, { ms: number; eventId: string }[]>;
}

export function linkRequests(
  state: CorrelationState,
  events: readonly TimelineEvent[],
): RequestPassResult {
  const members: TimelineEvent[] = [];
  const reviewsByTarget = new Map<string, { ms: number; eventId: string }[]>();

  for (const event of events) {
    const claim = familyOf(event.source.importer) === 'ticketing' && isEndOrIssuance(event);
    if (!DECISION_STAGES.has(event.stage) && event.stage !== 'review' && !claim) continue;
    if (event.outcome !== 'success') {
      state.unlinked(event);
      continue;
    }
    members.push(event);
    if (event.stage === 'review' && event.target) {
      const list = reviewsByTarget.get(event.target.id) ?? [];
      list.push({ ms: Date.parse(event.at), eventId: event.id });
      reviewsByTarget.set(event.target.id, list);
    }
  }

  const ticketIndex = indexGrantTickets(state.grants);
  for (const group of groupByKeysAndTickets(state, members)) linkGroup(state, group, ticketIndex);
  return { reviewsByTarget };
}

function isEndOrIssuance(event: TimelineEvent): boolean {
  return event.stage === 'issuance' || event.stage === 'revocation' || event.stage === 'expiry';
}

function indexGrantTickets(grants: readonly WorkGrant[]): Map<string, WorkGrant[]> {
  const index = new Map<string, WorkGrant[]>();
  for (const grant of grants) {
    for (const ticket of grant.tickets) {
      const list = index.get(ticket) ?? [];
      list.push(grant);
      index.set(ticket, list);
    }
  }
  return index;
}

/**
 * Records of one request travel together: a request and its approval share a request id
 * (Teleport, PIM, CyberArk) or a ticket key (Jira, ServiceNow). Union-find over those tokens,
 * groups returned in timeline order of their first record.
 */
function groupByKeysAndTickets(
  state: CorrelationState,
  members: readonly TimelineEvent[],
): TimelineEvent[][] {
  const parent = members.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const firstByToken = new Map<string, number>();
  members.forEach((event, i) => {
    const tokens = state.tickets(event).map((t) => `t:${t}`);
    if (event.grantKey) tokens.push(`k:${event.grantKey}`);
    for (const token of tokens) {
      const first = firstByToken.get(token);
      if (first === undefined) firstByToken.set(token, i);
      else parent[find(i)] = find(first);
    }
  });

  const groups = new Map<number, TimelineEvent[]>();
  members.forEach((event, i) => {
    const root = find(i);
    const group = groups.get(root) ?? [];
    group.push(event);
    groups.set(root, group);
  });
  return [...groups.values()];
}

function linkGroup(
  state: CorrelationState,
  group: TimelineEvent[],
  ticketIndex: Map<string, WorkGrant[]>,
): void {
  const direct = new Map<string, LinkReason>();
  const found = new Set<WorkGrant>();

  for (const event of group) {
    const grant = event.grantKey ? state.byKey.get(event.grantKey) : undefined;
    if (grant) {
      found.add(grant);
      direct.set(event.id, 'grant-key');
    }
  }
  if (found.size === 0) {
    for (const event of group) {
      for (const ticket of state.tickets(event)) {
        for (const grant of ticketIndex.get(ticket) ?? []) {
          found.add(grant);
          direct.set(event.id, 'ticket-reference');
        }
      }
    }
  }
  if (found.size === 0) {
    for (const event of group) {
      if (!DECISION_STAGES.has(event.stage)) continue;
      const grant = windowGrant(state, event);
      if (grant) {
        found.add(grant);
        direct.set(event.id, 'subject-target-window');
      }
    }
  }

  if (found.size === 0) {
    for (const event of group) state.unlinked(event);
    return;
  }
  const keysOfDirect = new Set(
    group.filter((e) => direct.has(e.id) && e.grantKey).map((e) => e.grantKey),
  );
  const grants = [...found].sort((a, b) => a.issuedMs - b.issuedMs || (a.id < b.id ? -1 : 1));
  for (const event of group) {
    // Records not matched themselves came along through a shared request id or ticket key.
    const reason: LinkReason =
      direct.get(event.id) ??
      (event.grantKey && keysOfDirect.has(event.grantKey) ? 'grant-key' : 'ticket-reference');
    for (const grant of grants) {
      if (state.link(grant, event, reason)) file(grant, event);
    }
  }
}

function file(grant: WorkGrant, event: TimelineEvent): void {
  if (event.stage === 'request') grant.requests.push(event);
  else if (event.stage === 'approval') grant.approvals.push(event);
  else if (event.stage === 'denial') grant.denials.push(event);
  else if (event.stage === 'review') grant.reviews.push(event);
  else if (event.stage === 'issuance') grant.claimedIssuances.push(event);
  else grant.claimedEnds.push(event);
}

/**
 * A request or decision about this subject and target belongs to the next grant issued within
 * approvalValidity after it; failing that, to the grant already running when it was made (a
 * late approval), if that grant was issued no longer than approvalValidity before it.
 */
function windowGrant(state: CorrelationState, event: TimelineEvent): WorkGrant | undefined {
  const stream = state.existingStream(event);
  if (!stream) return undefined;
  const ms = Date.parse(event.at);
  const skew = state.skewMs;
  const validity = state.config.policy.approvalValidity;

  const next = firstIssuedAtOrAfter(stream.list, ms - skew);
  const after = stream.list[next];
  if (after && after.issuedMs - ms <= validity + skew) return after;
  const before = stream.list[next - 1];
  if (before && ms <= Math.min(provisionalEnd(before), before.issuedMs + validity) + skew)
    return before;
  return undefined;
}
