// Activity events kept out of memory: sorted runs spilled to a temporary folder, merged per pass.
//
// Activity (API calls, commands) is most of a large timeline, and the analysis only summarizes
// it per session. So the events are not held as objects: each is kept as two lines, a compact
// one with the fields correlation reads and the full JSON written to timeline.jsonl. Lines are
// buffered, sorted by (at, id) and written as a run once the buffer is full; a pass over the
// full lines merges the runs, and the compact lines are merged once into one file on their
// first complete pass. Input that fits in one buffer never touches the disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IdentityKind, TimelineEvent } from '../model/event.js';
import { onStop } from '../util/interrupt.js';
import { FileWriter, LineHeap, readLines } from './run-files.js';

/** What correlation reads of an activity event; the rest stays on disk. */
export interface ActivityView {
  id: string;
  at: string;
  stage: 'activity';
  source: { importer: string };
  actor?: { id: string; kind: IdentityKind };
  subject?: { id: string; kind: IdentityKind };
  target?: { id: string };
  grantKey?: string;
  sessionId?: string;
  action: string;
  outcome: 'success' | 'failure';
}

/** One timeline line: the event's JSON as timeline.jsonl holds it. */
export interface TimelineLine {
  at: string;
  id: string;
  json: string;
}

/** Buffered bytes (both lines of every event) before a sorted run goes to disk. */
const DEFAULT_LIMIT_BYTES = 32 * 1024 * 1024;
/** `at` is always 24 characters (UTC with milliseconds), so at + id sorts as (at, id). */
const AT_LENGTH = 24;

/**
 * A run: lines `key\tcompact` and `key\tfull` in (at, id) order, in memory (the last, small
 * run) or in two files.
 */
type Run =
  | { kind: 'memory'; compact: string[]; full: string[] }
  | { kind: 'disk'; compact: string; full: string };

export interface ActivityStoreOptions {
  /** Spill a sorted run once this many bytes are buffered. */
  limitBytes?: number;
  /** Parent of the temporary folder; the system temp folder by default. */
  tempDir?: string;
}

export class ActivityStore {
  private readonly limitBytes: number;
  private readonly tempParent: string;
  private folder: string | null = null;
  private readonly runs: Run[] = [];
  // Lines wait in one reused byte buffer, not as strings: strings held until a spill would
  // outlive the young generation and leave the old one full of garbage after every spill.
  private bytes: Buffer | null = null;
  private used = 0;
  private keys: string[] = [];
  /** Per buffered event: where its compact line starts and ends, then its full line. */
  private spans: number[] = [];
  private sealed = false;
  /** The compact lines of all runs in merged order, once a first read has written them. */
  private mergedCompact: string | null = null;
  private mergingCompact = false;
  /** Unregisters the removal of the temporary folder on exit or on a stopping signal. */
  private forgetFolder: (() => void) | null = null;
  count = 0;
  /** Earliest and latest `at` seen. */
  first: string | null = null;
  last: string | null = null;
  /** UTC days (YYYY-MM-DD) with activity, per importer: the report's coverage chart. */
  readonly days = new Map<string, Set<string>>();

  constructor(options: ActivityStoreOptions = {}) {
    this.limitBytes = options.limitBytes ?? DEFAULT_LIMIT_BYTES;
    this.tempParent = options.tempDir ?? tmpdir();
  }

  /** Adds an activity event whose parties are already resolved. */
  add(event: TimelineEvent): void {
    this.addPrepared(prepareActivity(event));
  }

  /** Adds an event already turned into its lines by `prepareActivity`. */
  addPrepared(prepared: PreparedActivity): void {
    const { compact, full } = prepared;
    // A UTF-16 code unit takes at most three UTF-8 bytes.
    const bytes = this.room((compact.length + full.length) * 3);
    const compactStart = this.used;
    this.used += bytes.write(compact, this.used, 'utf8');
    const fullStart = this.used;
    this.used += bytes.write(full, this.used, 'utf8');
    this.added(prepared, compactStart, fullStart);
  }

  /** Adds an event whose lines come as UTF-8 bytes (from a worker thread). */
  addEncoded(encoded: EncodedActivity): void {
    const bytes = this.room(encoded.lines.length);
    const compactStart = this.used;
    this.used += encoded.lines.copy(bytes, this.used);
    this.added(encoded, compactStart, compactStart + encoded.compactBytes);
  }

