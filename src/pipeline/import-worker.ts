// Worker thread entry: reads the files the main thread gives it and sends back every record's
// outcome in batches (the protocol is in import-pool.ts).
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import { importers } from '../importers/index.js';
import type { TimelineEvent } from '../model/event.js';
import { openContent } from '../read/content.js';
import type { InputFile } from '../read/inputs.js';
import { Resolver } from '../resolve/resolver.js';
import { prepareActivity } from './activity-store.js';
import type { FileTask, FromWorker, Ops, ToWorker } from './import-pool.js';
import { BATCH_BYTES, BATCH_RECORDS, MAX_UNACKED } from './import-pool.js';
import { readFileInto } from './read-file.js';
import { FileCollector, UniqueIds, type OutcomeRecorder } from './run-importer.js';

/** The batch buffer's first size, and the most a new one starts with (it grows when needed). */
const MIN_BATCH_BUFFER = 64 * 1024;
const MAX_BUFFER = BATCH_BYTES + BATCH_BYTES / 4;

const port = parentPort;
if (!port) throw new Error('import-worker runs only as a worker thread');

const resolver = new Resolver((workerData as { config: Config }).config);
const tasks: FileTask[] = [];
/** Batches sent and not yet replayed, per task; `resume` wakes a reader waiting on them. */
const unacked = new Map<number, number>();
let resume: (() => void) | null = null;
let running = false;

port.on('message', (message: ToWorker) => {
  if (message.type === 'ack') {
    const behind = unacked.get(message.task);
    if (behind !== undefined) unacked.set(message.task, behind - 1);
    const wake = resume;
    resume = null;
    wake?.();
    return;
  }
  const { type, ...task } = message;
  void type;
  tasks.push(task);
  if (!running) void runTasks();
});

async function runTasks(): Promise<void> {
  running = true;
  for (let task = tasks.shift(); task; task = tasks.shift()) {
    try {
      await readTask(task);
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const code = (error as { code?: unknown }).code;
      post({
        type: 'failed',
        task: task.task,
        message: `${task.displayPath}: ${text}`,
        ...(typeof code === 'string' ? { code, reason: (error as Error).message } : {}),
      });
    }
    unacked.delete(task.task);
  }
  running = false;
}

async function readTask(task: FileTask): Promise<void> {
  const importer = importers.get(task.importer);
  const detached = importer?.detached;
  if (!importer || !detached) throw new Error(`importer ${task.importer} cannot read detached`);

  const file: InputFile = {
    displayPath: task.displayPath,
    size: task.size,
    diskPath: task.diskPath,
    open: () => Promise.resolve(createReadStream(task.diskPath)),
  };
  const info = { path: task.displayPath, sha256: task.sha256, size: task.size };
  const recorder = new OpsRecorder();
  // In-file duplicates are settled here; the main thread checks the rest against the run.
  const collector = new FileCollector(importer, info, undefined, new UniqueIds(), recorder);
  const facts: unknown[] = [];
  const session = detached(task.settings, info, collector, (fact) => facts.push(fact));
  unacked.set(task.task, 0);

  const opened = await openContent(file, task.gzip);
  const end = await readFileInto(
    opened,
    importer,
    task.headText,
    task.gzip,
    collector,
    session,
    () => (recorder.records >= BATCH_RECORDS ? sendBatch(task.task, recorder) : undefined),
  );
  if (recorder.records > 0) await sendBatch(task.task, recorder);
  post({ type: 'done', task: task.task, facts, end });
}

/** Sends what is recorded; waits while the main thread is MAX_UNACKED batches behind. */
async function sendBatch(task: number, recorder: OpsRecorder): Promise<void> {
  const { ops, bytes, length } = recorder.take();
  post({ type: 'batch', task, ops, bytes, length }, [bytes]);
  unacked.set(task, (unacked.get(task) ?? 0) + 1);
  while ((unacked.get(task) ?? 0) >= MAX_UNACKED) {
    await new Promise<void>((wake) => (resume = wake));
  }
}

/**
 * Writes outcomes as Ops. Activity is resolved and turned into the activity store's two lines,
 * which go as UTF-8 into one buffer per batch: the buffer moves to the main thread without a
 * copy, and the main thread copies the bytes into its store without making strings of them.
 */
class OpsRecorder implements OutcomeRecorder {
  private ops: Ops = [];
  // Sized to what the last batch needed: a buffer of BATCH_BYTES for each of thousands of small
  // files (CloudTrail delivers a file every five minutes per region) is external memory that
  // sets V8 collecting all the time.
  private bytes = Buffer.allocUnsafeSlow(MIN_BATCH_BUFFER);
  /** Bytes of event lines recorded since the last batch. */
  used = 0;
  records = 0;

  accepted(
    unique: { id: string; fingerprint: number; locator: string } | undefined,
    events: TimelineEvent[],
  ): void {
    this.records += 1;
    const ops = this.ops;
    if (unique) ops.push(0, unique.id, unique.fingerprint, unique.locator, events.length);
    else ops.push(0, null, events.length);
    let unresolved: { identities: string[]; targets: string[] } | null = null;
    for (const event of events) {
      if (event.stage !== 'activity') {
        ops.push(0, JSON.stringify(event));
        continue;
      }
      const resolved = resolver.resolveEvent(event);
      // Named with the record, so that the main thread counts them only if it keeps the record.
      unresolved = resolver.unresolvedIn(resolved, unresolved);
      const prepared = prepareActivity(resolved);
      // A UTF-16 code unit takes at most three UTF-8 bytes.
      this.reserve((prepared.compact.length + prepared.full.length) * 3);
      const compactBytes = this.bytes.write(prepared.compact, this.used, 'utf8');
      const fullBytes = this.bytes.write(prepared.full, this.used + compactBytes, 'utf8');
      this.used += compactBytes + fullBytes;
      ops.push(1, prepared.key, compactBytes, fullBytes);
    }
    ops.push(unresolved === null ? null : JSON.stringify(unresolved));
  }

  ignored(kind: string, locator: string): void {
    this.records += 1;
    this.ops.push(1, kind, locator);
  }

  rejected(locator: string, reason: string): void {
    this.records += 1;
    this.ops.push(2, locator, reason);
  }

  take(): { ops: Ops; bytes: ArrayBuffer; length: number } {
    const taken = { ops: this.ops, bytes: this.bytes.buffer as ArrayBuffer, length: this.used };
    this.ops = [];
    const next = Math.min(Math.max(MIN_BATCH_BUFFER, this.used + (this.used >> 2)), MAX_BUFFER);
    this.bytes = Buffer.allocUnsafeSlow(next);
    this.used = 0;
    this.records = 0;
    return taken;
  }

  private reserve(size: number): void {
    if (this.used + size <= this.bytes.length) return;
    const larger = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.used + size));
    this.bytes.copy(larger, 0, 0, this.used);
    this.bytes = larger;
  }
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  (port as NonNullable<typeof port>).postMessage(message, transfer);
}
