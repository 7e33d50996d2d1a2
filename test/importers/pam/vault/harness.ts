// Test harness: reads a file the way the JSON reader presents it and runs an importer over it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DetectionSample, Importer, RunSettings } from '../../../../src/importers/types.js';
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
  return result.events.map(({ id: _id, source, ...rest }) => ({
    locator: source.locator,
    ...rest,
  }));
}

/** What the detector would see of a file: name, head, first JSON records and first lines. */
export function detectionSample(file: string): DetectionSample {
  const text = readFileSync(file).toString('utf8');
  const lines = text.split(/\r?\n/).slice(0, 20);
  let records: unknown[] = [];
  try {
    records = jsonRecords(text)
      .slice(0, 10)
      .map((r) => (r.data.kind === 'json' ? r.data.value : null));
  } catch {
    records = [];
  }
  return { path: file, head: text.slice(0, 65536), jsonRecords: records, csvHeaders: null, lines };
}

/** Every sample file of the shared folders, except those of the given source ids. */
export function otherSamples(...own: string[]): string[] {
  const root = path.resolve(repoRoot, '../shared/samples');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((id) => !own.includes(id) && statSync(path.join(root, id)).isDirectory())
    .flatMap((id) => readdirSync(path.join(root, id)).map((f) => path.join(root, id, f)));
}

export function samplesDir(id: string): string {
  return path.resolve(repoRoot, '../shared/samples', id);
}
