// Options shared by `inspect` and `build`: which paths, which importers, which zone, how strict.
import path from 'node:path';
import {
  DAMAGE_LOCATOR,
  importPaths,
  ImportError,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
} from '../pipeline/import.js';
import { assertZone, TimeError } from '../util/time.js';
import { UsageError } from './errors.js';
import type { Logger } from './log.js';

export interface InputOptions {
  config?: string;
  timezone?: string;
  source?: string[];
  strict?: boolean;
}

/** What the config contributes to importing (the full config is parsed by src/config). */
export interface ImportConfig {
  timezone?: string;
  sources: { path: string; importer?: string }[];
  importers: Record<string, Record<string, unknown>>;
  /** The folder relative source paths in the config are resolved against. */
  baseDir: string;
}

/** Parses `--source id:path` values. */
export function parseSourceFlags(values: readonly string[]): { path: string; importer: string }[] {
  return values.map((value) => {
    const colon = value.indexOf(':');
    if (colon <= 0 || colon === value.length - 1) {
      throw new UsageError(`--source expects importer-id:path, got ${JSON.stringify(value)}`);
    }
    return { importer: value.slice(0, colon), path: value.slice(colon + 1) };
  });
}

/** Runs the import stage with the options and config, turning input faults into exit 2. */
export async function importFromOptions(
  paths: readonly string[],
  options: InputOptions,
  config: ImportConfig | undefined,
  logger: Logger,
  spill?: ImportOptions['spill'],
): Promise<{ result: ImportResult; allPaths: string[] }> {
  const timezone = options.timezone ?? config?.timezone;
  if (timezone) {
    try {
      assertZone(timezone);
    } catch (error) {
      throw new UsageError(`--timezone: ${(error as TimeError).message}`);
    }
  }

  const forced = parseSourceFlags(options.source ?? []);
  const configSources = (config?.sources ?? []).map((source) => ({
    ...source,
    path: path.relative(process.cwd(), path.resolve(config?.baseDir ?? '.', source.path)) || '.',
  }));
  for (const source of configSources) {
    if (source.importer) forced.push({ path: source.path, importer: source.importer });
  }
  const allPaths = [...paths, ...forced.map((f) => f.path), ...configSources.map((s) => s.path)];
  const unique = [...new Set(allPaths)];
  if (unique.length === 0)
    throw new UsageError('no input paths: give paths, --source, or sources in the config');

  const importOptions: ImportOptions = {
    forced,
    timezone,
    importerOptions: config?.importers,
    log: (message) => logger.debug(message),
    warn: (message) => logger.warn(message),
    onProgress: progressReporter(logger),
    spill,
  };
  let result: ImportResult;
  try {
    result = await importPaths(unique, importOptions);
  } catch (error) {
    if (error instanceof ImportError) throw new UsageError(error.message);
    throw error;
  } finally {
    logger.clearProgress();
  }

  try {
    checkInputs(result, unique.length, options.strict === true, (message) => logger.warn(message));
  } catch (error) {
    result.activity?.close();
    throw error;
  }
  return { result, allPaths: unique };
}

/**
 * The import's progress line (shown only on a terminal without --quiet): files and MB done of
 * the total, events per second, and the time left at the recent rate of content read.
 */
export function progressReporter(
  logger: Logger,
  now: () => number = () => performance.now(),
): (progress: ImportProgress) => void {
  const started = now();
  let shown = -Infinity;
  const estimate = timeLeftEstimator();
  return (progress) => {
    const elapsed = (now() - started) / 1000;
    const last = progress.files === progress.totalFiles;
    // At most four updates a second: a line per small file would cost more than it tells.
    if (!last && elapsed - shown < 0.25) return;
    shown = elapsed;
    logger.progress(progressLine(progress, elapsed, estimate(progress, elapsed)));
  };
}

/** Seconds of recent progress the time left is estimated from. */
const ETA_WINDOW_SECONDS = 15;
/** No estimate before the window spans this long and this share of the bytes is done. */
const ETA_MIN_SPAN_SECONDS = 2;
const ETA_MIN_FRACTION = 0.02;

/**
 * The time left at the rate of the last ETA_WINDOW_SECONDS, in estimated content bytes (gzip
 * counted expanded: a CloudTrail tree is ten times the work of its bytes on disk, a plain Vault
 * log one), or null while that says too little.
 *
 * The rate since the start misleads: the first files finish only after the workers have started
 * and many files are in flight at once, so an estimate made from them came out 40 to 100 times
 * too long (a 20-second import showed 48 minutes left).
 */
