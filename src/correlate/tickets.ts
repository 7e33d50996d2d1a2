// Ticket references of an event: what the importer found plus the policy's ticketPatterns.
import type { TimelineEvent } from '../model/event.js';

export type TicketFinder = (event: TimelineEvent) => string[];

export function ticketFinder(patterns: readonly string[]): TicketFinder {
  const regex =
    patterns.length > 0 ? new RegExp(patterns.map((p) => `(?:${p})`).join('|'), 'g') : null;
  return (event) => {
    if (!regex || !event.reason) return event.tickets;
    const found = [...event.tickets];
    for (const match of event.reason.matchAll(regex))
      if (!found.includes(match[0])) found.push(match[0]);
    return found;
  };
}
