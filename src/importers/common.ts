// Small helpers importers share: safe field access, identities, tickets and failure outcomes.
import type { Identity, IdentityKind } from '../model/event.js';
import type { DetectionSample } from './types.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Importers read the same few dotted paths for every record: split each once.
const SPLIT_PATHS = new Map<string, readonly string[]>();

function segmentsOf(path: string): readonly string[] {
  let segments = SPLIT_PATHS.get(path);
  if (!segments) {
    segments = path.split('.');
    // Paths are constants in the importers; the bound only guards against computed ones.
    if (SPLIT_PATHS.size < 10_000) SPLIT_PATHS.set(path, segments);
  }
  return segments;
}

/** Reads a dotted path; a segment may itself hold dots when given as an array element. */
export function getPath(value: unknown, path: string | readonly string[]): unknown {
  const segments = typeof path === 'string' ? segmentsOf(path) : path;
  let current: unknown = value;
  for (const segment of segments) {
    if (!isObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/**
 * Reads a key ignoring case: exports of one product differ (`requestbody` / `requestBody`,
 * Graph's `activityDateTime` / Log Analytics' `ActivityDateTime`).
 */
export function ciGet(value: unknown, key: string): unknown {
  if (!isObject(value)) return undefined;
  if (key in value) return value[key];
  const wanted = key.toLowerCase();
  for (const [name, field] of Object.entries(value)) {
    if (name.toLowerCase() === wanted) return field;
  }
  return undefined;
}

/** First non-empty string among the keys, read case-insensitively. */
export function ciStr(value: unknown, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const found = str(ciGet(value, key));
    if (found !== undefined && found.trim() !== '') return found;
  }
  return undefined;
}

/** A non-empty string value, or undefined (numbers are turned into their decimal text). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Parses a string that holds JSON (vendors nest JSON in strings); returns the value unchanged otherwise. */
export function decodeJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('"')))
    return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

// An e-mail address as identity exports write them; ARNs and paths that merely end in an
// address (`assumed-role/Admin/carol@bank.example`) are not e-mails and keep their case.
const EMAIL = /^[^@\s/:\\]+@[^@\s/:\\]+\.[^@\s/:\\]+$/;

/** Normalizes an identifier: trimmed, e-mail addresses lower-cased. */
export function normalizeIdentityId(raw: string): string {
  const trimmed = raw.trim();
  return EMAIL.test(trimmed) ? trimmed.toLowerCase() : trimmed;
}

export function identity(raw: string, kind: IdentityKind): Identity {
  return { id: normalizeIdentityId(raw), raw, kind };
}

/** Ticket patterns used when the config sets none (design.md section 8 defaults). */
export const DEFAULT_TICKET_PATTERNS = [
  '[A-Z][A-Z0-9]+-\\d+',
  'CHG\\d{7}',
  'RITM\\d{7}',
  'INC\\d{7}',
];

// Whole tokens only: a host name such as FW-EDGE-01 must not yield the ticket EDGE-01.
const defaultTicketRegex = new RegExp(
  `(?<![A-Za-z0-9_-])(?:${DEFAULT_TICKET_PATTERNS.map((p) => `(?:${p})`).join('|')})(?![A-Za-z0-9_])`,
  'g',
);

/** Ticket references in free text, in order of appearance, without repeats. */
export function findTickets(...texts: (string | undefined)[]): string[] {
  const found: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(defaultTicketRegex)) {
      if (!found.includes(match[0])) found.push(match[0]);
    }
  }
  return found;
}

/**
 * The first JSON objects of a detection sample: the reader's records, else the first lines
 * parsed one by one (a line that is not JSON simply does not count).
 */
export function firstObjects(sample: DetectionSample, limit = 5): JsonObject[] {
  const fromReader = sample.jsonRecords.filter(isObject).slice(0, limit);
  if (fromReader.length > 0) return fromReader;
  const parsed: JsonObject[] = [];
  for (const line of sample.lines.slice(0, limit)) {
    try {
      const value: unknown = JSON.parse(line);
      if (isObject(value)) parsed.push(value);
    } catch {
      // Not JSON: not a record of a JSON-lines log.
    }
  }
  return parsed;
}

/**
 * A detector score from the share of sampled records that have the vendor's shape: 95 when all
 * do, 70 when most do, 0 otherwise (another vendor's file must never be claimed).
 */
export function shareScore<T>(
  records: readonly T[],
  isVendorRecord: (record: T) => boolean,
): number {
  if (records.length === 0) return 0;
  const matching = records.filter(isVendorRecord).length;
  if (matching === records.length) return 95;
  return matching * 2 > records.length ? 70 : 0;
}
