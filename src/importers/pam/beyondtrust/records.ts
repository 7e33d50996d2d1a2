// Unwraps BeyondTrust exports to the API record inside and tells which kind of record it is.
import { isObject, str, type JsonObject } from '../../common.js';
import { parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';

export type RecordKind = 'request' | 'session' | 'user-audit' | 'managed-account' | 'pra-session';

export class RecordError extends Error {}

/**
 * The API record of one export element. Elastic's pipeline tests wrap each record as
 * `{"event":{"original":"<API JSON as a string>"}}` or `{"message":{...}}`; a bare record is
 * taken as it is.
 */
export function unwrap(element: JsonObject): JsonObject {
  const original = isObject(element.event) ? element.event.original : undefined;
  if (typeof original === 'string') return parseObject(original, 'event.original');
  if (isObject(element.message)) return element.message;
  if (typeof element.message === 'string' && element.message.trim().startsWith('{')) {
    return parseObject(element.message, 'message');
  }
  return element;
}

function parseObject(text: string, field: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RecordError(`${field} is not JSON: expected the API record as a JSON string`);
  }
  if (!isObject(value)) throw new RecordError(`${field} is not a JSON object`);
  return value;
}

export function kindOf(record: JsonObject): RecordKind | undefined {
  if (isObject(record.session) && (str(record.session.lsid) || str(record.event_type)))
    return 'pra-session';
  if (has(record, 'SessionID') && (has(record, 'StartTime') || has(record, 'EndTime')))
    return 'session';
  if (has(record, 'RequestID') && typeof record.Status === 'string') return 'request';
  if (has(record, 'AuditID') && has(record, 'ActionType')) return 'user-audit';
  if (
    has(record, 'ManagedAccountID') &&
    ('LastChangeDate' in record || 'MaximumReleaseDuration' in record)
  ) {
    return 'managed-account';
  }
  return undefined;
}

function has(record: JsonObject, key: string): boolean {
  return record[key] !== undefined && record[key] !== null && record[key] !== '';
}

/**
 * A time field. Password Safe writes most times in UTC with `Z`, but some (LastChangeDate,
 * NextChangeDate) carry no zone: those need the configured zone, else the record is rejected.
 */
export function timeField(record: JsonObject, key: string, zone?: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new RecordError(`${key} is not a time: ${JSON.stringify(value)}`);
  try {
    return toUtcIso(parseIsoTime(value, zone));
  } catch (error) {
    if (error instanceof TimeError) throw new RecordError(`${key} unusable: ${error.message}`);
    throw error;
  }
}

/** The first of several alternative fields that is present, as text. */
export function firstString(record: JsonObject, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = str(record[key]);
    if (value) return value;
  }
  return undefined;
}

/** The first present alternative time field, with the field name it came from. */
export function firstTime(record: JsonObject, zone: string | undefined, ...keys: string[]) {
  for (const key of keys) {
    const at = timeField(record, key, zone);
    if (at) return { at, key };
  }
  return undefined;
}

/** `HH:MM:SS` (hours may exceed 24) as seconds; undefined when it is not that shape. */
export function clockDuration(text: string | undefined): number | undefined {
  const match = text ? /^(\d+):([0-5]\d):([0-5]\d)$/.exec(text.trim()) : null;
  if (!match) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}
