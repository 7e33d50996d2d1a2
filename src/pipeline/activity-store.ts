// Activity events kept out of memory: sorted runs spilled to a temporary folder, merged per pass.
//
// Activity (API calls, commands) is most of a large timeline, and the analysis only summarizes
// it per session. So the events are not held as objects: each is kept as two lines, a compact
// one with the fields correlation reads and the full JSON written to timeline.jsonl. Lines are
// buffered, sorted by (at, id) and written as a run once the buffer is full; every pass merges
// the runs again. Input that fits in one buffer never touches the disk.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IdentityKind, TimelineEvent } from '../model/event.js';

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
const DEFAULT_LIMIT_BYTES = 24 * 1024 * 1024;
const READ_CHUNK = 1 << 20;
/** `at` is always 24 characters (UTC with milliseconds), so at + id sorts as (at, id). */
const AT_LENGTH = 24;

interface Buffered {
  key: string;
  compact: string;
  full: string;
}

type Run = { kind: 'memory'; compact: string[]; full: string[] } | { kind: 'disk'; compact: string; full: string };

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
  private buffer: Buffered[] = [];
  private bufferBytes = 0;
  private sealed = false;
  private readonly cleanup = () => this.close();
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
    if (this.sealed) throw new Error('activity store is sealed');
    if (event.stage !== 'activity') throw new Error(`not an activity event: ${event.id}`);
    const key = `${event.at}${event.id}`;
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
    const full = JSON.stringify(event);
    this.buffer.push({ key, compact, full });
    this.bufferBytes += key.length + compact.length + full.length;
    this.count += 1;
    if (this.first === null || event.at < this.first) this.first = event.at;
    if (this.last === null || event.at > this.last) this.last = event.at;
    let days = this.days.get(event.source.importer);
    if (!days) this.days.set(event.source.importer, (days = new Set()));
    days.add(event.at.slice(0, 10));
    if (this.bufferBytes >= this.limitBytes) this.spill();
  }

  /** Ends the adding; what is still buffered stays in memory as the last run. */
  finish(): void {
    if (this.sealed) return;
    this.sealed = true;
    const sorted = this.sortedBuffer();
    if (sorted.length > 0) {
      this.runs.push({
        kind: 'memory',
        compact: sorted.map((entry) => `${entry.key}\t${entry.compact}`),
        full: sorted.map((entry) => `${entry.key}\t${entry.full}`),
      });
    }
  }

  /** How many runs went to disk (for tests and the verbose log). */
  get spilledRuns(): number {
    return this.runs.filter((run) => run.kind === 'disk').length;
  }

  /** Every activity event's compact view, sorted by (at, id). */
  *views(): Generator<ActivityView> {
    for (const line of this.merged('compact')) {
      const tab = line.indexOf('\t');
      const [importer, actorId, actorKind, subjectId, subjectKind, targetId, grantKey, sessionId, action, outcome] =
        JSON.parse(line.slice(tab + 1)) as (string | null)[];
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
      yield { at: line.slice(0, AT_LENGTH), id: line.slice(AT_LENGTH, tab), json: line.slice(tab + 1) };
    }
  }

  /** Removes the temporary folder; the store is empty afterwards. */
  close(): void {
    process.off('exit', this.cleanup);
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = null;
    this.runs.length = 0;
  }

  private sortedBuffer(): Buffered[] {
    const sorted = this.buffer;
    this.buffer = [];
    this.bufferBytes = 0;
    // Stable, so two events with the same (at, id) keep the order they were imported in.
    sorted.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return sorted;
  }

  private spill(): void {
    if (this.folder === null) {
      this.folder = mkdtempSync(path.join(this.tempParent, 'dora-evidence-'));
      process.on('exit', this.cleanup);
    }
    const sorted = this.sortedBuffer();
    const base = path.join(this.folder, `run-${this.runs.length}`);
    const run = { kind: 'disk' as const, compact: `${base}.compact`, full: `${base}.full` };
    writeLines(run.compact, sorted.map((entry) => `${entry.key}\t${entry.compact}\n`));
    writeLines(run.full, sorted.map((entry) => `${entry.key}\t${entry.full}\n`));
    this.runs.push(run);
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

function writeLines(file: string, lines: string[]): void {
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < lines.length; i += 4096) {
      const bytes = Buffer.from(lines.slice(i, i + 4096).join(''), 'utf8');
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads a file's lines synchronously, decoding only whole lines (UTF-8 never split). */
function* readLines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    let carry: Buffer = Buffer.alloc(0);
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const read = readSync(fd, chunk, 0, READ_CHUNK, null);
      if (read === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      const end = data.lastIndexOf(0x0a);
      if (end < 0) {
        carry = Buffer.from(data);
        continue;
      }
      const lines = data.toString('utf8', 0, end).split('\n');
      carry = Buffer.from(data.subarray(end + 1));
      yield* lines;
    }
    if (carry.length > 0) yield carry.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

interface HeapItem {
  line: string;
  key: string;
  index: number;
  source: Iterator<string>;
}

/** Min-heap of the runs' current lines by (key, run index). */
class LineHeap {
  private readonly items: HeapItem[] = [];

  get size(): number {
    return this.items.length;
  }

  pushNext(source: Iterator<string>, index: number): void {
    const next = source.next();
    if (next.done) return;
    const line = next.value;
    this.items.push({ line, key: line.slice(0, line.indexOf('\t')), index, source });
    this.up(this.items.length - 1);
  }

  pop(): HeapItem {
    const top = this.items[0];
    const last = this.items.pop() as HeapItem;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(a: HeapItem, b: HeapItem): boolean {
    return a.key < b.key || (a.key === b.key && a.index < b.index);
  }

  private up(at: number): void {
    const items = this.items;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(items[at], items[parent])) return;
      [items[at], items[parent]] = [items[parent], items[at]];
      at = parent;
    }
  }

  private down(at: number): void {
    const items = this.items;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let least = at;
      if (left < items.length && this.less(items[left], items[least])) least = left;
      if (right < items.length && this.less(items[right], items[least])) least = right;
      if (least === at) return;
      [items[at], items[least]] = [items[least], items[at]];
      at = least;
    }
  }
}

/**
 * Merges two sequences that are each sorted by (at, id) into one; on a tie the first sequence's
 * item comes first.
 */
export function* mergeByTime<A extends { at: string; id: string }, B extends { at: string; id: string }>(
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
