// Output files written to a temporary sibling and moved into place: never half-written.
import { existsSync, statSync } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { removeOnStop } from '../util/interrupt.js';

export class OutputExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists: pass --force to replace it`);
  }
}

let counter = 0;

/**
 * A temporary path on the same file system as `target`, so the final rename or link is atomic:
 * in the system temp directory when that is on the same file system (a process killed midway
 * then leaves its temp file only there), else beside the target.
 */
export function tempPathFor(target: string): string {
  counter += 1;
  const name = `.${basename(target)}.${process.pid}.${counter}.tmp`;
  return sameFileSystem(tmpdir(), dirname(resolve(target)))
    ? join(tmpdir(), `dora-evidence${name}`)
    : join(dirname(target), name);
}

function sameFileSystem(a: string, b: string): boolean {
  try {
    return statSync(a).dev === statSync(b).dev;
  } catch {
    return false;
  }
}

/** Refuses early (before any work) when `target` exists and `force` is not set. */
export function assertWritable(target: string, force: boolean): void {
  if (!force && existsSync(target)) throw new OutputExistsError(target);
}

/**
 * Runs `produce(tempPath)`, which must create and fully write the temporary file, then moves it
 * to `target`. Without `force`, a hard link claims the name, so a file that appeared meanwhile
 * is still never replaced. On any failure the temporary file is removed and the error rethrown.
 */
export async function writeAtomically<T>(
  target: string,
  force: boolean,
  produce: (tempPath: string) => Promise<T>,
): Promise<T> {
  assertWritable(target, force);
  const temp = tempPathFor(target);
  const forget = removeOnStop(temp);
  try {
    const result = await produce(temp);
    if (force) {
      await rename(temp, target);
    } else {
      await claimWithoutOverwrite(temp, target);
    }
    return result;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  } finally {
    forget();
  }
}

async function claimWithoutOverwrite(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new OutputExistsError(target);
    // Some file systems (FAT, certain network shares) have no hard links: fall back to rename
    // after a fresh existence check.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS')
      throw error;
    assertWritable(target, false);
    await rename(temp, target);
    return;
  }
  await unlink(temp);
}

/** Writes a small file atomically (JUnit reports, detached signatures). */
export async function writeFileAtomically(
  target: string,
  data: string | Buffer,
  force: boolean,
  mode = 0o644,
): Promise<void> {
  await writeAtomically(target, force, async (temp) => {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}
