// Cleanups that must also run when the process is stopped by a signal (Ctrl-C, kill, a closed
// terminal): Node's default handling of SIGINT, SIGTERM and SIGHUP ends the process without its
// 'exit' listeners, which would leave spilled activity and half-written bundles in the temp folder.
import { rmSync } from 'node:fs';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const cleanups = new Set<() => void>();
let installed = false;

/** Runs `cleanup` (synchronously) on exit or on a stopping signal; returns its remover. */
export function onStop(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  if (!installed) {
    installed = true;
    process.on('exit', runCleanups);
    for (const signal of SIGNALS) process.once(signal, () => stopped(signal));
  }
  return () => cleanups.delete(cleanup);
}

/** Removes `path` (a file or folder) on exit or on a stopping signal, unless removed first. */
export function removeOnStop(path: string): () => void {
  return onStop(() => rmSync(path, { recursive: true, force: true }));
}

function runCleanups(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // A cleanup that fails must not keep the others from running.
    }
  }
  cleanups.clear();
}

function stopped(signal: (typeof SIGNALS)[number]): void {
  runCleanups();
  // On a terminal the import's progress line may be showing: the message replaces it.
  const fresh = process.stderr.isTTY ? '\r\x1b[2K' : '';
  process.stderr.write(`${fresh}dora-evidence: stopped by ${signal}; temporary files removed\n`);
  // The listeners were `once`: raising the signal again gets Node's default handling, so the
  // exit status still tells the caller which signal stopped the build (130 for SIGINT).
  for (const other of SIGNALS) process.removeAllListeners(other);
  process.kill(process.pid, signal);
}
