// Reads the parts of an Okta LogEvent: time, actor, targets, outcome, session (sources doc 5.2).
import type { Identity, IdentityKind, Target } from '../../../model/event.js';
import { identity, isObject, str, type JsonObject } from '../../common.js';
import { parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';

export type TimeResult = { ok: true; at: string } | { ok: false; reason: string };

/**
 * `published` is UTC by Okta's definition. Panther and some SIEMs rewrite it without the `Z`
 * (`2020-11-25 21:27:03.496000000`); since the zone is defined by the vendor, it is read as UTC
 * whatever zone the run configures. Nanosecond fractions are truncated to milliseconds.
 */
export function publishedAt(event: JsonObject): TimeResult {
  const text = str(event.published);
  if (!text)
    return { ok: false, reason: 'published missing: expected the ISO 8601 UTC time of the event' };
  try {
    return { ok: true, at: toUtcIso(parseIsoTime(text, 'UTC')) };
  } catch (error) {
    const detail = error instanceof TimeError ? error.message : String(error);
    return { ok: false, reason: `published unreadable (${detail}): expected ISO 8601 UTC time` };
  }
}

/** Okta `User` actors are people; API clients, apps and the Okta system itself are services. */
function kindOfOktaType(type: string | undefined): IdentityKind {
  if (!type) return 'unknown';
  return type === 'User' ? 'human' : 'service';
}

/** An identity from an Okta actor or User target: the login (alternateId) where it is real. */
export function oktaIdentity(value: unknown): Identity | undefined {
  if (!isObject(value)) return undefined;
  const alternateId = str(value.alternateId);
  const usable = alternateId && alternateId !== 'unknown' ? alternateId : undefined;
  const raw = usable ?? str(value.id) ?? str(value.displayName);
  if (!raw) return undefined;
  return identity(raw, kindOfOktaType(str(value.type)));
}

export function targets(event: JsonObject): JsonObject[] {
  // `target` is an array, null, or missing depending on the event (sources doc 5.4).
  return Array.isArray(event.target) ? event.target.filter(isObject) : [];
}

export function firstTargetOfType(
  event: JsonObject,
  types: readonly string[],
): JsonObject | undefined {
  const all = targets(event);
  for (const type of types) {
    const found = all.find((t) => str(t.type) === type);
    if (found) return found;
  }
  return undefined;
}

const TARGET_KINDS: Record<string, string> = {
  UserGroup: 'group',
  AppInstance: 'app',
  AppUser: 'app-account',
  Token: 'api-token',
  User: 'user',
  ROLE: 'role',
  Role: 'role',
  CUSTOM_ROLE: 'role',
  ResourceSet: 'resource-set',
  RESOURCE_SET: 'resource-set',
};

/** The granted thing as a timeline target; its id is `okta:<name>` so config aliases read well. */
export function oktaTarget(value: JsonObject): Target | undefined {
  const name = str(value.displayName) ?? usableAlternateId(value) ?? str(value.id);
  if (!name) return undefined;
  const type = str(value.type) ?? 'unknown';
  const target: Target = {
    id: `okta:${name}`,
    raw: str(value.id) ?? name,
    kind: TARGET_KINDS[type] ?? type,
  };
  const displayName = str(value.displayName);
  if (displayName) target.name = displayName;
  return target;
}

function usableAlternateId(value: JsonObject): string | undefined {
  const alternateId = str(value.alternateId);
  return alternateId && alternateId !== 'unknown' ? alternateId : undefined;
}

export function roleTarget(role: string): Target {
  return { id: `okta-role:${role}`, raw: role, kind: 'role', name: role };
}

/** SUCCESS and ALLOW are successes; FAILURE, DENY, SKIPPED, CHALLENGE, UNKNOWN are not. */
export function outcomeOf(event: JsonObject): {
  success: boolean;
  result: string;
  reason?: string;
} {
  const outcome = isObject(event.outcome) ? event.outcome : {};
  const result = (str(outcome.result) ?? 'UNKNOWN').toUpperCase();
  const reason = str(outcome.reason);
  const success = result === 'SUCCESS' || result === 'ALLOW';
  return reason ? { success, result, reason } : { success, result };
}

export function debugData(event: JsonObject): JsonObject {
  const context = isObject(event.debugContext) ? event.debugContext : {};
  return isObject(context.debugData) ? context.debugData : {};
}

/** The Okta session id, which ties session start, SSO and end together. */
export function externalSessionId(event: JsonObject): string | undefined {
  const context = isObject(event.authenticationContext) ? event.authenticationContext : {};
  const id = str(context.externalSessionId);
  return id && id !== 'unknown' ? id : undefined;
}

/** A comma-separated role list from debugData (`privilegeGranted`), trimmed, without blanks. */
export function roleList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role.length > 0);
}
