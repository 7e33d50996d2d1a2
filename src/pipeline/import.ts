// The import stage: expand inputs, detect each file's importer, read and normalize its records.
import { importers as builtInImporters } from '../importers/index.js';
import type { FileInfo, Importer, ImporterRun, SourceNote } from '../importers/types.js';
import type { FileAccounting, FirstIgnored, RejectedRecord } from '../model/accounting.js';
import type { TimelineEvent } from '../model/event.js';
import { openContent, isGzip, readContentHead } from '../read/content.js';
import { HEAD_BYTES } from '../read/detect-sample.js';
import { expandInputs, type InputFile } from '../read/inputs.js';
import { sha256OfStream } from '../util/hash.js';
import { contextFor, parseExportContext, type ContextEntry } from './export-context.js';
import {
  ActivityStore,
  type ActivityStoreOptions,
  type EncodedActivity,
} from './activity-store.js';
import { MAX_WORKER_FILE_BYTES, type ImportPool } from './import-pool.js';
import { LazyPool, replayTask, type ParallelImport, type Unresolved } from './worker-files.js';
import { readFileInto, type FileReadEnd } from './read-file.js';
import { acceptedIds, FileCollector } from './run-importer.js';
import { refusedAccounting, settleFile, unreadable, unrecognized } from './settle-file.js';
import { chooseImporter } from './detect-importer.js';
import { ImportError } from './import-error.js';
import { contentSizeEstimate } from './work-estimate.js';

export { DAMAGE_LOCATOR } from './read-file.js';
export { unreadable } from './settle-file.js';
export type { ParallelImport } from './worker-files.js';

export { DETECTION_THRESHOLD } from './detect-importer.js';

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
  spill?: {
    resolve: (event: TimelineEvent) => TimelineEvent;
    store?: ActivityStoreOptions;
    parallel?: ParallelImport;
  };
}

export interface ImportProgress {
  files: number;
  /** Of all input files: how many there are and their bytes on disk. */
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  /** Events normalized so far. */
  events: number;
  /**
   * Of all input files: estimated content bytes read so far and in all (gzip counted expanded,
   * see contentSizeEstimate), for the time left; a file read ahead of its turn counts when read.
   */
  work: number;
  totalWork: number;
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
  /** Where each file's first ignored record of each kind is (the accounting only counts them). */
  firstIgnored: FirstIgnored[];
  notes: SourceNote[];
  unrecognized: UnrecognizedFile[];
  /** Input files as read, for the bundle's sources/ and manifest. */
  inputs: { file: InputFile; sha256: string; importer: string | null }[];
}

export { ImportError } from './import-error.js';

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
    firstIgnored: [],
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
    work: 0,
    totalWork: 0,
  };
  const workLeft = new Map<InputFile, number>();
  for (const file of expanded.files) {
    const estimate = contentSizeEstimate(file);
    workLeft.set(file, estimate);
    progress.totalWork += estimate;
  }
  const sink = eventSink(result, options, progress, () => options.onProgress?.(progress));
  const state: ImportState = {
    options,
    contexts,
    runs,
    result,
    log,
    seenContent,
    progress,
    sink,
    pool: new LazyPool(options.spill?.parallel, progress.totalBytes, progress.totalFiles),
    workLeft,
    mainReads: Promise.resolve(),
    readBeside: 0,
  };

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

    // Files are planned in order (hashed, detected, given to a worker where they can be); what
    // each adds to the result is applied in the same order, a few worker files behind.
    const pending: (() => Promise<void>)[] = [];
    // Many small files (a CloudTrail tree) need many files in flight to keep the workers busy;
    // what the workers have sent and the main thread not yet replayed bounds how far ahead.
    const drain = async (keep: number) => {
      while (
        pending.length > keep ||
        (pending.length > 0 && state.pool.waiting() > MAX_WAITING_MESSAGES)
      )
        await (pending.shift() as () => Promise<void>)();
    };
    for (const file of expanded.files) {
      const plan = await planFile(file, state).catch((error: unknown) => {
        throw unreadable(file, error);
      });
      pending.push(async () => {
        await Promise.resolve(plan.apply()).catch((error: unknown) => {
          throw unreadable(file, error);
        });
        progress.files += 1;
        progress.bytes += file.size;
        creditWork(state, file);
        options.onProgress?.(progress);
      });
      await drain(plan.ahead ? LOOKAHEAD_FILES : 0);
    }
    await drain(0);
    if (state.pool.filesRead > 0) {
      const { filesRead, threads } = state.pool;
      log(`${filesRead} files read in ${threads} worker threads, ${state.readBeside} beside them`);
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
    await state.pool.close();
    await expanded.close();
  }

  result.activity?.finish();
  result.accounting.sort((a, b) => compare(a.file, b.file));
  result.events.sort((a, b) => compare(a.at, b.at) || compare(a.id, b.id));
  return result;
}

