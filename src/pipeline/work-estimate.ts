// How much reading a file is, for the progress line's time left: gzip files count as what they
// expand to, since a CloudTrail tree of small .gz files is ten times the work of its bytes on disk.
import { closeSync, openSync, readSync } from 'node:fs';
import { hasGzipMagic } from '../read/content.js';
import type { InputFile } from '../read/inputs.js';

/**
 * The file's content size as far as it can be told cheaply: a gzip file's trailer holds the size
 * of its (last) member's content modulo 2^32 (RFC 1952, ISIZE), anything else is its size on
 * disk. Only an estimate: a file of several gzip members counts as its last member, and a file
 * that cannot be read here counts as its size (its reader reports what is wrong with it).
 */
export function contentSizeEstimate(file: InputFile): number {
  if (file.archive !== undefined || file.size < 18) return file.size;
  let fd: number | null = null;
  try {
    fd = openSync(file.diskPath, 'r');
    const head = Buffer.alloc(2);
    readSync(fd, head, 0, 2, 0);
    if (!hasGzipMagic(head)) return file.size;
    const tail = Buffer.alloc(4);
    readSync(fd, tail, 0, 4, file.size - 4);
    return Math.max(tail.readUInt32LE(0), file.size);
  } catch {
    return file.size;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
