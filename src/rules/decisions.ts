// Helpers over a grant's approval and denial records, ordered in time.
import type { WorkGrant } from '../correlate/types.js';
import type { TimelineEvent } from '../model/event.js';

export interface Decision {
  event: TimelineEvent;
  ms: number;
  kind: 'approval' | 'denial';
}

export function decisions(grant: WorkGrant): Decision[] {
  const all: Decision[] = [
    ...grant.approvals.map((event) => ({
      event,
      ms: Date.parse(event.at),
      kind: 'approval' as const,
    })),
    ...grant.denials.map((event) => ({ event, ms: Date.parse(event.at), kind: 'denial' as const })),
  ];
  return all.sort((a, b) => a.ms - b.ms || (a.event.id < b.event.id ? -1 : 1));
}

export function by(event: TimelineEvent): string {
  return event.actor?.id ?? '(unknown)';
}
