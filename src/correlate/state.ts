// Correlation state shared by the passes: the grants, their indices, and the link bookkeeping.
import type { Config } from '../config/schema.js';
import type { TimelineEvent } from '../model/event.js';
import { stableId } from '../util/hash.js';
import { ticketFinder, type TicketFinder } from './tickets.js';
import type { LinkReason, SkewObservation, WorkGrant } from './types.js';

export interface Stream {
  /** The grant later issuances of this subject and target join, until it is cut or lapses. */
  open: WorkGrant | null;
  /** Every grant of this subject and target, in issuance order. */
  list: WorkGrant[];
}

export const UNKNOWN = '(unknown)';

export class CorrelationState {
  readonly grants: WorkGrant[] = [];
  /** grantKey of any issuance -> its grant (request ids, leases, STS access key ids). */
  readonly byKey = new Map<string, WorkGrant>();
  readonly streams = new Map<string, Stream>();
  readonly linksByReason: Record<string, number> = {};
  readonly unlinkedByStage: Record<string, number> = {};
  readonly skew: SkewObservation[] = [];
  readonly tickets: TicketFinder;
  readonly skewMs: number;
  readonly asOfMs: number;

  constructor(
    readonly config: Config,
    asOf: string,
  ) {
    this.tickets = ticketFinder(config.policy.ticketPatterns);
    this.skewMs = config.policy.clockSkew;
    this.asOfMs = Date.parse(asOf);
  }

  stream(subjectId: string, targetId: string): Stream {
    const key = streamKey(subjectId, targetId);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { open: null, list: [] };
      this.streams.set(key, stream);
    }
    return stream;
  }

  existingStream(event: { subject?: { id: string }; target?: { id: string } }): Stream | undefined {
    if (!event.subject || !event.target) return undefined;
    return this.streams.get(streamKey(event.subject.id, event.target.id));
  }

  newGrant(anchor: TimelineEvent): WorkGrant {
    const grant: WorkGrant = {
      id: stableId('grant', anchor.id),
      subject: anchor.subject ?? { id: UNKNOWN, raw: '', kind: 'unknown' },
      target: anchor.target ?? { id: UNKNOWN, raw: '', kind: 'unknown' },
      anchor,
      issuedMs: Date.parse(anchor.at),
      validUntilMs: -Infinity,
      anchorStatedMs: null,
      othersUntilMs: -Infinity,
      issuances: [],
      credentials: new Map(),
      requests: [],
      approvals: [],
      denials: [],
      reviews: [],
      revocations: [],
      expiries: [],
      claimedEnds: [],
      claimedIssuances: [],
      sessionEvents: [],
      links: new Map(),
      linkedEvents: new Map(),
      tickets: new Set(),
      closed: false,
      endMs: null,
      endReason: 'open',
      endEvent: null,
      expiresMs: null,
      sessions: new Map(),
      afterExpiry: null,
      outside: null,
      humanActors: new Map(),
      breakGlass: false,
      breakGlassWhy: [],
    };
    this.grants.push(grant);
    this.link(grant, anchor, 'anchor');
    return grant;
  }

  /** Ties a (non-activity) event to a grant once, with the reason; its tickets join the grant's. */
  link(grant: WorkGrant, event: TimelineEvent, reason: LinkReason): boolean {
    if (grant.links.has(event.id)) return false;
    grant.links.set(event.id, reason);
    grant.linkedEvents.set(event.id, event);
    this.count(reason);
    for (const ticket of this.tickets(event)) grant.tickets.add(ticket);
    return true;
  }

  count(reason: string, by = 1): void {
    this.linksByReason[reason] = (this.linksByReason[reason] ?? 0) + by;
  }

  unlinked(event: Pick<TimelineEvent, 'stage' | 'outcome'>): void {
    const stage = event.outcome === 'failure' ? `${event.stage} (failed)` : event.stage;
    this.unlinkedByStage[stage] = (this.unlinkedByStage[stage] ?? 0) + 1;
  }
}

export function streamKey(subjectId: string, targetId: string): string {
  return `${subjectId}\u0000${targetId}`;
}

/** The end of validity an issuance states: expiresAt, else at + durationSeconds; null = standing. */
export function statedExpiry(event: TimelineEvent): number | null {
  if (event.expiresAt) return Date.parse(event.expiresAt);
  if (event.durationSeconds !== undefined)
    return Date.parse(event.at) + event.durationSeconds * 1000;
  return null;
}

/** The end known so far: first revocation or logged expiry, or the lapse of every issuance. */
export function provisionalEnd(grant: WorkGrant): number {
  let end = grant.validUntilMs;
  for (const event of [...grant.revocations, ...grant.expiries])
    end = Math.min(end, Date.parse(event.at));
  return end;
}

/** Index of the first grant in `list` (ascending issuedMs) issued at or after `ms`. */
export function firstIssuedAtOrAfter(list: readonly WorkGrant[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].issuedMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
