// A grant's end: the earliest of revocation, logged expiry or computed expiry, as seen at asOf.
import type { TimelineEvent } from '../model/event.js';
import type { CorrelationState } from './state.js';
import type { WorkGrant } from './types.js';

interface EndCandidate {
  ms: number;
  reason: 'revoked' | 'expired';
  event: TimelineEvent | null;
}

/**
 * Ticket claims of revocation do not end a grant: only the systems holding the access can show
 * it ended (a claim without such a record is missing-revocation-evidence).
 */
export function settleEnds(state: CorrelationState): void {
  for (const grant of state.grants) settle(grant, state.asOfMs);
}

function settle(grant: WorkGrant, asOfMs: number): void {
  const candidates: EndCandidate[] = [];
  for (const event of grant.revocations)
    candidates.push({ ms: Date.parse(event.at), reason: 'revoked', event });
  for (const event of grant.expiries)
    candidates.push({ ms: Date.parse(event.at), reason: 'expired', event });
  if (Number.isFinite(grant.validUntilMs))
    candidates.push({ ms: grant.validUntilMs, reason: 'expired', event: null });

  // Earliest first; at the same instant a revocation explains the end better than a lapse.
  candidates.sort(
    (a, b) => a.ms - b.ms || (a.reason === b.reason ? 0 : a.reason === 'revoked' ? -1 : 1),
  );
  const first = candidates.find((c) => c.ms <= asOfMs);

  grant.expiresMs = Number.isFinite(grant.validUntilMs)
    ? grant.validUntilMs
    : grant.expiries.length > 0
      ? Math.min(...grant.expiries.map((e) => Date.parse(e.at)))
      : null;
  if (first) {
    grant.endMs = first.ms;
    grant.endReason = first.reason;
    grant.endEvent = first.event;
  } else {
    grant.endMs = null;
    grant.endReason = 'open';
    grant.endEvent = null;
  }
}
