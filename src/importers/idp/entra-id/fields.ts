// Field access for Entra records: keys compared case-insensitively, JSON held in strings decoded.
import { ciGet, ciStr, isObject, str, type JsonObject } from '../../common.js';

export { ciGet, ciStr };
import {
  parseIsoTime,
  TimeError,
  toUtcIso,
  wallTimeUtc,
  checkWallTime,
  fractionMs,
} from '../../../util/time.js';

/**
 * Decodes strings that hold JSON, repeatedly: modifiedProperties values arrive as
 * `"\"User Administrator\""` (JSON inside a JSON string), Log Analytics columns as JSON text.
 */
export function decodeNested(value: unknown, depth = 3): unknown {
  let current = value;
  for (let i = 0; i < depth && typeof current === 'string'; i += 1) {
    const trimmed = current.trim();
    const looksJson = /^[[{"]/.test(trimmed);
    if (!looksJson) break;
    try {
      current = JSON.parse(trimmed);
    } catch {
      break;
    }
  }
  return current;
}

/** A decoded object (or undefined) from a field that may be an object or JSON text. */
export function ciObject(value: unknown, key: string): JsonObject | undefined {
  const decoded = decodeNested(ciGet(value, key));
  return isObject(decoded) ? decoded : undefined;
}

/** A decoded array (empty when absent) from a field that may be an array or JSON text. */
export function ciArray(value: unknown, key: string): unknown[] {
  const decoded = decodeNested(ciGet(value, key));
  return Array.isArray(decoded) ? decoded : [];
}

// Log Analytics "Export to CSV" writes datetimes in the portal's en-US display form.
const US_DISPLAY_TIME =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([AP]M)$/i;

/**
 * Epoch ms of an Entra / Azure Monitor time. Microsoft defines these fields as UTC, so a time
 * written without an offset (Panther's `2024-12-16 16:32:16.087554000`, a portal CSV cell under
 * "Date (UTC)") is read as UTC, never in the configured zone. Fractions are truncated to ms.
 */
export function parseMicrosoftUtc(text: string): number {
  const trimmed = text.trim();
  const display = US_DISPLAY_TIME.exec(trimmed);
  if (!display) return parseIsoTime(trimmed, 'UTC');

  const [, mo, d, h, mi, s, frac, half] = display;
  let hour = Number(h) % 12;
  if (half.toUpperCase() === 'PM') hour += 12;
  const wall = {
    year: Number(display[3]),
    month: Number(mo),
    day: Number(d),
    hour,
    minute: Number(mi),
    second: s === undefined ? 0 : Number(s),
    millisecond: fractionMs(frac),
  };
  checkWallTime(wall, trimmed);
  return wallTimeUtc(wall);
}

/** ISO instant of a Microsoft UTC time, or undefined when it is absent or unparseable. */
export function optionalUtc(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const ms = parseMicrosoftUtc(text);
    // 9999-12-31 is Microsoft's "never expires" placeholder, not an expiry.
    if (new Date(ms).getUTCFullYear() >= 9999) return undefined;
    return toUtcIso(ms);
  } catch (error) {
    if (error instanceof TimeError) return undefined;
    throw error;
  }
}
