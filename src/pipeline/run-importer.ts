// Runs one importer over one file's records: keeps the accounting honest and stamps each event.
import type { FileAccounting, RejectedRecord } from '../model/accounting.js';
import type { EventDraft, TimelineEvent } from '../model/event.js';
import type {
  FileInfo,
  FileSession,
  Importer,
  ImporterRun,
  RecordSink,
} from '../importers/types.js';
import type { RawRecord } from '../read/record.js';
import { IdSet } from '../util/id-set.js';
import { fingerprintOf, stampDrafts } from './stamp.js';

export interface FileImportResult {
  accounting: FileAccounting;
  events: TimelineEvent[];
  rejected: RejectedRecord[];
  /** The locator of the first ignored record of each kind, so a count can be traced. */
  firstIgnored: Record<string, string>;
}

/**
 * Ids accepted in a run (CloudTrail eventIDs) with the fingerprints of what their records said:
 * a later record with the id is a duplicate when it says what one of them said, else it is kept
 * too, as a conflict.
 */
export class UniqueIds {
  private readonly first = new IdSet();
  /** Fingerprints of the other contents kept under an id (altered copies: rare). */
  private readonly others = new Map<string, number[]>();

  /** 'new' (now claimed), 'same' as a content kept under the id, or 'other' (now kept too). */
  claim(id: string, fingerprint: number): 'new' | 'same' | 'other' {
    const first = this.first.get(id);
    if (first === undefined) {
      this.first.add(id, fingerprint);
      return 'new';
    }
    if (first === fingerprint) return 'same';
    const others = this.others.get(id);
    if (others?.includes(fingerprint)) return 'same';
    if (others) others.push(fingerprint);
    else this.others.set(id, [fingerprint]);
    return 'other';
  }
}

const idsByRun = new WeakMap<ImporterRun, UniqueIds>();

/** The ids accepted so far in a run, across all its files (the set lives as long as the run). */
export function acceptedIds(run: ImporterRun): UniqueIds {
  let ids = idsByRun.get(run);
  if (!ids) idsByRun.set(run, (ids = new UniqueIds()));
  return ids;
}

/**
 * Hears every outcome a collector settles, in record order: a worker thread sends them to the
 * main thread, which replays them (`replay*`) against the run's ids.
 */
export interface OutcomeRecorder {
  accepted(
    unique: { id: string; fingerprint: number; locator: string } | undefined,
    events: TimelineEvent[],
  ): void;
  ignored(kind: string, locator: string): void;
  rejected(locator: string, reason: string): void;
}

/** An event made elsewhere (in a worker thread): only its instant is read here. */
export interface ReadyEvent {
  at: string;
}

/** Collects outcomes for one file; each record is counted exactly once. */
export class FileCollector<Ready extends ReadyEvent = TimelineEvent> implements RecordSink {
  readonly events: TimelineEvent[] = [];
  readonly rejected: RejectedRecord[] = [];
  // No prototype: a vendor event named `__proto__` must count like any other kind.
  readonly ignoredByKind: Record<string, number> = Object.create(null) as Record<string, number>;
  private readonly firstIgnored: Record<string, string> = Object.create(null) as Record<
    string,
    string
  >;
  read = 0;
  normalized = 0;
  ignored = 0;
  // Records settle by object: a record is one object from the reader, and a WeakSet forgets it
  // once it is gone, so a file of millions of records costs no memory per record here.
  private readonly settled = new WeakSet<RawRecord>();
  /** Records kept although an earlier record of the run had their id with other content. */
  readonly conflicts: { id: string; locator: string }[] = [];
  private from: string | null = null;
  private to: string | null = null;

  /**
   * With `onEvent`, each accepted event is handed on at once instead of being kept, so a large
   * file's events need not all be held until its end. `unique` holds the ids accepted so far in
   * the run (a set of the file's own when not given). With `recorder`, each outcome also goes
   * to it, and accepted events go only to it.
   */
  constructor(
    private readonly importer: Importer,
    private readonly file: FileInfo,
    private readonly onEvent?: (event: TimelineEvent | Ready) => void,
    private readonly unique: UniqueIds = new UniqueIds(),
    private readonly recorder?: OutcomeRecorder,
  ) {}

  /** Called by the reader for every record it yields. */
  counted(record: RawRecord): void {
    this.read += 1;
    void record;
  }

  accept(record: RawRecord, drafts: EventDraft[], unique?: string): void {
    if (!this.settle(record)) return;
    const stamped = stampDrafts(this.importer, this.file, record, drafts);
    if (typeof stamped === 'string') {
      this.rejectNow(record.locator, stamped);
      return;
    }
    const claim =
      unique === undefined
        ? undefined
        : { id: unique, fingerprint: fingerprintOf(stamped), locator: record.locator };
    if (claim && !this.claimed(claim)) return;
    if (this.recorder) {
      this.normalized += 1;
      this.recorder.accepted(claim, stamped);
    } else {
      this.acceptNow(stamped);
    }
  }

