// Privileged Remote Access session events (reporting API XML converted to JSON) as timeline events.
import type { EventDraft, Identity, Stage } from '../../../model/event.js';
import { findTickets, identity, isObject, str, type JsonObject } from '../../common.js';
import { parseEpoch, parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';
import { clockDuration, RecordError } from './records.js';

// In the XML-to-JSON form a text node is "#text" and attributes are plain keys; an element that
// occurs once is an object, more often an array.
function text(value: unknown): string | undefined {
  if (isObject(value)) return str(value['#text']);
  return str(value);
}

function list(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** A time element: `{"#text": ISO, "timestamp": epoch seconds}` or a plain ISO string. */
function instant(value: unknown, field: string, zone?: string): string | undefined {
  const iso = text(value);
  const epoch = isObject(value) ? str(value.timestamp) : undefined;
  try {
    if (iso) return toUtcIso(parseIsoTime(iso, zone));
    if (epoch) return toUtcIso(parseEpoch(epoch, 's'));
  } catch (error) {
    if (error instanceof TimeError) throw new RecordError(`${field} unusable: ${error.message}`);
    throw error;
  }
  return undefined;
}

function representative(value: unknown): Identity | undefined {
  if (!isObject(value)) return undefined;
  const raw = str(value.username) ?? str(value.display_name);
  if (!raw) return undefined;
  const type = str(value.type);
  return identity(
    raw,
    type === 'representative' ? 'human' : type === 'system' ? 'service' : 'unknown',
  );
}

export function praEvents(record: JsonObject, zone?: string): EventDraft[] {
  const session = record.session as JsonObject;
  const eventType = str(record.event_type) ?? 'Session event';
  const sessionId = str(session.lsid);
  const eventAt = instant(record.timestamp, 'timestamp', zone);
  const startAt = instant(session.start_time, 'session.start_time', zone);
  const endAt = instant(session.end_time, 'session.end_time', zone);

  // The event's own stage; a start or end takes the session's start or end time when given.
  let stage: Stage = 'activity';
  let at = eventAt;
  if (/^session start$/i.test(eventType)) [stage, at] = ['session-start', startAt ?? eventAt];
  else if (/^session end$/i.test(eventType)) [stage, at] = ['session-end', endAt ?? eventAt];
  if (!at) throw new RecordError('timestamp missing: expected the ISO time of the session event');

  const subject = representative(record.performed_by) ?? identityOfRep(session.primary_rep);
  const host =
    text(session.primary_customer) ?? str(getHost(record.destination)) ?? text(session.jumpoint);
  const custom = isObject(session.custom_attributes) ? session.custom_attributes : {};
  const attributes = list(custom.custom_attribute);
  const attributeText = attributes.flatMap((a) => [text(a), str(a.display_name)]);
  const seconds = clockDuration(str(session.duration));
  const jumpGroup = text(session.jump_group);
  return [
    {
      at,
      stage,
      tickets: findTickets(...attributeText, str(record.body)),
      action: eventType,
      outcome: 'success',
      ...(subject ? { actor: subject, subject } : {}),
      ...(host ? { target: { id: host, raw: host, kind: 'host' } } : {}),
      ...(sessionId ? { sessionId } : {}),
      ...(seconds !== undefined ? { durationSeconds: seconds } : {}),
      summary:
        `BeyondTrust PRA ${eventType} in session ${sessionId ?? '(no lsid)'} by ` +
        `${subject?.raw ?? 'unknown representative'} on ${host ?? 'an unnamed endpoint'}` +
        (jumpGroup ? ` (jump group ${jumpGroup})` : '') +
        (seconds !== undefined ? `, session length ${str(session.duration)}` : ''),
    },
  ];
}

function identityOfRep(value: unknown): Identity | undefined {
  const raw = text(value);
  return raw ? identity(raw, 'human') : undefined;
}

function getHost(value: unknown): string | undefined {
  return isObject(value) ? str(value.hostname) : undefined;
}
