// Internal shapes of correlation: grants while they are assembled, and what rules read from them.
import type { Identity, Target, TimelineEvent } from '../model/event.js';

/** How an event was tied to a grant (design: links[].reason). */
export type LinkReason =
  | 'anchor'
  | 'grant-key'
  | 'access-key'
  | 'ticket-reference'
  | 'subject-target-window'
  | 'target-window-subject-unknown'
  | 'session-id';

/** A credential or entitlement issued within a grant, with its own validity. */
export interface Credential {
  event: TimelineEvent;
  key: string | undefined;
  issuedMs: number;
  /** Stated end of validity; null when the issuance states none (standing access). */
  expiresMs: number | null;
  revokedMs: number | null;
}

/** Activity that fell outside a window, summarized: counts, first and last, a few event ids. */
export interface OutsideStats {
  count: number;
  /** How many were beyond the clock-skew band (the rest are inside it: uncertain). */
  certain: number;
  firstMs: number;
  lastMs: number;
  /** Largest distance from the window edge, ms. */
  maxDeltaMs: number;
  evidence: string[];
  /** What the activity was compared with: 'revocation', 'expiry', 'credential-expiry', 'issuance'. */
  edges: Set<string>;
  actions: Set<string>;
}

export interface SessionAcc {
  key: string;
  sessionId: string | null;
  startMs: number | null;
  endMs: number | null;
  activityCount: number;
  firstActivityMs: number | null;
  lastActivityMs: number | null;
  actions: Set<string>;
  eventIds: string[];
  linkReasons: Record<string, number>;
}

export interface WorkGrant {
  id: string;
  subject: Identity;
  target: Target;
  /** The issuance that opened the grant. */
  anchor: TimelineEvent;
  issuedMs: number;
  /** Union of the issuances' validity: Infinity while any issuance is standing access. */
  validUntilMs: number;
  /**
   * Stated expiry of the anchor's occurrence: the anchor and the records of the same issuance in
   * other sources (within the skew, no credential key of their own); null while none states one.
   */
  anchorStatedMs: number | null;
  /** Validity of the other issuances in the grant (re-issues, credentials); -Infinity if none. */
  othersUntilMs: number;
  issuances: TimelineEvent[];
  credentials: Map<string, Credential>;
  requests: TimelineEvent[];
  approvals: TimelineEvent[];
  denials: TimelineEvent[];
  reviews: TimelineEvent[];
  /** Revocations and logged expiries from the systems that hold the access (not ticket claims). */
  revocations: TimelineEvent[];
  expiries: TimelineEvent[];
  /** Revocation or expiry stated only in a ticket: a claim, not evidence of deprovisioning. */
  claimedEnds: TimelineEvent[];
  /** Ticketing records that say access was provisioned (evidence only, never an anchor). */
  claimedIssuances: TimelineEvent[];
  sessionEvents: TimelineEvent[];
  links: Map<string, LinkReason>;
  linkedEvents: Map<string, TimelineEvent>;
  tickets: Set<string>;
  /** Set when the stream of issuances was cut by a revocation (later issuances open a new grant). */
  closed: boolean;
  // Filled once ends are known.
  endMs: number | null;
  endReason: 'revoked' | 'expired' | 'open';
  endEvent: TimelineEvent | null;
  expiresMs: number | null;
  sessions: Map<string, SessionAcc>;
  afterExpiry: OutsideStats | null;
  outside: OutsideStats | null;
  /** Human actors seen in the sessions of a non-human subject: id -> first event id. */
  humanActors: Map<string, string>;
  breakGlass: boolean;
  breakGlassWhy: string[];
}

/** Activity on a granted or critical target that no grant covers, per subject, target, importer. */
export interface OrphanActivity {
  subject: string;
  target: string;
  importer: string;
  stats: OutsideStats;
}

/** Two sources' records of the same occurrence (same grant key) that disagree in time. */
export interface SkewObservation {
  importers: [string, string];
  /** The earlier of the two times. */
  atMs: number;
  deltaMs: number;
  eventIds: [string, string];
}

export interface CorrelationResult {
  grants: WorkGrant[];
  orphanActivity: OrphanActivity[];
  skew: SkewObservation[];
  /** Review events by canonical target id, times ascending (periodic access review). */
  reviewsByTarget: Map<string, { ms: number; eventId: string }[]>;
  linksByReason: Record<string, number>;
  unlinkedByStage: Record<string, number>;
}

export function newOutsideStats(): OutsideStats {
  return {
    count: 0,
    certain: 0,
    firstMs: Infinity,
    lastMs: -Infinity,
    maxDeltaMs: 0,
    evidence: [],
    edges: new Set(),
    actions: new Set(),
  };
}

const EVIDENCE_CAP = 10;
const ACTION_CAP = 50;

export function recordOutside(
  stats: OutsideStats,
  event: Pick<TimelineEvent, 'id' | 'action'>,
  ms: number,
  deltaMs: number,
  skewMs: number,
  edge: string,
): void {
  stats.count += 1;
  if (deltaMs > skewMs) stats.certain += 1;
  stats.firstMs = Math.min(stats.firstMs, ms);
  stats.lastMs = Math.max(stats.lastMs, ms);
  stats.maxDeltaMs = Math.max(stats.maxDeltaMs, deltaMs);
  stats.edges.add(edge);
  if (stats.actions.size < ACTION_CAP) stats.actions.add(event.action);
  // Keep the first few ids; the certain ones matter most, so they replace uncertain ones.
  if (stats.evidence.length < EVIDENCE_CAP) stats.evidence.push(event.id);
}

export { ACTION_CAP };
