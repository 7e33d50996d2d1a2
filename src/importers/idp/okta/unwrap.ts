// Finds the Okta LogEvents inside one record: bare events, event-hook deliveries, SIEM wrappers.
import { decodeJsonString, isObject, str, type JsonObject } from '../../common.js';

/** One LogEvent found in a record, with the JSON pointer suffix that leads to it. */
export interface FoundEvent {
  event: JsonObject;
  /** Appended to the record's locator; empty for a bare event. */
  subLocator: string;
}

export type Unwrapped = { ok: true; events: FoundEvent[] } | { ok: false; reason: string };

/** True when the object carries the fields every System Log LogEvent has. */
export function looksLikeLogEvent(value: unknown): boolean {
  if (!isObject(value)) return false;
  const eventType = str(value.eventType);
  if (!eventType || !/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/.test(eventType)) return false;
  return 'published' in value || 'uuid' in value || 'actor' in value || 'legacyEventType' in value;
}

/** Okta event hooks post `{eventType: "com.okta.event_hook", data: {events: [...]}}`. */
export function isEventHookDelivery(value: unknown): boolean {
  return isObject(value) && value.eventType === 'com.okta.event_hook' && isObject(value.data);
}

/**
 * Elastic and other SIEM exports keep the LogEvent as a JSON string in `message`
 * (`{"events":[{"message":"{...}"}]}` or one such document per line).
 */
function fromMessageString(value: JsonObject): JsonObject | undefined {
  const decoded = decodeJsonString(value.message);
  return looksLikeLogEvent(decoded) ? (decoded as JsonObject) : undefined;
}

export function unwrapRecord(value: unknown): Unwrapped {
  if (!isObject(value))
    return { ok: false, reason: 'expected a JSON object holding an Okta LogEvent' };

  if (isEventHookDelivery(value)) {
    const inner = (value.data as JsonObject).events;
    if (!Array.isArray(inner)) {
      return {
        ok: false,
        reason: 'event hook delivery without data.events: expected an array of LogEvents',
      };
    }
    return collect(inner, '/data/events');
  }

  if (looksLikeLogEvent(value)) return { ok: true, events: [{ event: value, subLocator: '' }] };

  const fromMessage = fromMessageString(value);
  if (fromMessage) return { ok: true, events: [{ event: fromMessage, subLocator: '/message' }] };

  // A wrapper the reader did not unwrap: `{"events": [...]}` of LogEvents or SIEM documents.
  if (Array.isArray(value.events)) return collect(value.events, '/events');

  return {
    ok: false,
    reason: 'not an Okta LogEvent: expected eventType, published and actor fields',
  };
}

function collect(items: unknown[], pointer: string): Unwrapped {
  const events: FoundEvent[] = [];
  for (const [index, item] of items.entries()) {
    if (looksLikeLogEvent(item)) {
      events.push({ event: item as JsonObject, subLocator: `${pointer}/${index}` });
      continue;
    }
    const fromMessage = isObject(item) ? fromMessageString(item) : undefined;
    if (fromMessage) {
      events.push({ event: fromMessage, subLocator: `${pointer}/${index}/message` });
      continue;
    }
    const where = `${pointer}/${index}`;
    return {
      ok: false,
      reason: `${where} is not an Okta LogEvent (expected eventType and published)`,
    };
  }
  return { ok: true, events };
}
