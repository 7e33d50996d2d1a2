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
import { IdSet } from '../util/id-set.js';
import { prepareActivity } from './activity-store.js';
import type { FileTask, FromWorker, Ops, ToWorker } from './import-pool.js';
import { BATCH_CHARS, BATCH_RECORDS, MAX_UNACKED } from './import-pool.js';
import { readFileInto } from './read-file.js';
import { FileCollector, type OutcomeRecorder } from './run-importer.js';

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
      post({ type: 'failed', task: task.task, message: `${task.displayPath}: ${text}` });
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
  const collector = new FileCollector(importer, info, undefined, new IdSet(), recorder);
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
  post({ type: 'done', task: task.task, facts, end, unresolved: resolver.drainUnresolved() });
}

/** Sends what is recorded; waits while the main thread is MAX_UNACKED batches behind. */
async function sendBatch(task: number, recorder: OpsRecorder): Promise<void> {
  post({ type: 'batch', task, ops: recorder.take() });
  unacked.set(task, (unacked.get(task) ?? 0) + 1);
  while ((unacked.get(task) ?? 0) >= MAX_UNACKED) {
    await new Promise<void>((wake) => (resume = wake));
  }
}

/** Writes outcomes as Ops; activity is resolved and turned into the activity store's lines. */
class OpsRecorder implements OutcomeRecorder {
  private ops: Ops = [];
  records = 0;
  /** Length of the event lines recorded since the last batch. */
  chars = 0;

  accepted(unique: string | undefined, events: TimelineEvent[]): void {
    this.records += 1;
    const ops = this.ops;
    ops.push(0, unique ?? null, events.length);
    for (const event of events) {
      if (event.stage === 'activity') {
        const prepared = prepareActivity(resolver.resolveEvent(event));
        ops.push(1, prepared.key, prepared.compact, prepared.full);
        this.chars += prepared.compact.length + prepared.full.length;
      } else {
        const json = JSON.stringify(event);
        ops.push(0, json);
        this.chars += json.length;
      }
    }
  }

  ignored(kind: string): void {
    this.records += 1;
    this.ops.push(1, kind);
  }

  rejected(locator: string, reason: string, unique: string | undefined): void {
    this.records += 1;
    this.ops.push(2, locator, reason, unique ?? null);
  }

  take(): Ops {
    const ops = this.ops;
    this.ops = [];
    this.records = 0;
    this.chars = 0;
    return ops;
  }
}

function post(message: FromWorker): void {
  (port as NonNullable<typeof port>).postMessage(message);
}
