// Field readers for Teleport audit events: instants, users, targets and ticket-bearing text.
import type { Identity, IdentityKind, Target } from '../../../model/event.js';
import { identity, isObject, str, type JsonObject } from '../../common.js';
import { parseEpoch, parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';

/** Thrown for a field that holds a value the importer cannot read; the record is rejected. */
export class FieldError extends Error {}

// Go's zero time.Time: Teleport writes it for "never expires" (events.proto non-nullable times).
const ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;

/**
 * An optional instant field: RFC 3339 text, Go's zero time (none), or — type drift seen in
 * Teleport's own event catalogue (user.update) — a bare integer taken as Unix seconds (or ms
 * when too large to be seconds).
 */
export function optionalInstant(
  record: JsonObject,
  key: string,
  zone?: string,
): string | undefined {
  const value = record[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new FieldError(`${key} is not a time: ${JSON.stringify(value)}`);
  }
  if (typeof value === 'number' && value <= 0) return undefined;
  if (typeof value === 'string' && ZERO_TIME.test(value)) return undefined;
  try {
    // An epoch beyond year 9999 is a TimeError like an unreadable text (hostile-input corpus).
    if (typeof value === 'number') return toUtcIso(parseEpoch(value, value < 1e11 ? 's' : 'ms'));
    return toUtcIso(parseIsoTime(value, zone));
  } catch (error) {
    if (error instanceof TimeError) throw new FieldError(`${key} unusable: ${error.message}`);
    throw error;
  }
}

/** A Teleport user. user_kind (events.proto UserKind) decides when present: 1 human, 2 bot. */
export function teleportUser(raw: string | undefined, record: JsonObject): Identity | undefined {
  if (!raw) return undefined;
  return identity(raw, userKind(raw, record));
}

// Host and service identities are "<host uuid>.<cluster name>"; Machine ID bots are "bot-<name>".
const HOST_IDENTITY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\./i;

function userKind(raw: string, record: JsonObject): IdentityKind {
  if (record.user_kind === 1) return 'human';
  if (record.user_kind === 2 || record.user_kind === 3) return 'service';
  if (str(record.bot_name) || raw.startsWith('bot-') || HOST_IDENTITY.test(raw)) return 'service';
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw)) return 'human';
  return 'unknown';
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v !== '')
    : [];
}

/** Requested or granted roles, sorted and joined, as one target; undefined when there are none. */
export function roleTarget(roles: string[]): Target | undefined {
  if (roles.length === 0) return undefined;
  return { id: [...roles].sort().join(','), raw: roles.join(','), kind: 'role' };
}

/** Resource ids as Teleport prints them (/cluster/kind/name[/sub]); roles become the name. */
export function requestTarget(record: JsonObject): Target | undefined {
  const roles = stringList(record.roles);
  const resources = Array.isArray(record.resource_ids) ? record.resource_ids.filter(isObject) : [];
  if (resources.length === 0) return roleTarget(roles);

  const ids = resources.map(
    (r) => '/' + [r.cluster, r.kind, r.name, r.sub_resource].filter((p) => str(p)).join('/'),
  );
  const sorted = [...ids].sort().join(',');
  return {
    id: sorted,
    raw: ids.join(','),
    kind: 'resource',
    ...(roles.length > 0 ? { name: [...roles].sort().join(',') } : {}),
  };
}

/** Every string leaf of a value (annotations are a Struct of string lists). */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (isObject(value)) return Object.values(value).flatMap(stringLeaves);
  return [];
}

/** The host, database or app a session or command ran against. */
export function sessionTarget(record: JsonObject): Target | undefined {
  const db = str(record.db_service);
  if (db) return { id: db, raw: db, kind: 'database', ...nameOf(str(record.db_name)) };
  const app = str(record.app_name) ?? str(record.app_public_addr) ?? str(record.public_addr);
  if (app) return { id: app, raw: app, kind: 'app' };
  const desktop = str(record.desktop_addr) ?? str(record.desktop_name);
  if (desktop) return { id: desktop, raw: desktop, kind: 'host' };
  const host = str(record.server_hostname) ?? str(record.server_id) ?? str(record.server_addr);
  if (host) return { id: host, raw: host, kind: 'host' };
  return undefined;
}

function nameOf(name: string | undefined): { name?: string } {
  return name ? { name } : {};
}
