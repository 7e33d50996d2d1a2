// Which importer reads a file: a forced one (flag or config), else the best detector score;
// and, for a file none recognizes, why that may be.
import path from 'node:path';
import { importers as builtInImporters } from '../importers/index.js';
import type { Importer } from '../importers/types.js';
import { buildSample, HEAD_BYTES } from '../read/detect-sample.js';
import type { InputFile } from '../read/inputs.js';
import { JsonRecordSplitter } from '../read/json-stream.js';
import type { ImportOptions } from './import.js';
import { ImportError } from './import-error.js';

/** Minimum detector score for a file to count as recognized. */
export const DETECTION_THRESHOLD = 30;

export function chooseImporter(file: InputFile, head: Buffer, options: ImportOptions) {
  const registry = options.registry ?? builtInImporters;
  const forced = forcedImporter(file.displayPath, options.forced ?? []);
  if (forced) {
    const importer = registry.get(forced);
    if (!importer)
      throw new ImportError(
        `unknown importer ${JSON.stringify(forced)} forced for ${file.displayPath}; see 'dora-evidence sources'`,
      );
    return { importer, how: 'forced', tried: [] };
  }

  const sample = buildSample(file.displayPath, head);
  const tried = [...registry.values()]
    .map((importer) => ({ importer: importer.meta.id, score: safeDetect(importer, sample) }))
    .sort((a, b) => b.score - a.score || compare(a.importer, b.importer));
  const best = tried[0];
  if (!best || best.score < DETECTION_THRESHOLD)
    return { importer: undefined, how: 'unrecognized', tried };
  const runnerUp = tried[1];
  const tie = runnerUp && runnerUp.score === best.score ? `, tie with ${runnerUp.importer}` : '';
  return {
    importer: registry.get(best.importer),
    how: `detected (score ${best.score}${tie})`,
    tried,
  };
}

function safeDetect(importer: Importer, sample: ReturnType<typeof buildSample>): number {
  try {
    return Math.max(0, Math.min(100, importer.detect(sample)));
  } catch {
    return 0;
  }
}

/** The forced importer for a path: exact file match first, then the longest folder prefix. */
function forcedImporter(
  displayPath: string,
  forced: { path: string; importer: string }[],
): string | undefined {
  let best: { length: number; importer: string } | undefined;
  for (const rule of forced) {
    const rulePath = rule.path.split(path.sep).join('/').replace(/\/+$/, '');
    if (displayPath === rulePath) return rule.importer;
    if (displayPath.startsWith(`${rulePath}/`) || displayPath.startsWith(`${rulePath}!/`)) {
      if (!best || rulePath.length > best.length)
        best = { length: rulePath.length, importer: rule.importer };
    }
  }
  return best?.importer;
}

/** Why a file may have gone unrecognized, in words the analyst can act on. */
export function unreadableHint(file: InputFile, head: Buffer, gzip: boolean): string | undefined {
  if (file.size === 0) return 'the file is empty';
  if (!gzip && /\.gz$/i.test(file.displayPath)) return 'named .gz but not gzip data';
  if (head.length === 0) return 'no readable content';
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('{') || text.startsWith('[')) {
    let problem: string | undefined;
    const splitter = new JsonRecordSplitter((_record, fault) => {
      problem ??= fault;
    });
    splitter.write(head);
    if (head.length < HEAD_BYTES) splitter.end();
    if (problem) return `looks like JSON but does not parse: ${problem}`;
  }
  return undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
