// The main thread's side of reading files in worker threads: starting the pool when it pays,
// and replaying a worker's outcomes into the file's collector.
import type { Config } from '../config/schema.js';
import type { TimelineEvent } from '../model/event.js';
import type { EncodedActivity } from './activity-store.js';
import { ImportPool, type FromWorker, type Ops, type TaskHandle } from './import-pool.js';
import type { FileCollector } from './run-importer.js';

/** Ids of parties that matched no config entry. */
export interface Unresolved {
  identities: string[];
  targets: string[];
}

/** `at` is always 24 characters (UTC with milliseconds). */
const AT_LENGTH = 24;

/** Reading files in worker threads (files of importers that can read detached from the run). */
export interface ParallelImport {
  /** The config the workers resolve activity with: the same as `spill.resolve`'s. */
  config: Config;
  /** Hands the main thread's resolver what the workers could not resolve. */
  absorbUnresolved(unresolved: Unresolved): void;
  /** Worker threads to start; 0 reads every file on the main thread. */
  threads: number;
  /** Inputs smaller than this in total are read on the main thread (workers take time to start). */
  minBytes: number;
  /** Inputs whose files are smaller than this on average are read on the main thread. */
  minMeanFileBytes: number;
}

/** Replays a worker's batches for one file into its collector; resolves with the worker's end. */
export async function replayTask(
  handle: TaskHandle,
  collector: FileCollector<EncodedActivity>,
  importer: string,
  absorb: (unresolved: Unresolved) => void,
): Promise<Extract<FromWorker, { type: 'done' }>> {
  for (;;) {
    const message = await handle.next();
    if (message.type !== 'batch') return message as Extract<FromWorker, { type: 'done' }>;
    const bytes = Buffer.from(message.bytes, 0, message.length);
    replayOps(message.ops, bytes, collector, importer, absorb);
    handle.ack();
  }
}

function replayOps(
  ops: Ops,
  bytes: Buffer,
  collector: FileCollector<EncodedActivity>,
  importer: string,
  absorb: (unresolved: Unresolved) => void,
): void {
  let at = 0;
  let byte = 0;
  while (at < ops.length) {
    const op = ops[at++];
    if (op === 0) {
      const id = ops[at++] as string | null;
      const unique =
        id === null
          ? undefined
          : { id, fingerprint: ops[at++] as number, locator: ops[at++] as string };
      const count = ops[at++] as number;
      const ready: (TimelineEvent | EncodedActivity)[] = [];
      for (let index = 0; index < count; index += 1) {
        if (ops[at++] === 1) {
          const key = ops[at++] as string;
          const compactBytes = ops[at++] as number;
          const end = byte + compactBytes + (ops[at++] as number);
          const lines = bytes.subarray(byte, end);
          byte = end;
          ready.push({ at: key.slice(0, AT_LENGTH), importer, key, lines, compactBytes });
        } else {
          ready.push(JSON.parse(ops[at++] as string) as TimelineEvent);
        }
      }
      const unresolved = ops[at++] as string | null;
      const kept = collector.replayAccepted(unique, ready);
      if (kept && unresolved !== null) absorb(JSON.parse(unresolved) as Unresolved);
    } else if (op === 1) {
      collector.replayIgnored(ops[at] as string, ops[at + 1] as string);
      at += 2;
    } else {
      collector.replayRejected(ops[at] as string, ops[at + 1] as string);
      at += 2;
    }
  }
}

/** Starts the worker pool on first use, when the inputs are big enough to be worth it. */
export class LazyPool {
  private pool: ImportPool | null = null;
  /** Files handed to the workers so far. */
  filesRead = 0;

  /** Messages the workers sent that are not replayed yet. */
  waiting(): number {
    return this.pool?.counts.waiting ?? 0;
  }

  /** Whether any file went to the workers. */
  get started(): boolean {
    return this.pool !== null;
  }

  get threads(): number {
    return this.parallel?.threads ?? 0;
  }

  constructor(
    private readonly parallel: ParallelImport | undefined,
    private readonly totalBytes: number,
    private readonly totalFiles: number,
  ) {}

  get(): ImportPool | null {
    const parallel = this.parallel;
    if (!parallel || parallel.threads <= 0 || this.totalBytes < parallel.minBytes) return null;
    if (this.totalBytes < parallel.minMeanFileBytes * this.totalFiles) return null;
    this.pool ??= new ImportPool(parallel.threads, parallel.config);
    this.filesRead += 1;
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}
