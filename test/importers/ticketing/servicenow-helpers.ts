// Shared helpers of the ServiceNow tests: fixture paths, event projection, in-memory runs.
import path from 'node:path';
import type { TimelineEvent } from '../../../src/model/event.js';
import { importPaths, type ImportOptions } from '../../../src/pipeline/import.js';
import { importRecords } from '../../../src/pipeline/run-importer.js';
import type { Importer, RunSettings } from '../../../src/importers/types.js';
import type { RawRecord } from '../../../src/read/record.js';
import { repoRoot } from '../../helpers/paths.js';

export const fixtures = path.join(repoRoot, 'fixtures/servicenow');

export const fileInfo = { path: 'test.json', sha256: 'a'.repeat(64), size: 1 };

/** The fields a test compares, in a stable order. */
export function brief(event: TimelineEvent) {
  return {
    at: event.at,
    stage: event.stage,
    action: event.action,
    actor: event.actor?.id,
    subject: event.subject?.id,
    target: event.target?.id,
    tickets: event.tickets,
    breakGlass: event.breakGlass,
  };
}

export function byTimeAndAction(
  a: { at: string; action: string },
  b: { at: string; action: string },
): number {
  return a.at.localeCompare(b.at) || a.action.localeCompare(b.action);
}

/** Imports fixture files through the real readers and detection. */
export async function importFixture(names: string[], options: ImportOptions = {}) {
  const result = await importPaths(
    names.map((name) => path.join(fixtures, name)),
    options,
  );
  const events = result.events.map(brief).sort(byTimeAndAction);
  return { result, events };
}

/** Runs an importer over JSON values as the reader would hand them (`/result/N`). */
export function runJson(
  importer: Importer,
  values: unknown[],
  settings: Partial<RunSettings> = {},
  file = fileInfo,
) {
  const records: RawRecord[] = values.map((value, i) => ({
    locator: `/result/${i}`,
    data: { kind: 'json', value },
  }));
  const run = importer.createRun({ options: {}, ...settings });
  return importRecords(importer, run, file, records);
}
