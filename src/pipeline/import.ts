// The import stage: expand inputs, detect each file's importer, read and normalize its records.
import path from 'node:path';
import { importers as builtInImporters } from '../importers/index.js';
import type { FileInfo, Importer, ImporterRun, SourceNote } from '../importers/types.js';
import type { FileAccounting, RejectedRecord } from '../model/accounting.js';
import type { TimelineEvent } from '../model/event.js';
import { openContent, isGzip, readContentHead } from '../read/content.js';
import { buildSample, HEAD_BYTES } from '../read/detect-sample.js';
import { expandInputs, type InputFile } from '../read/inputs.js';
import { JsonRecordSplitter } from '../read/json-stream.js';
import { readRecords } from '../read/records.js';
import { sha256OfStream } from '../util/hash.js';
import { contextFor, parseExportContext, type ContextEntry } from './export-context.js';
import { FileCollector } from './run-importer.js';
import { ActivityStore, type ActivityStoreOptions } from './activity-store.js';

/** Minimum detector score for a file to count as recognized. */
export const DETECTION_THRESHOLD = 30;

export interface ImportOptions {
  /** Forced importers: display path (file or folder prefix) → importer id. */
  forced?: { path: string; importer: string }[];
  timezone?: string;
  /** `importers.<id>` blocks from the config. */
  importerOptions?: Record<string, Record<string, unknown>>;
  log?: (message: string) => void;
  /** Messages the user should see without --verbose. */
  warn?: (message: string) => void;
  /** The importers to choose from; the built-in registry unless a test passes its own. */
  registry?: ReadonlyMap<string, Importer>;
  onProgress?: (done: ImportProgress) => void;
  /**
   * Keep activity events out of memory: each is resolved with `resolve` and goes to an
   * ActivityStore (`ImportResult.activity`); `events` then holds only the other stages.
   */
  spill?: { resolve: (event: TimelineEvent) => TimelineEvent; store?: ActivityStoreOptions };
}

export interface ImportProgress {
  files: number;
  /** Of all input files: how many there are and their bytes on disk. */
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  /** Events normalized so far. */
  events: number;
}

export interface UnrecognizedFile {
  file: string;
  /** Importer ids tried, with their scores, highest first. */
  tried: { importer: string; score: number }[];
  /** What is wrong with the content, when that can be told (empty, not gzip, broken JSON). */
  hint?: string;
}

export interface ImportResult {
  /** All normalized events, sorted by (at, id); with `spill`, all but the activity events. */
  events: TimelineEvent[];
  /** With `spill`: the activity events, resolved, sorted when read. */
  activity?: ActivityStore;
  accounting: FileAccounting[];
  rejected: RejectedRecord[];
  notes: SourceNote[];
  unrecognized: UnrecognizedFile[];
  /** Input files as read, for the bundle's sources/ and manifest. */
  inputs: { file: InputFile; sha256: string; importer: string | null }[];
}

export class ImportError extends Error {}

export async function importPaths(
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  const log = options.log ?? (() => undefined);
  const expanded = await expandInputs(paths);
  for (const skipped of expanded.skipped) (options.warn ?? log)(`skipped ${skipped}`);

  const contexts = new Map<string, ContextEntry>();
  for (const [dir, text] of expanded.contexts)
    contexts.set(dir, parseExportContext(text, `${dir}/export-context.json`));

  const result: ImportResult = {
    events: [],
    accounting: [],
    rejected: [],
    notes: [],
    unrecognized: [],
    inputs: [],
  };
  const runs = new Map<string, { importer: Importer; run: ImporterRun }>();
  const seenContent = new Map<string, { file: string; importer: string | null }>();
  for (const repeat of expanded.repeated) {
    result.notes.push({
      kind: 'info',
      file: repeat.displayPath,
      message: `same file as ${repeat.firstPath}, given again; read once`,
    });
  }
  const progress: ImportProgress = {
    files: 0,
    totalFiles: expanded.files.length,
    bytes: 0,
    totalBytes: expanded.files.reduce((sum, file) => sum + file.size, 0),
    events: 0,
  };
  const sink = eventSink(result, options, progress, () => options.onProgress?.(progress));

  try {
    for (const refused of expanded.refused) {
      // A refused file counts as one record read and rejected, so it shows in every total.
      result.accounting.push({
        ...refusedAccounting(refused.displayPath, refused.size, refused.reason),
        read: 1,
        rejected: 1,
      });
      result.rejected.push({
        file: refused.displayPath,
        locator: '(file)',
        reason: refused.reason,
      });
    }

    for (const file of expanded.files) {
      await importOne(file, options, contexts, runs, result, log, seenContent, progress, sink);
      progress.files += 1;
      progress.bytes += file.size;
      options.onProgress?.(progress);
    }

    for (const { run } of [...runs.values()].sort((a, b) =>
      a.importer.meta.id < b.importer.meta.id ? -1 : 1,
    )) {
      result.notes.push(...(run.finish?.() ?? []));
    }
  } catch (error) {
    result.activity?.close();
    throw error;
  } finally {
    await expanded.close();
  }

  result.activity?.finish();
  result.accounting.sort((a, b) => compare(a.file, b.file));
  result.events.sort((a, b) => compare(a.at, b.at) || compare(a.id, b.id));
  return result;
}

