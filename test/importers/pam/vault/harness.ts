// Test harness: reads a file the way the JSON reader presents it and runs an importer over it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Importer, RunSettings } from '../../../../src/importers/types.js';
import { importRecords, type FileImportResult } from '../../../../src/pipeline/run-importer.js';
import type { RawRecord } from '../../../../src/read/record.js';
import { sha256Hex } from '../../../../src/util/hash.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** NDJSON lines as `line N`; a JSON array as `/N`; a `{"key":[...]}` wrapper as `/key/N`. */
export function jsonRecords(text: string): RawRecord[] {
  const trimmed = text.trim();
  try {
    const whole: unknown = JSON.parse(trimmed);
    if (Array.isArray(whole)) return whole.map((value, i) => json(`/${i}`, value));
    if (typeof whole === 'object' && whole !== null) {
      const entries = Object.entries(whole);
      if (entries.length === 1 && Array.isArray(entries[0][1])) {
        const [key, list] = entries[0] as [string, unknown[]];
        return list.map((value, i) => json(`/${key}/${i}`, value));
      }
      return [json('line 1', whole)];
    }
  } catch {
    // Not one JSON document: read it as JSON lines.
  }
  const records: RawRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    records.push(json(`line ${i + 1}`, JSON.parse(line)));
  });
  return records;
}

function json(locator: string, value: unknown): RawRecord {
  return { locator, data: { kind: 'json', value } };
}

export function runFile(
  importer: Importer,
  file: string,
  settings: Partial<RunSettings> = {},
): FileImportResult {
  const bytes = readFileSync(file);
  return runText(importer, bytes.toString('utf8'), path.basename(file), settings);
}

export function runText(
  importer: Importer,
  text: string,
  name = 'inline.json',
  settings: Partial<RunSettings> = {},
): FileImportResult {
  const info = { path: name, sha256: sha256Hex(text), size: Buffer.byteLength(text) };
  const run = importer.createRun({ options: {}, ...settings });
  return importRecords(importer, run, info, jsonRecords(text));
}

/** Events without the stamped id and source, for exact comparisons. */
export function drafts(result: FileImportResult) {
  return result.events.map(({ id: _id, source, ...rest }) => ({ locator: source.locator, ...rest }));
}