  /** The buffer, with `size` bytes free at `used` (a sorted run is spilled first if need be). */
  private room(size: number): Buffer {
    if (this.sealed) throw new Error('activity store is sealed');
    if (this.used + size > this.limitBytes && this.keys.length > 0) this.spill();
    if (this.bytes === null || this.bytes.length < size) {
      this.bytes = Buffer.allocUnsafe(Math.max(this.limitBytes, size));
    }
    return this.bytes;
  }

  private added(event: { at: string; key: string; importer: string }, c: number, f: number) {
    this.keys.push(event.key);
    this.spans.push(c, f, this.used);
    this.count += 1;

    const at = event.at;
    if (this.first === null || at < this.first) this.first = at;
    if (this.last === null || at > this.last) this.last = at;
    let days = this.days.get(event.importer);
    if (!days) this.days.set(event.importer, (days = new Set()));
    days.add(at.slice(0, 10));
  }

  /** Ends the adding; what is still buffered stays in memory as the last run. */
  finish(): void {
    if (this.sealed) return;
    this.sealed = true;
    if (this.keys.length > 0) {
      const bytes = this.bytes as Buffer;
      const compact: string[] = [];
      const full: string[] = [];
      for (const at of this.sortedOrder()) {
        const [c, f, end] = [this.spans[3 * at], this.spans[3 * at + 1], this.spans[3 * at + 2]];
        compact.push(`${this.keys[at]}\t${bytes.toString('utf8', c, f)}`);
        full.push(`${this.keys[at]}\t${bytes.toString('utf8', f, end)}`);
      }
      this.runs.push({ kind: 'memory', compact, full });
    }
    this.clearBuffer();
    this.bytes = null;
  }

  /** How many runs went to disk (for tests and the verbose log). */
  get spilledRuns(): number {
    return this.runs.filter((run) => run.kind === 'disk').length;
  }

  /** Every activity event's compact view, sorted by (at, id). */
  *views(): Generator<ActivityView> {
    for (const line of this.compactLines()) {
      const tab = line.indexOf('\t');
      const fields = JSON.parse(line.slice(tab + 1)) as (string | null)[];
      const [importer, actorId, actorKind, subjectId, subjectKind, targetId] = fields;
      const [grantKey, sessionId, action, outcome] = fields.slice(6);
      const view: ActivityView = {
        id: line.slice(AT_LENGTH, tab),
        at: line.slice(0, AT_LENGTH),
        stage: 'activity',
        source: { importer: importer as string },
        action: action as string,
        outcome: outcome as 'success' | 'failure',
      };
      if (actorId !== null) view.actor = { id: actorId, kind: actorKind as IdentityKind };
      if (subjectId !== null) view.subject = { id: subjectId, kind: subjectKind as IdentityKind };
      if (targetId !== null) view.target = { id: targetId };
      if (grantKey !== null) view.grantKey = grantKey;
      if (sessionId !== null) view.sessionId = sessionId;
      yield view;
    }
  }

  /** Every activity event as its timeline line, sorted by (at, id). */
  *lines(): Generator<TimelineLine> {
    for (const line of this.merged('full')) {
      const tab = line.indexOf('\t');
      const id = line.slice(AT_LENGTH, tab);
      yield { at: line.slice(0, AT_LENGTH), id, json: line.slice(tab + 1) };
    }
  }

  /**
   * The compact lines in order. Correlation and the rules read them several times, so the first
   * complete read of several spilled runs also writes the merged order to one file, and later
   * reads take that file front to back instead of merging every run again.
   */
  private *compactLines(): Generator<string> {
    if (this.mergedCompact !== null) {
      yield* readLines(this.mergedCompact);
      return;
    }
    if (this.spilledRuns < 2 || this.mergingCompact || this.folder === null) {
      yield* this.merged('compact');
      return;
    }

    this.mergingCompact = true;
    const file = path.join(this.folder, 'compact-merged');
    const out = new FileWriter(file);
    let complete = false;
    try {
      for (const line of this.merged('compact')) {
        out.text(line);
        out.newline();
        yield line;
      }
      complete = true;
    } finally {
      out.close();
      this.mergingCompact = false;
      if (complete) this.mergedCompact = file;
      else rmSync(file, { force: true });
    }
  }