async function importOne(
  file: InputFile,
  options: ImportOptions,
  contexts: Map<string, ContextEntry>,
  runs: Map<string, { importer: Importer; run: ImporterRun }>,
  result: ImportResult,
  log: (message: string) => void,
  seenContent: Map<string, { file: string; importer: string | null }>,
  progress: ImportProgress,
  sink: ((event: TimelineEvent) => void) | undefined,
): Promise<void> {
  // Hashed first: event ids derive from the file's bytes (design section 3), and a second copy
  // of the same bytes (an export saved twice, under two names) must not double every event.
  const sha256 = await hashRaw(file);
  const first = seenContent.get(sha256);
  if (first) {
    const message = `same bytes as ${first.file} (sha256 ${sha256}); imported once, from there`;
    result.accounting.push({
      ...refusedAccounting(file.displayPath, file.size, message),
      sha256,
      importer: first.importer,
      detection: 'duplicate',
    });
    result.notes.push({ kind: 'info', file: file.displayPath, message });
    result.inputs.push({ file, sha256, importer: first.importer });
    log(`duplicate: ${file.displayPath} (${message})`);
    return;
  }

  const gzip = await isGzip(file);
  const { bytes: head, damage: headDamage } = await readContentHead(file, gzip, HEAD_BYTES);

  const chosen = chooseImporter(file, head, options);
  if (!chosen.importer) {
    seenContent.set(sha256, { file: file.displayPath, importer: null });
    const damage = headDamage === undefined ? undefined : damageText(gzip, headDamage);
    const hint = damage ?? unreadableHint(file, head, gzip);
    // A damaged export is missing evidence, not merely an unknown format: noted as a failed
    // integrity check, which source-integrity-unverified reports as a gap.
    if (damage) damagedNote(result, file.displayPath, damage, 'no record could be read');
    result.unrecognized.push({
      file: file.displayPath,
      tried: chosen.tried,
      ...(hint ? { hint } : {}),
    });
    const reason = `no importer recognized this file${hint ? ` (${hint})` : ''}`;
    result.accounting.push({ ...refusedAccounting(file.displayPath, file.size, reason), sha256 });
    result.inputs.push({ file, sha256, importer: null });
    log(`unrecognized: ${file.displayPath}`);
    return;
  }
  const importer = chosen.importer;
  log(`${file.displayPath}: ${importer.meta.id} (${chosen.how})`);

  let entry = runs.get(importer.meta.id);
  if (!entry) {
    entry = { importer, run: startRun(importer, settingsFor(importer, options, undefined)) };
    runs.set(importer.meta.id, entry);
  }
  const exportContext = contextFor(file.displayPath, contexts);
  // A file with its own export context gets a run of its own, so its zone and year never
  // leak into other files of the same importer.
  const run = exportContext
    ? startRun(importer, settingsFor(importer, options, exportContext))
    : entry.run;

  seenContent.set(sha256, { file: file.displayPath, importer: importer.meta.id });
  const opened = await openContent(file, gzip);
  const info: FileInfo = { path: file.displayPath, sha256, size: file.size };
  const collector = new FileCollector(importer, info, sink);
  const session = run.openFile(info, collector);
  let streamError: string | null = null;
  try {
    for await (const item of readRecords(opened.content, importer, head.toString('utf8'))) {
      collector.counted(item.record);
      if (item.problem) collector.reject(item.record, item.problem);
      else collector.deliver(session, item.record);
    }
  } catch (error) {
    streamError = (error as Error).message;
  }

  let hashes: { contentSha256: string } | null = null;
  if (streamError === null) {
    hashes = await opened.finished.catch((error: Error) => {
      streamError = error.message;
      return null;
    });
  } else {
    opened.finished.catch(() => undefined);
  }
  if (streamError !== null) {
    const damaged = {
      locator: DAMAGE_LOCATOR,
      data: { kind: 'line' as const, text: '' },
    };
    const damage = damageText(gzip, streamError);
    collector.counted(damaged);
    collector.reject(damaged, `${damage}; records before this point were kept`);
    damagedNote(result, file.displayPath, damage, 'records after the damage are lost');
  }

  collector.finish(session, { contentSha256: hashes?.contentSha256 ?? '' });
  const encoding = opened.encoding();
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    result.notes.push({
      kind: 'info',
      file: file.displayPath,
      message: `read as ${encoding.toUpperCase()} and decoded; byte offsets in its reject reasons count UTF-8 bytes`,
    });
  }
  const fileResult = collector.result();

  result.events.push(...fileResult.events);
  progress.events += fileResult.events.length;
  result.rejected.push(...fileResult.rejected);
  result.accounting.push({ ...fileResult.accounting, sha256, detection: chosen.how });
  result.inputs.push({ file, sha256, importer: importer.meta.id });
}

