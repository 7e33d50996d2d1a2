// Test helpers for the cloud and IdP importers: run fixtures through the real pipeline or run
// in-memory JSON values through one importer with honest accounting.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Importer, RunSettings } from '../../../src/importers/types.js';
import { importPaths } from '../../../src/pipeline/import.js';
import { importRecords } from '../../../src/pipeline/run-importer.js';
import type { TimelineEvent } from '../../../src/model/event.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const hasShared = existsSync(sharedDir);

export function fixture(...parts: string[]): string {
  return path.join(repoRoot, 'fixtures', ...parts);
}

/** Imports one file through detection, the streaming reader and the importer. */
export async function importFile(
  file: string,
  importerOptions: Record<string, Record<string, unknown>> = {},
) {
  const result = await importPaths([file], { importerOptions });
  const accounting = result.accounting[0];
  // Events in file order (locator order), which is how the stages are listed in the fixtures.
  const events = [...result.events].sort(
    (a, b) => locatorOrder(a) - locatorOrder(b) || a.id.localeCompare(b.id),
  );
  return { ...result, accounting, events };
}

function locatorOrder(event: TimelineEvent): number {
  const match = /^(?:line |row |\/(?:value|records|entries)\/|\/)(\d+)/.exec(event.source.locator);
  return match ? Number(match[1]) : 0;
}

/** Runs JSON values through an importer as records `/0`, `/1`, ... of one file. */
export function runValues(
  importer: Importer,
  values: unknown[],
  settings: Partial<RunSettings> = {},
) {
  const run = importer.createRun({ options: {}, ...settings });
  const file = { path: 'inline.json', sha256: '0'.repeat(64), size: 0 };
  const records = values.map((value, index) => ({
    locator: `/${index}`,
    data: { kind: 'json' as const, value },
  }));
  return importRecords(importer, run, file, records);
}

/** The fields of an event that a test states exactly (ids and source are derived). */
export function essentials(event: TimelineEvent) {
  const { id: _id, source: _source, summary: _summary, ...rest } = event;
  return rest;
}