  ignore(record: RawRecord, kind: string): void {
    if (!this.settle(record)) return;
    this.ignoreNow(kind, record.locator);
  }

  reject(record: RawRecord, reason: string): void {
    if (!this.settle(record)) return;
    this.rejectNow(record.locator, reason);
  }

  /** A record accepted in a worker: a copy of one the run already has, or its events. */
  replayAccepted(
    unique: { id: string; fingerprint: number; locator: string } | undefined,
    ready: readonly (TimelineEvent | Ready)[],
  ): boolean {
    this.read += 1;
    if (unique && !this.claimed(unique)) return false;
    this.acceptNow(ready);
    return true;
  }

  replayIgnored(kind: string, locator: string): void {
    this.read += 1;
    this.ignoreNow(kind, locator);
  }

  replayRejected(locator: string, reason: string): void {
    this.read += 1;
    this.rejectNow(locator, reason);
  }

  /** Records the importer never settled are rejected, so the sum always balances. */
  settleRemainder(cause?: string): void {
    const missing = this.read - this.normalized - this.ignored - this.rejected.length;
    const reason = `importer ${this.importer.meta.id} gave no outcome for a record${cause ? `: ${cause}` : ''}`;
    for (let i = 0; i < missing; i += 1) this.rejectNow('(unknown)', reason);
  }

  /**
   * Hands one record to the importer. An importer that throws (a bug, or a value no parser
   * survives, such as nesting deep enough to exhaust the stack) costs only that record: it is
   * rejected with the error, and the rest of the file is still read.
   */
  deliver(session: FileSession, record: RawRecord): void {
    try {
      session.record(record);
    } catch (error) {
      this.reject(
        record,
        `importer ${this.importer.meta.id} failed on this record: ${describeError(error)}`,
      );
    }
  }

  /** Ends the importer's file session; a throw there rejects whatever was still unsettled. */
  finish(session: FileSession, content: { contentSha256: string }): void {
    let cause: string | undefined;
    try {
      session.end?.(content);
    } catch (error) {
      cause = `failed at the end of the file: ${describeError(error)}`;
    }
    this.settleRemainder(cause);
  }

  private settle(record: RawRecord): boolean {
    // A second outcome for one record is an importer bug; keep the first and do not double count.
    if (this.settled.has(record)) return false;
    this.settled.add(record);
    return true;
  }

  private acceptNow(events: readonly (TimelineEvent | Ready)[]): void {
    this.normalized += 1;
    for (const event of events) {
      if (this.from === null || event.at < this.from) this.from = event.at;
      if (this.to === null || event.at > this.to) this.to = event.at;
      if (this.onEvent) this.onEvent(event);
      else this.events.push(event as TimelineEvent);
    }
  }

  private ignoreNow(kind: string, locator: string): void {
    this.ignored += 1;
    this.ignoredByKind[kind] = (this.ignoredByKind[kind] ?? 0) + 1;
    this.firstIgnored[kind] ??= locator;
    this.recorder?.ignored(kind, locator);
  }

  private rejectNow(locator: string, reason: string): void {
    this.rejected.push({ file: this.file.path, locator, reason });
    this.recorder?.rejected(locator, reason);
  }

  /**
   * Claims a record's id for the run. An exact copy of a record accepted before (S3 trees repeat
   * events across files) is ignored as a duplicate. A record that shares the id but not the
   * content is kept as well and listed in `conflicts`: which copy is genuine cannot be told, and
   * dropping either could hide the event that matters. False when the record is a duplicate.
   */
  private claimed(claim: { id: string; fingerprint: number; locator: string }): boolean {
    const seen = this.unique.claim(claim.id, claim.fingerprint);
    if (seen === 'same') {
      this.ignoreNow('duplicate', claim.locator);
      return false;
    }
    if (seen === 'other') this.conflicts.push({ id: claim.id, locator: claim.locator });
    return true;
  }

  result(): FileImportResult {
    const { from, to } = this;
    return {
      events: this.events,
      rejected: this.rejected,
      firstIgnored: { ...this.firstIgnored },
      accounting: {
        file: this.file.path,
        sha256: this.file.sha256,
        size: this.file.size,
        importer: this.importer.meta.id,
        read: this.read,
        normalized: this.normalized,
        ignored: this.ignored,
        ignoredByKind: sortKeys(this.ignoredByKind),
        rejected: this.rejected.length,
        coverage: { from, to },
      },
    };
  }
}

function describeError(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return 'the record is nested too deeply to process (RangeError: maximum call stack size exceeded)';
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function sortKeys(object: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Runs an importer over an in-memory list of records (the test harness and small inputs). */
export function importRecords(
  importer: Importer,
  run: ImporterRun,
  file: FileInfo,
  records: Iterable<RawRecord>,
  contentSha256 = file.sha256,
): FileImportResult {
  const collector = new FileCollector(importer, file, undefined, acceptedIds(run));
  const session = run.openFile(file, collector);
  for (const record of records) {
    collector.counted(record);
    collector.deliver(session, record);
  }
  collector.finish(session, { contentSha256 });
  return collector.result();
}