/** The locator of the rejection that stands for a file's unreadable rest (damaged content). */
export const DAMAGE_LOCATOR = '(end of readable data)';

function damageText(gzip: boolean, problem: string): string {
  return `${gzip ? 'gzip ' : ''}content damaged: ${problem}`;
}

function damagedNote(result: ImportResult, file: string, what: string, consequence: string) {
  result.notes.push({ kind: 'integrity-failed', file, message: `${what}; ${consequence}` });
}

/** Where accepted events go as they are made when spilling (or counted for progress). */
function eventSink(
  result: ImportResult,
  options: ImportOptions,
  progress: ImportProgress,
  report: () => void,
) {
  const spill = options.spill;
  if (!spill) return undefined;
  const store = new ActivityStore(spill.store);
  result.activity = store;
  return (event: TimelineEvent) => {
    progress.events += 1;
    // Within a large file too, so the progress line keeps moving.
    if ((progress.events & 0xffff) === 0) report();
    if (event.stage === 'activity') store.add(spill.resolve(event));
    else result.events.push(event);
  };
}

/** Why a file may have gone unrecognized, in words the analyst can act on. */
function unreadableHint(file: InputFile, head: Buffer, gzip: boolean): string | undefined {
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

/** Starts an importer; settings it refuses are the user's to fix (exit 2), not a crash. */
function startRun(importer: Importer, settings: ReturnType<typeof settingsFor>): ImporterRun {
  try {
    return importer.createRun(settings);
  } catch (error) {
    throw new ImportError(`importers.${importer.meta.id}: ${(error as Error).message}`);
  }
}

function settingsFor(
  importer: Importer,
  options: ImportOptions,
  exportContext: ReturnType<typeof contextFor>,
) {
  return {
    timezone: exportContext?.timezone ?? options.timezone,
    options: importerSettings(importer.meta.id, options.importerOptions ?? {}),
    exportContext,
  };
}

/**
 * An importer's config block. Importers that read one product in several forms (jira-csv,
 * servicenow-xml, cyberark-csv) also take the product's block (`importers.jira`), which the
 * form's own block overrides key by key.
 */
export function importerSettings(
  id: string,
  blocks: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  const base = id.replace(/-(csv|xml|json|lines)$/, '');
  return { ...(base !== id ? blocks[base] : undefined), ...blocks[id] };
}

function chooseImporter(file: InputFile, head: Buffer, options: ImportOptions) {
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

async function hashRaw(file: InputFile): Promise<string> {
  return sha256OfStream((await file.open()) as AsyncIterable<Buffer>);
}

function refusedAccounting(file: string, size: number, reason: string): FileAccounting {
  return {
    file,
    sha256: '',
    size,
    importer: null,
    read: 0,
    normalized: 0,
    ignored: 0,
    ignoredByKind: {},
    rejected: 0,
    coverage: { from: null, to: null },
    error: reason,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
