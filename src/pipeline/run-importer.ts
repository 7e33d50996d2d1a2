// Runs one importer over one file's records: keeps the accounting honest and stamps each event.
import type { FileAccounting, RejectedRecord } from '../model/accounting.js';
import type { EventDraft, TimelineEvent } from '../model/event.js';
import { TimelineEvent as TimelineEventSchema } from '../model/event.js';
import type {
  FileInfo,
  FileSession,
  Importer,
  ImporterRun,
  RecordSink,
} from '../importers/types.js';
import type { RawRecord } from '../read/record.js';
import { stableId } from '../util/hash.js';
import { maskSecrets } from '../util/secrets.js';

export interface FileImportResult {
  accounting: FileAccounting;
  events: TimelineEvent[];
  rejected: RejectedRecord[];
}

/** Collects outcomes for one file; each record is counted exactly once. */
export class FileCollector implements RecordSink {
  readonly events: TimelineEvent[] = [];
  readonly rejected: RejectedRecord[] = [];
  // No prototype: a vendor event named `__proto__` must count like any other kind.
  readonly ignoredByKind: Record<string, number> = Object.create(null) as Record<string, number>;
  read = 0;
  normalized = 0;
  ignored = 0;
  // Records settle by object: a record is one object from the reader, and a WeakSet forgets it
  // once it is gone, so a file of millions of records costs no memory per record here.
  private readonly settled = new WeakSet<RawRecord>();
  private from: string | null = null;
  private to: string | null = null;

  /**
   * With `onEvent`, each accepted event is handed on at once instead of being kept, so a large
   * file's events need not all be held until its end.
   */
  constructor(
    private readonly importer: Importer,
    private readonly file: FileInfo,
    private readonly onEvent?: (event: TimelineEvent) => void,
  ) {}

  /** Called by the reader for every record it yields. */
  counted(record: RawRecord): void {
    this.read += 1;
    void record;
  }

  accept(record: RawRecord, drafts: EventDraft[]): void {
    if (!this.settle(record)) return;
    if (drafts.length === 0) {
      this.rejectNow(record, 'importer produced no event for an accepted record');
      return;
    }
    const stamped: TimelineEvent[] = [];
    for (const [index, draft] of drafts.entries()) {
      const event = this.stamp(record, draft, index);
      const problem = checkEvent(event);
      if (problem) {
        this.rejectNow(record, `importer produced an invalid event: ${problem}`);
        return;
      }
      stamped.push(event);
    }
    this.normalized += 1;
    for (const event of stamped) {
      if (this.from === null || event.at < this.from) this.from = event.at;
      if (this.to === null || event.at > this.to) this.to = event.at;
      if (this.onEvent) this.onEvent(event);
      else this.events.push(event);
    }
  }

  ignore(record: RawRecord, kind: string): void {
    if (!this.settle(record)) return;
    this.ignored += 1;
    this.ignoredByKind[kind] = (this.ignoredByKind[kind] ?? 0) + 1;
  }

  reject(record: RawRecord, reason: string): void {
    if (!this.settle(record)) return;
    this.rejectNow(record, reason);
  }

  /** Records the importer never settled are rejected, so the sum always balances. */
  settleRemainder(cause?: string): void {
    const missing = this.read - this.normalized - this.ignored - this.rejected.length;
    const reason = `importer ${this.importer.meta.id} gave no outcome for a record${cause ? `: ${cause}` : ''}`;
    for (let i = 0; i < missing; i += 1) {
      this.rejected.push({ file: this.file.path, locator: '(unknown)', reason });
    }
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

  private rejectNow(record: RawRecord, reason: string): void {
    this.rejected.push({ file: this.file.path, locator: record.locator, reason });
  }

  private stamp(record: RawRecord, draft: EventDraft, index: number): TimelineEvent {
    const { subLocator, ...fields } = draft;
    const locator = subLocator ? `${record.locator}${subLocator}` : record.locator;

    // withoutSecrets returns a fresh copy, so id and source are added to it in place rather than
    // copied again (millions of events); the key order stays: the draft's fields, id, source.
    const event = withoutSecrets(fields) as TimelineEvent;
    event.id = stableId('ev', this.importer.meta.id, this.file.sha256, locator, String(index));
    event.source = {
      importer: this.importer.meta.id,
      file: this.file.path,
      sha256: this.file.sha256,
      locator,
    };
    return event;
  }

  result(): FileImportResult {
    const { from, to } = this;
    return {
      events: this.events,
      rejected: this.rejected,
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

/**
 * The one place free text enters the timeline: whatever an importer put into a reason, a
 * summary, a party's name or a grant/session key is masked where it looks like a credential (a
 * password pasted into a CyberArk reason, a token in Okta debug data, an unhashed Vault value),
 * so no export, CSV or PDF built from the timeline can carry it.
 */
function withoutSecrets<T extends Omit<EventDraft, 'subLocator'>>(fields: T): T {
  const clean = { ...fields };
  clean.summary = maskSecrets(fields.summary);
  clean.action = maskKey(fields.action);
  if (fields.reason !== undefined) clean.reason = maskSecrets(fields.reason);
  if (fields.grantKey !== undefined) clean.grantKey = maskKey(fields.grantKey);
  if (fields.sessionId !== undefined) clean.sessionId = maskKey(fields.sessionId);
  if (fields.actor) clean.actor = maskParty(fields.actor);
  // Activity names the caller as both actor and subject, often as one object: mask it once.
  if (fields.subject) {
    clean.subject = fields.subject === fields.actor ? clean.actor : maskParty(fields.subject);
  }
  if (fields.target) clean.target = maskParty(fields.target);
  return clean;
}

/**
 * Ids and keys are the sources' own identifiers, where a long random run is usually the id
 * itself (a Vault lease id): there only credential shapes and assignments are masked. A value
 * with blanks in it is text, not an id (a display name with a paste), and is masked fully.
 */
function maskKey(value: string): string {
  return maskSecrets(value, { randomRuns: /\s/.test(value) });
}

function maskParty<P extends { id: string; raw: string; name?: string }>(party: P): P {
  const id = maskKey(party.id);
  const raw = maskKey(party.raw);
  const name = party.name === undefined ? undefined : maskKey(party.name);
  if (id === party.id && raw === party.raw && name === party.name) return party;
  return name === undefined ? { ...party, id, raw } : { ...party, id, raw, name };
}

// Cheap structural check on the hot path; the zod schema runs only when this finds a problem,
// to produce a precise message.
function checkEvent(event: TimelineEvent): string | null {
  const ok =
    typeof event.at === 'string' &&
    event.at.length === 24 &&
    event.at.endsWith('Z') &&
    typeof event.action === 'string' &&
    Array.isArray(event.tickets) &&
    // A blank name (a cell of spaces) normalizes to an empty id, which no party can be.
    hasId(event.actor) &&
    hasId(event.subject) &&
    hasId(event.target);
  if (ok) return null;
  const parsed = TimelineEventSchema.safeParse(event);
  if (parsed.success) return null;
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

function hasId(party: { id: unknown } | undefined): boolean {
  return party === undefined || (typeof party.id === 'string' && party.id.length > 0);
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
  const collector = new FileCollector(importer, file);
  const session = run.openFile(file, collector);
  for (const record of records) {
    collector.counted(record);
    collector.deliver(session, record);
  }
  collector.finish(session, { contentSha256 });
  return collector.result();
}
