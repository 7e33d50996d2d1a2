// Reads `export-context.json` files: facts about an export that its records do not carry.
import path from 'node:path';
import type { ExportContext } from '../importers/types.js';
import { isObject, str } from '../importers/common.js';

export interface ContextEntry {
  /** File name the context applies to, or null for every file in its folder. */
  appliesTo: string | null;
  context: ExportContext;
}

/** Parses one context file; the key names follow those seen in real hand-offs and ours. */
export function parseExportContext(text: string, file: string): ContextEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: export context is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new Error(`${file}: export context must be a JSON object`);

  const dateFormat =
    str(value.date_time_format) ??
    str(value.dateFormat) ??
    ([str(value.date_format), str(value.time_format)].filter(Boolean).join(' ') || undefined);
  const context: ExportContext = {
    timezone:
      str(value.timezone) ?? str(value.exporting_user_timezone) ?? str(value.source_timezone),
    closedAt: str(value.closedAt) ?? str(value.file_closed_at),
    dateFormat,
    locale: str(value.locale),
  };
  return { appliesTo: str(value.applies_to) ?? str(value.appliesTo) ?? null, context };
}

/** The context that applies to an input file: same folder, and a matching `applies_to` if set. */
export function contextFor(
  displayPath: string,
  contexts: Map<string, ContextEntry>,
): ExportContext | undefined {
  const dir = path.posix.dirname(displayPath);
  const entry = contexts.get(dir);
  if (!entry) return undefined;
  if (entry.appliesTo !== null && entry.appliesTo !== path.posix.basename(displayPath))
    return undefined;
  return entry.context;
}