  /** Removes the temporary folder; the store is empty afterwards. */
  close(): void {
    this.forgetFolder?.();
    this.forgetFolder = null;
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = null;
    this.mergedCompact = null;
    this.runs.length = 0;
  }

  /** Indices of the buffered events in (at, id) order; ties keep the order they came in. */
  private sortedOrder(): number[] {
    const keys = this.keys;
    const order = keys.map((_, index) => index);
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
    return order;
  }

  private clearBuffer(): void {
    this.keys = [];
    this.spans = [];
    this.used = 0;
  }

  private spill(): void {
    if (this.folder === null) {
      this.folder = mkdtempSync(path.join(this.tempParent, 'dora-evidence-'));
      this.forgetFolder = onStop(() => this.close());
    }
    const base = path.join(this.folder, `run-${this.runs.length}`);
    const run = { kind: 'disk' as const, compact: `${base}.compact`, full: `${base}.full` };
    const order = this.sortedOrder();
    this.writeRun(run.compact, order, 0);
    this.writeRun(run.full, order, 1);
    this.runs.push(run);
    this.clearBuffer();
  }

  /** Writes `key\t<line>\n` for each event in `order`; `which` 0 is compact, 1 full. */
  private writeRun(file: string, order: number[], which: 0 | 1): void {
    const bytes = this.bytes as Buffer;
    const out = new FileWriter(file);
    try {
      for (const at of order) {
        out.text(`${this.keys[at]}\t`);
        out.bytes(bytes, this.spans[3 * at + which], this.spans[3 * at + which + 1]);
        out.newline();
      }
    } finally {
      out.close();
    }
  }

  /** K-way merge of the runs' lines by their key; ties go to the earlier run. */
  private *merged(which: 'compact' | 'full'): Generator<string> {
    if (!this.sealed) throw new Error('activity store read before finish()');
    const sources = this.runs.map((run) =>
      run.kind === 'memory' ? run[which][Symbol.iterator]() : readLines(run[which]),
    );
    const heap = new LineHeap();
    sources.forEach((source, index) => heap.pushNext(source, index));
    while (heap.size > 0) {
      const top = heap.pop();
      yield top.line;
      heap.pushNext(top.source, top.index);
    }
  }
}

/** An activity event as the store keeps it: its sort key and its two lines. */
export interface PreparedActivity {
  at: string;
  importer: string;
  /** `at` + id: sorts as (at, id). */
  key: string;
  compact: string;
  full: string;
}

/** An activity event's two lines as UTF-8, compact first (`compactBytes` long), then full. */
export interface EncodedActivity {
  at: string;
  importer: string;
  key: string;
  lines: Buffer;
  compactBytes: number;
}

/** Turns a resolved activity event into the lines the store keeps of it. */
export function prepareActivity(event: TimelineEvent): PreparedActivity {
  if (event.stage !== 'activity') throw new Error(`not an activity event: ${event.id}`);
  const compact = JSON.stringify([
    event.source.importer,
    event.actor?.id ?? null,
    event.actor?.kind ?? null,
    event.subject?.id ?? null,
    event.subject?.kind ?? null,
    event.target?.id ?? null,
    event.grantKey ?? null,
    event.sessionId ?? null,
    event.action,
    event.outcome,
  ]);
  return {
    at: event.at,
    importer: event.source.importer,
    key: `${event.at}${event.id}`,
    compact,
    full: JSON.stringify(event),
  };
}

type Timed = { at: string; id: string };

/**
 * Merges two sequences that are each sorted by (at, id) into one; on a tie the first sequence's
 * item comes first.
 */
export function* mergeByTime<A extends Timed, B extends Timed>(
  first: Iterable<A>,
  second: Iterable<B>,
): Generator<A | B> {
  const a = first[Symbol.iterator]();
  const b = second[Symbol.iterator]();
  let x = a.next();
  let y = b.next();
  while (!x.done && !y.done) {
    const left = x.value;
    const right = y.value;
    if (left.at < right.at || (left.at === right.at && left.id <= right.id)) {
      yield left;
      x = a.next();
    } else {
      yield right;
      y = b.next();
    }
  }
  while (!x.done) {
    yield x.value;
    x = a.next();
  }
  while (!y.done) {
    yield y.value;
    y = b.next();
  }
}