/** Files given to workers ahead of the one being applied. */
const LOOKAHEAD_FILES = 32;
/** Worker messages (batches of at most about 2 MB) waiting to be replayed. */
const MAX_WAITING_MESSAGES = 12;

interface ImportState {
  options: ImportOptions;
  contexts: Map<string, ContextEntry>;
  runs: Map<string, { importer: Importer; run: ImporterRun }>;
  result: ImportResult;
  log: (message: string) => void;
  seenContent: Map<string, { file: string; importer: string | null }>;
  progress: ImportProgress;
  sink: ((event: TimelineEvent | EncodedActivity) => void) | undefined;
  pool: LazyPool;
  /** The last main-thread read started ahead of its turn (see planFile), and their number. */
  mainReads: Promise<void>;
  readBeside: number;
  /** Estimated content bytes of each file not yet counted as read (ImportProgress.work). */
  workLeft: Map<InputFile, number>;
}

/** Counts a file's estimated content as read, once. */
function creditWork(state: ImportState, file: InputFile): void {
  state.progress.work += state.workLeft.get(file) ?? 0;
  state.workLeft.delete(file);
}

/** A file decided on: what it adds to the result, applied in file order. */
interface FilePlan {
  apply: () => Promise<void> | void;
  /**
   * Read before its turn (by a worker, or by the main thread between worker batches), so later
   * files may be planned meanwhile; otherwise apply reads it, once every earlier file is applied.
   */
  ahead: boolean;
}

