// Pass 1: grants from issuances, cut by revocations and logged expiries (native keys first).
import type { TimelineEvent } from '../model/event.js';
import { familyOf } from './families.js';
import {
  CorrelationState,
  UNKNOWN,
  firstIssuedAtOrAfter,
  statedExpiry,
  streamKey,
} from './state.js';
import type { WorkGrant } from './types.js';

/**
 * Walks issuances, revocations and expiries in timeline order. An issuance joins the grant its
 * grantKey names, else the open grant of the same subject and target while that grant is still
 * valid (widened by the clock skew), else it opens a new grant: an issuance without any request
 * still becomes a grant. Ticketing records of these stages are claims, handled with requests.
 */
export function assembleGrants(state: CorrelationState, events: readonly TimelineEvent[]): void {
  for (const event of events) {
    if (event.stage !== 'issuance' && event.stage !== 'revocation' && event.stage !== 'expiry')
      continue;
    if (familyOf(event.source.importer) === 'ticketing') continue;
    if (event.outcome !== 'success') {
      // A failed issuance grants nothing and a failed revocation removes nothing.
      state.unlinked(event);
      continue;
    }
    if (event.stage === 'issuance') onIssuance(state, event);
    else onEnd(state, event);
  }
}

function onIssuance(state: CorrelationState, event: TimelineEvent): void {
  const ms = Date.parse(event.at);
  const keyed = event.grantKey ? state.byKey.get(event.grantKey) : undefined;
  let grant: WorkGrant;

  if (keyed) {
    noteSkew(state, keyed, event, ms);
    state.link(keyed, event, 'grant-key');
    grant = keyed;
  } else {
    const stream = state.stream(event.subject?.id ?? UNKNOWN, event.target?.id ?? UNKNOWN);
    const open = stream.open;
    if (open && !open.closed && ms <= open.validUntilMs + state.skewMs) {
      state.link(open, event, 'subject-target-window');
      grant = open;
    } else {
      grant = state.newGrant(event);
      stream.open = grant;
      stream.list.push(grant);
    }
  }

  addIssuance(state, grant, event, ms);
  if (event.grantKey && !keyed) state.byKey.set(event.grantKey, grant);
}

/**
 * The grant stays valid while any of its issuances is. One exception: a record of the anchor's
 * own issuance in another source (within the skew, carrying no credential key of its own) is the
 * same occurrence, so a stated expiry in either record applies to both; an Azure role assignment
 * that states no end does not turn an expiring PIM activation into standing access. A credential
 * with its own key (an STS key under an IdP membership) never counts as such a copy.
 */
function addIssuance(
  state: CorrelationState,
  grant: WorkGrant,
  event: TimelineEvent,
  ms: number,
): void {
  const expires = statedExpiry(event);
  const anchor = grant.anchor;
  const sameOccurrence =
    event === anchor ||
    (event.source.importer !== anchor.source.importer &&
      Math.abs(ms - grant.issuedMs) <= state.skewMs &&
      (!event.grantKey || event.grantKey === anchor.grantKey));
  grant.issuances.push(event);

  if (sameOccurrence) {
    if (expires !== null)
      grant.anchorStatedMs = Math.min(grant.anchorStatedMs ?? Infinity, expires);
  } else {
    grant.othersUntilMs = expires === null ? Infinity : Math.max(grant.othersUntilMs, expires);
  }
  grant.validUntilMs = Math.max(grant.anchorStatedMs ?? Infinity, grant.othersUntilMs);
  const key = event.grantKey ?? `event:${event.id}`;
  if (!grant.credentials.has(key)) {
    grant.credentials.set(key, {
      event,
      key: event.grantKey,
      issuedMs: ms,
      expiresMs: expires,
      revokedMs: null,
    });
  }
}

/** The same occurrence (same grant key) logged by two importers at times further apart than the skew. */
function noteSkew(
  state: CorrelationState,
  grant: WorkGrant,
  event: TimelineEvent,
  ms: number,
): void {
  const earlier = grant.issuances.find(
    (other) => other.grantKey === event.grantKey && other.source.importer !== event.source.importer,
  );
  if (!earlier) return;
  const earlierMs = Date.parse(earlier.at);
  const delta = Math.abs(ms - earlierMs);
  if (delta <= state.skewMs) return;
  state.skew.push({
    importers: [earlier.source.importer, event.source.importer],
    atMs: Math.min(ms, earlierMs),
    deltaMs: delta,
    eventIds: [earlier.id, event.id],
  });
}

function onEnd(state: CorrelationState, event: TimelineEvent): void {
  const ms = Date.parse(event.at);
  const keyed = event.grantKey ? state.byKey.get(event.grantKey) : undefined;

  if (keyed) {
    state.link(keyed, event, 'grant-key');
    const credential = keyed.credentials.get(event.grantKey as string);
    // A key that is one credential among others inside the grant (an STS key under an IdP
    // membership) ends that credential only; the anchor's own key ends the grant.
    if (credential && keyed.anchor.grantKey !== event.grantKey && keyed.credentials.size > 1) {
      if (event.stage === 'revocation')
        credential.revokedMs = Math.min(credential.revokedMs ?? Infinity, ms);
      else credential.expiresMs = Math.min(credential.expiresMs ?? Infinity, ms);
      keyed.sessionEvents.push(event);
      return;
    }
    endGrant(state, keyed, event);
    return;
  }

  // A removal that names the group but not the member (Okta can log group membership changes
  // without the User target, bug-06) ends the open grant on that target whose member is
  // equally unknown: the same gap in the record on both sides, not a guess about who it was.
  const subjectKnown = event.subject !== undefined;
  const stream = subjectKnown
    ? state.existingStream(event)
    : event.target
      ? state.streams.get(streamKey(UNKNOWN, event.target.id))
      : undefined;
  if (!stream) {
    state.unlinked(event);
    return;
  }
  // The latest grant issued before this record (within the skew) that nothing has ended yet;
  // failing that, the latest one issued before it (a second removal is still evidence).
  const end = firstIssuedAtOrAfter(stream.list, ms + state.skewMs + 1);
  let candidate: WorkGrant | undefined = stream.list[end - 1];
  for (let i = end - 1; i >= 0; i -= 1) {
    if (!stream.list[i].closed) {
      candidate = stream.list[i];
      break;
    }
  }
  if (!candidate) {
    state.unlinked(event);
    return;
  }
  state.link(
    candidate,
    event,
    subjectKnown ? 'subject-target-window' : 'target-window-subject-unknown',
  );
  endGrant(state, candidate, event);
}

function endGrant(state: CorrelationState, grant: WorkGrant, event: TimelineEvent): void {
  if (event.stage === 'revocation') grant.revocations.push(event);
  else grant.expiries.push(event);
  grant.closed = true;
  const stream = state.stream(grant.subject.id, grant.target.id);
  if (stream.open === grant) stream.open = null;
}
