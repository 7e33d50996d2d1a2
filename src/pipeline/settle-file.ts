// What each file adds to the import result once it is read (or found unreadable): notes,
// accounting, rejects, events.
import type { FileAccounting } from '../model/accounting.js';
import type { InputFile } from '../read/inputs.js';
import type { EncodedActivity } from './activity-store.js';
import { unreadableHint } from './detect-importer.js';
import { ImportError } from './import-error.js';
import type { ImportProgress, ImportResult } from './import.js';
import { damageText, type FileReadEnd } from './read-file.js';
import type { FileCollector } from './run-importer.js';

/** What settling a file needs of the import's state. */
export interface SettleState {
  result: ImportResult;
  progress: ImportProgress;
  log: (message: string) => void;
}

/** What a read file adds to the result, however it was read. */
export function settleFile(
  state: SettleState,
  file: InputFile,
  how: string,
  collector: FileCollector<EncodedActivity>,
  end: FileReadEnd,
): void {
  const { result, progress } = state;
  if (end.damage !== null) {
    damagedNote(result, file.displayPath, end.damage, 'records after the damage are lost');
  }
  if (end.encoding === 'utf-16le' || end.encoding === 'utf-16be') {
    result.notes.push({
      kind: 'info',
      file: file.displayPath,
      message: `read as ${end.encoding.toUpperCase()} and decoded; byte offsets in its reject reasons count UTF-8 bytes`,
    });
  }
  for (const { id, locator } of collector.conflicts) {
    // CloudTrail gives each event its own eventID: a second record with it and other content
    // means one of the two copies was altered.
    result.notes.push({
      kind: 'integrity-failed',
      file: file.displayPath,
      message:
        `the record at ${locator} has the id ${id} of a record read earlier with other content ` +
        '(time, action, parties or outcome differ); both are kept',
    });
  }
  const fileResult = collector.result();
  result.events.push(...fileResult.events);
  progress.events += fileResult.events.length;
  result.rejected.push(...fileResult.rejected);
  for (const [kind, locator] of Object.entries(fileResult.firstIgnored)) {
    result.firstIgnored.push({ file: file.displayPath, kind, locator });
  }
  const { sha256, importer } = fileResult.accounting;
  result.accounting.push({ ...fileResult.accounting, detection: how });
  result.inputs.push({ file, sha256, importer });
}

export function unrecognized(
  state: SettleState,
  file: InputFile,
  sha256: string,
  gzip: boolean,
  head: Buffer,
  headDamage: string | undefined,
  tried: { importer: string; score: number }[],
): void {
  const { result, log } = state;
  const damage = headDamage === undefined ? undefined : damageText(gzip, headDamage);
  const hint = damage ?? unreadableHint(file, head, gzip);
  // A damaged export is missing evidence, not merely an unknown format: noted as a failed
  // integrity check, which source-integrity-unverified reports as a gap.
  if (damage) damagedNote(result, file.displayPath, damage, 'no record could be read');
  result.unrecognized.push({ file: file.displayPath, tried, ...(hint ? { hint } : {}) });
  const reason = `no importer recognized this file${hint ? ` (${hint})` : ''}`;
  result.accounting.push({ ...refusedAccounting(file.displayPath, file.size, reason), sha256 });
  result.inputs.push({ file, sha256, importer: null });
  log(`unrecognized: ${file.displayPath}`);
}

/**
 * An input the system would not let us read (gone, moved, no permission) is the user's to fix,
 * named with the file, not an internal error; other errors pass unchanged.
 */
export function unreadable(file: Pick<InputFile, 'displayPath'>, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error;
  const message = (error as Error).message;
  return new ImportError(
    `${file.displayPath}: cannot be read (${message}); was it moved, deleted or changed while ` +
      'the build ran?',
  );
}

export function damagedNote(result: ImportResult, file: string, what: string, consequence: string) {
  result.notes.push({ kind: 'integrity-failed', file, message: `${what}; ${consequence}` });
}

export function refusedAccounting(file: string, size: number, reason: string): FileAccounting {
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
