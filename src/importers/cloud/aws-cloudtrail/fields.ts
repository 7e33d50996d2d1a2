// CloudTrail record access: unwrapping the containers an event arrives in, hidden values, times.
import { decodeJsonString, getPath, isObject, str, type JsonObject } from '../../common.js';
import { parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';

/**
 * Values CloudTrail writes in place of data it withholds. They are placeholders, never names:
 * "HIDDEN_DUE_TO_SECURITY_REASONS" (user names of failed sign-ins, Identity Store display names)
 * and the sentence used for SSM stream tokens.
 */
const HIDDEN_MARKERS = new Set([
  'HIDDEN_DUE_TO_SECURITY_REASONS',
  'Value hidden due to security reasons.',
]);

export function isHidden(value: unknown): boolean {
  return typeof value === 'string' && HIDDEN_MARKERS.has(value.trim());
}

/** A usable string at `path`: present, non-empty and not a hidden-value placeholder. */
export function text(value: unknown, path?: string): string | undefined {
  const raw = str(path === undefined ? value : getPath(value, path));
  return raw === undefined || isHidden(raw) ? undefined : raw;
}

export function obj(value: unknown, path: string): JsonObject | undefined {
  const found = getPath(value, path);
  return isObject(found) ? found : undefined;
}

export type Unwrapped =
  | { kind: 'event'; event: JsonObject; container: string }
  | { kind: 'digest'; digest: JsonObject }
  | { kind: 'invalid'; reason: string };

export function isDigest(value: JsonObject): boolean {
  return 'digestStartTime' in value && Array.isArray(value.logFiles) && !('Records' in value);
}

function looksLikeEvent(value: JsonObject): boolean {
  return typeof value.eventName === 'string' && typeof value.eventSource === 'string';
}

/**
 * Finds the CloudTrail event inside one reader record. Besides bare events this accepts
 * event-history items (`lookup-events`, console download), whose `CloudTrailEvent` holds the whole
 * event as a JSON string that must be parsed a second time, and EventBridge envelopes (`detail`).
 */
export function unwrap(value: unknown): Unwrapped {
  if (!isObject(value))
    return { kind: 'invalid', reason: 'not a JSON object: expected a CloudTrail event' };
  if (isDigest(value)) return { kind: 'digest', digest: value };
  if (looksLikeEvent(value)) return { kind: 'event', event: value, container: 'event' };

  if ('CloudTrailEvent' in value) {
    const inner = decodeJsonString(value.CloudTrailEvent);
    if (typeof inner === 'string') {
      const reason = 'CloudTrailEvent is not valid JSON: expected the event as a JSON string';
      return { kind: 'invalid', reason };
    }
    if (isObject(inner) && looksLikeEvent(inner)) {
      return { kind: 'event', event: inner, container: 'event-history item' };
    }
    return {
      kind: 'invalid',
      reason: 'CloudTrailEvent holds no event: expected eventName and eventSource',
    };
  }

  const detail = value.detail;
  if (isObject(detail) && looksLikeEvent(detail)) {
    return { kind: 'event', event: detail, container: 'EventBridge envelope' };
  }
  return { kind: 'invalid', reason: 'not a CloudTrail event: expected eventName and eventSource' };
}

/**
 * The event time in epoch ms. CloudTrail defines eventTime as UTC, so a copy that lost its `Z`
 * (CSV conversions) is still read as UTC. Logstash pipelines replace eventTime with
 * `@timestamp` (the OTRF sample), which is accepted in its place.
 */
export function eventTimeMs(event: JsonObject): number {
  const raw = str(event.eventTime) ?? str(event['@timestamp']);
  if (raw === undefined) throw new TimeError('eventTime missing: expected ISO 8601 UTC time');
  return parseIsoTime(raw, 'UTC');
}

export function iso(epochMs: number): string {
  return toUtcIso(epochMs);
}

/** Service short name from eventSource: `sts.amazonaws.com` gives `sts`. */
export function serviceOf(event: JsonObject): string {
  return (str(event.eventSource) ?? '').replace(/\.amazonaws\.com$/, '');
}

/** Account that received the call (falls back to the caller's account). */
export function accountOf(event: JsonObject): string | undefined {
  return text(event, 'recipientAccountId') ?? text(event, 'userIdentity.accountId');
}
