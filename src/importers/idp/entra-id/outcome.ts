// What normalizing one record gives: events, a reason to ignore it, or a reason to reject it.
import type { EventDraft } from '../../../model/event.js';

export type Outcome = { events: EventDraft[] } | { ignore: string } | { reject: string };