export function timeLeftEstimator(): (
  progress: ImportProgress,
  elapsedSeconds: number,
) => number | null {
  const samples: { at: number; work: number }[] = [];
  return (progress, elapsedSeconds) => {
    samples.push({ at: elapsedSeconds, work: progress.work });
    while (
      samples.length > 2 &&
      (samples[1] as { at: number }).at <= elapsedSeconds - ETA_WINDOW_SECONDS
    ) {
      samples.shift();
    }
    const oldest = samples[0] as { at: number; work: number };
    const span = elapsedSeconds - oldest.at;
    const remaining = progress.totalWork - progress.work;
    const doneShare = progress.totalWork > 0 ? progress.work / progress.totalWork : 0;
    if (remaining <= 0 || span < ETA_MIN_SPAN_SECONDS || doneShare < ETA_MIN_FRACTION) return null;
    const rate = (progress.work - oldest.work) / span;
    return rate > 0 ? remaining / rate : null;
  };
}

export function progressLine(
  progress: ImportProgress,
  elapsedSeconds: number,
  secondsLeft: number | null,
): string {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const rate = elapsedSeconds > 0 ? Math.round(progress.events / elapsedSeconds) : 0;
  return (
    `importing: ${progress.files}/${progress.totalFiles} files, ` +
    `${mb(progress.bytes)}/${mb(progress.totalBytes)} MB, ${rate} events/s` +
    (secondsLeft === null ? '' : `, ETA ${formatSeconds(secondsLeft)}`)
  );
}

function formatSeconds(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  if (minutes < 60) return `${minutes}m${two(whole % 60)}s`;
  return `${Math.floor(minutes / 60)}h${two(minutes % 60)}m`;
}

/**
 * Recognized files whose content broke off (truncated gzip, invalid UTF-16): their records
 * before the damage are kept and the rest is a high integrity gap; with --strict such a file is
 * unreadable input, exit 2, like an unrecognized one.
 */
function damagedLines(result: ImportResult): string[] {
  return result.rejected
    .filter((record) => record.locator === DAMAGE_LOCATOR)
    .map((record) => `${record.file}: ${record.reason}`);
}

/**
 * A single unrecognized input is an error (exit 2). Among other inputs, unrecognized and
 * refused files are listed in the accounting; with --strict they make the run fail (exit 2).
 */
function checkInputs(
  result: ImportResult,
  givenPaths: number,
  strict: boolean,
  warn: (message: string) => void,
): void {
  const recognized = result.accounting.filter((file) => file.importer !== null).length;
  const bad = result.accounting.filter((file) => file.importer === null);
  const damaged = damagedLines(result);
  if (!strict) for (const line of damaged) warn(`${line} (--strict makes this an error)`);

  const describe = (file: string) => {
    const unrecognized = result.unrecognized.find((u) => u.file === file);
    if (!unrecognized)
      return `${file}: ${result.accounting.find((a) => a.file === file)?.error ?? 'refused'}`;
    const scored = unrecognized.tried.filter((t) => t.score > 0);
    const tried =
      unrecognized.tried.length === 0
        ? ''
        : scored.length === 0
          ? `all ${unrecognized.tried.length} importers (${unrecognized.tried.map((t) => t.importer).join(', ')}), none scored above 0`
          : `${scored.map((t) => `${t.importer} (score ${t.score})`).join(', ')}; below the detection threshold`;
    const hint = unrecognized.hint ? ` (${unrecognized.hint})` : '';
    return `${file}: no importer recognized it${hint}; tried ${tried || 'none (no importers registered)'}`;
  };
  if (bad.length > 0 && recognized === 0 && givenPaths > 0) {
    throw new UsageError(
      `${bad.map((f) => describe(f.file)).join('\n')}\nuse --source <importer>:<path> to force one`,
    );
  }
  if (!strict) {
    for (const file of bad)
      warn(`${describe(file.file)} (listed in the accounting; --strict makes this an error)`);
    return;
  }
  // Every kind of problem is named at once, so one run tells the analyst all there is to fix.
  const problems: string[] = [];
  if (damaged.length > 0) {
    problems.push(`${damaged.length} input file(s) are damaged:\n${damaged.join('\n')}`);
  }
  if (bad.length > 0) {
    const lines = bad.map((f) => describe(f.file)).join('\n');
    problems.push(`${bad.length} input file(s) could not be imported:\n${lines}`);
  }
  if (problems.length > 0) throw new UsageError(`--strict: ${problems.join('\n--strict: ')}`);
}
