// Worker threads that read whole files for the main thread, and the messages between them.
//
// A worker reads, parses, normalizes, stamps and resolves a file's records and sends their
// outcomes in batches; the main thread replays them in file order, so what spans files (the
// run's de-duplication ids, the digest ledger, the accounting) is settled exactly as when the
// main thread reads the file itself. A worker holds at most MAX_UNACKED batches of a file that
// the main thread has not replayed yet, so memory stays bounded however far ahead it is.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import type { RunSettings } from '../importers/types.js';
import type { FileReadEnd } from './read-file.js';

/** Records per batch message, and bytes of event lines after which a batch goes early. */
export const BATCH_RECORDS = 1024;
export const BATCH_BYTES = 2 * 1024 * 1024;
/**
 * A worker's old generation. Unbounded, V8 lets each worker's heap grow to ~100 MB of garbage
 * (measured on the bench); a worker holds only the record it reads and one batch, so 64 MB
 * leaves room for a record of 30 MB (tried; CloudTrail omits request and response elements
 * larger than about 100 KB) while bounding what two workers add to peak memory.
 */
const WORKER_HEAP_MB = 64;
/**
 * A worker's young generation. Left to V8 it is sized from the old one; set small, the workers
 * took 64 MB less peak memory at 1M events for the same time (48 MB of old generation with the
 * young one left to V8 made the build a third slower: collections all the time).
 */
const WORKER_YOUNG_MB = 8;
/** Larger files are read on the main thread, whose heap is not bounded this way. */
export const MAX_WORKER_FILE_BYTES = 64 * 1024 * 1024;
/** Batches a worker sends ahead of the main thread's replay before it waits. */
export const MAX_UNACKED = 6;

/** One file for a worker: where it is and how to read it. */
export interface FileTask {
  task: number;
  diskPath: string;
  displayPath: string;
  size: number;
  sha256: string;
  gzip: boolean;
  headText: string;
  importer: string;
  settings: RunSettings;
}

/**
 * A batch of outcomes, flat for cheap copying between threads, one entry per record:
 * accepted: `0, id, fingerprint, locator, count, events..., unresolved` for a record with a
 * vendor id (CloudTrail eventID), `0, null, count, events..., unresolved` otherwise; each event
 * `1, key, compactBytes, fullBytes` (activity, resolved: its compact and full lines are the
 * next bytes of the batch's buffer, in UTF-8) or `0, json` (any other stage, unresolved);
 * `unresolved` is null or the JSON of the ids its activity names that no config entry matched.
 * Ignored: `1, kind, locator`. Rejected: `2, locator, reason`.
 */
export type Ops = (string | number | null)[];

export type FromWorker =
  | { type: 'batch'; task: number; ops: Ops; bytes: ArrayBuffer; length: number }
  | {
      type: 'done';
      task: number;
      facts: unknown[];
      end: FileReadEnd;
    }
  | { type: 'failed'; task: number; message: string; code?: string; reason?: string };

export type ToWorker = ({ type: 'task' } & FileTask) | { type: 'ack'; task: number };

/** A submitted file: its messages in order, as the worker sends them. */
export class TaskHandle {
  private readonly waiting: FromWorker[] = [];
  private wake: ((message: FromWorker) => void) | null = null;
  private failure: ((error: Error) => void) | null = null;
  private error: Error | null = null;

  constructor(
    readonly task: number,
    private readonly worker: Worker,
    private readonly counts: { waiting: number },
  ) {}

  /** The next message; rejects when the worker failed or died. */
  next(): Promise<FromWorker> {
    const message = this.waiting.shift();
    if (message) {
      this.counts.waiting -= 1;
      return Promise.resolve(message);
    }
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      this.wake = resolve;
      this.failure = reject;
    });
  }

  /** Tells the worker a batch was replayed, so it may read further. */
  ack(): void {
    this.worker.postMessage({ type: 'ack', task: this.task } satisfies ToWorker);
  }

  deliver(message: FromWorker): void {
    const wake = this.wake;
    this.wake = null;
    this.failure = null;
    if (wake) wake(message);
    else {
      this.waiting.push(message);
      this.counts.waiting += 1;
    }
  }

  fail(error: Error): void {
    this.error = error;
    const failure = this.failure;
    this.wake = null;
    this.failure = null;
    failure?.(error);
  }
}

interface Slot {
  worker: Worker;
  /** Tasks given to this worker and not done. */
  open: Map<number, TaskHandle>;
  /** Why the worker is gone, once it is. */
  dead: Error | null;
}

export class ImportPool {
  private readonly slots: Slot[] = [];
  private nextTask = 0;
  /** Messages received from the workers and not yet taken by the main thread. */
  readonly counts = { waiting: 0 };

  constructor(threads: number, config: Config) {
    for (let index = 0; index < threads; index += 1) {
      const worker = new Worker(workerUrl(), {
        workerData: { config },
        resourceLimits: {
          maxOldGenerationSizeMb: WORKER_HEAP_MB,
          maxYoungGenerationSizeMb: WORKER_YOUNG_MB,
        },
      });
      const slot: Slot = { worker, open: new Map(), dead: null };
      worker.on('message', (message: FromWorker) => this.received(slot, message));
      worker.on('error', (error) => this.died(slot, error));
      worker.on('exit', (code) => this.died(slot, new Error(`import worker exited (${code})`)));
      this.slots.push(slot);
    }
  }

  /** Gives a file to the worker with the fewest unfinished files. */
  submit(file: Omit<FileTask, 'task'>): TaskHandle {
    const alive = this.slots.filter((s) => s.dead === null);
    if (alive.length === 0) throw this.slots[0]?.dead ?? new Error('import pool is closed');
    const slot = alive.reduce((best, s) => (s.open.size < best.open.size ? s : best));
    const task = this.nextTask;
    this.nextTask += 1;
    const handle = new TaskHandle(task, slot.worker, this.counts);
    slot.open.set(task, handle);
    slot.worker.postMessage({ type: 'task', task, ...file } satisfies ToWorker);
    return handle;
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.worker.removeAllListeners('exit');
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private received(slot: Slot, message: FromWorker): void {
    const handle = slot.open.get(message.task);
    if (!handle) return;
    if (message.type === 'failed') {
      slot.open.delete(message.task);
      // A system error (the file gone or unreadable) keeps its code and message, as on this thread.
      const error =
        message.code === undefined
          ? new Error(`import worker failed on a file: ${message.message}`)
          : Object.assign(new Error(message.reason), { code: message.code });
      handle.fail(error);
      return;
    }
    if (message.type === 'done') slot.open.delete(message.task);
    handle.deliver(message);
  }

  private died(slot: Slot, error: Error): void {
    if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      error = new Error(
        `an import worker ran out of memory (${WORKER_HEAP_MB} MB heap); ` +
          'DORA_WORKERS=0 reads every file on the main thread',
      );
    }
    slot.dead ??= error;
    for (const handle of slot.open.values()) handle.fail(error);
    slot.open.clear();
  }
}

/**
 * The compiled worker beside this module. Under the test runner the sources run as TypeScript;
 * the worker then runs from dist/, which the test command compiles first.
 */
function workerUrl(): URL {
  const here = new URL('./import-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(here.href.replace('/src/pipeline/', '/dist/pipeline/'));
}