async function planFile(file: InputFile, state: ImportState): Promise<FilePlan> {
  const { options, result, log, seenContent } = state;
  // Hashed first: event ids derive from the file's bytes (design section 3), and a second copy
  // of the same bytes (an export saved twice, under two names) must not double every event.
  const sha256 = await hashRaw(file);
  const first = seenContent.get(sha256);
  if (first) {
    // Nothing is left to read of it: the time left must not wait for it.
    creditWork(state, file);
    const message = `same bytes as ${first.file} (sha256 ${sha256}); imported once, from there`;
    const apply = () => {
      result.accounting.push({
        ...refusedAccounting(file.displayPath, file.size, message),
        sha256,
        importer: first.importer,
        detection: 'duplicate',
      });
      result.notes.push({ kind: 'info', file: file.displayPath, message });
      result.inputs.push({ file, sha256, importer: first.importer });
      log(`duplicate: ${file.displayPath} (${message})`);
    };
    return { apply, ahead: false };
  }

  const gzip = await isGzip(file);
  const { bytes: head, damage: headDamage } = await readContentHead(file, gzip, HEAD_BYTES);

  const chosen = chooseImporter(file, head, options);
  if (!chosen.importer) {
    seenContent.set(sha256, { file: file.displayPath, importer: null });
    const apply = () => unrecognized(state, file, sha256, gzip, head, headDamage, chosen.tried);
    return { apply, ahead: false };
  }
  const importer = chosen.importer;

  let entry = state.runs.get(importer.meta.id);
  if (!entry) {
    entry = { importer, run: startRun(importer, settingsFor(importer, options, undefined)) };
    state.runs.set(importer.meta.id, entry);
  }
  const exportContext = contextFor(file.displayPath, state.contexts);
  // A file with its own export context gets a run of its own, so its zone and year never
  // leak into other files of the same importer.
  const settings = exportContext ? settingsFor(importer, options, exportContext) : undefined;
  const run = settings ? startRun(importer, settings) : entry.run;
  const unique = acceptedIds(run);

  seenContent.set(sha256, { file: file.displayPath, importer: importer.meta.id });
  const info: FileInfo = { path: file.displayPath, sha256, size: file.size };
  const collector = new FileCollector<EncodedActivity>(importer, info, state.sink, unique);
  const settled = (end: FileReadEnd) => {
    // Exports named .gz are written compressed (CloudTrail's S3 delivery always is): plain
    // content under that name was rewritten after the export, which the analyst should know.
    if (!gzip && /\.gz$/i.test(file.displayPath)) {
      result.notes.push({
        kind: 'info',
        file: file.displayPath,
        message: 'named .gz but its content is not gzip-compressed; read as it is',
      });
    }
    settleFile(state, file, chosen.how, collector, end);
  };
  const headText = head.toString('utf8');
  log(`${file.displayPath}: ${importer.meta.id} (${chosen.how})`);

  const pool = workerFor(state, file, importer);
  if (pool) {
    const handle = pool.submit({
      diskPath: file.diskPath,
      displayPath: file.displayPath,
      size: file.size,
      sha256,
      gzip,
      headText,
      importer: importer.meta.id,
      settings: settings ?? settingsFor(importer, options, undefined),
    });
    const apply = async () => {
      const absorb = (unresolved: Unresolved) =>
        options.spill?.parallel?.absorbUnresolved(unresolved);
      const done = await replayTask(handle, collector, importer.meta.id, absorb);
      for (const fact of done.facts) run.takeFact?.(info, fact);
      settled(done.end);
    };
    return { apply, ahead: true };
  }

  const read = async () => {
    const opened = await openContent(file, gzip);
    const session = run.openFile(info, collector);
    return readFileInto(opened, importer, headText, gzip, collector, session);
  };
  if (importer.detached || !state.pool.started) {
    return { apply: async () => settled(await read()), ahead: false };
  }

  // While workers read earlier files, the main thread reads this one between their batches: its
  // run never has worker files, its events go to the activity store and the event list, which
  // are sorted, and what it adds to the result is still applied in file order. Such reads follow
  // one another in file order, so a run's state (Vault's tokens) sees its files in order.
  state.readBeside += 1;
  const reading = state.mainReads.then(read).then((end) => {
    creditWork(state, file);
    return end;
  });
  state.mainReads = reading.then(
    () => undefined,
    () => undefined,
  );
  return { apply: async () => settled(await reading), ahead: true };
}

/** The pool to read a file in, when a worker can: a plain file of a detached built-in importer. */
function workerFor(state: ImportState, file: InputFile, importer: Importer): ImportPool | null {
  const registry = state.options.registry ?? builtInImporters;
  if (
    !importer.detached ||
    registry.get(importer.meta.id) !== builtInImporters.get(importer.meta.id)
  )
    return null;
  if (file.archive !== undefined || state.sink === undefined) return null;
  if (file.size > MAX_WORKER_FILE_BYTES) return null;
  return state.pool.get();
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
  return (event: TimelineEvent | EncodedActivity) => {
    progress.events += 1;
    // Within a large file too, so the progress line keeps moving.
    if ((progress.events & 0xffff) === 0) report();
    // A worker's activity comes resolved and prepared; its other events come as on this thread.
    if ('lines' in event) store.addEncoded(event);
    else if (event.stage === 'activity') store.add(spill.resolve(event));
    else result.events.push(event);
  };
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

async function hashRaw(file: InputFile): Promise<string> {
  return sha256OfStream((await file.open()) as AsyncIterable<Buffer>);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
