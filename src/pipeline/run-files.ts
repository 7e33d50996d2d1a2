// The activity store's run files: a buffered synchronous writer, a lazy line reader, and the
// min-heap that merges the runs' lines by their (at, id) key.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const READ_CHUNK = 1 << 20;
/** Read buffer of each run while merging (grows for a longer line). */
const RUN_READ_CHUNK = 64 * 1024;

/** Appends to a file through a 1 MiB buffer with synchronous writes. */
export class FileWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(READ_CHUNK);
  private used = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  text(value: string): void {
    if (this.used + value.length * 3 > this.buffer.length) this.flush();
    // A text longer than the buffer could hold would be cut by write(): it goes out on its own.
    if (value.length * 3 > this.buffer.length) {
      this.writeAll(Buffer.from(value, 'utf8'));
      return;
    }
    this.used += this.buffer.write(value, this.used, 'utf8');
  }

  bytes(source: Buffer, start: number, end: number): void {
    if (this.used + (end - start) > this.buffer.length) this.flush();
    if (end - start > this.buffer.length) {
      this.writeAll(source.subarray(start, end));
      return;
    }
    this.used += source.copy(this.buffer, this.used, start, end);
  }

  newline(): void {
    if (this.used + 1 > this.buffer.length) this.flush();
    this.buffer[this.used] = 0x0a;
    this.used += 1;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    this.writeAll(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeAll(data: Buffer): void {
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done);
  }
}

/**
 * Reads a file's lines synchronously through a small buffer, making each line's string only when
 * it is asked for: with one reader per run, decoding whole chunks ahead would keep megabytes of
 * strings alive long enough to be promoted, and the old generation would fill with them.
 */
export function* readLines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    let buffer = Buffer.allocUnsafe(RUN_READ_CHUNK);
    let start = 0;
    let end = 0;
    for (;;) {
      const newline = buffer.indexOf(0x0a, start);
      if (newline !== -1 && newline < end) {
        yield buffer.toString('utf8', start, newline);
        start = newline + 1;
        continue;
      }
      if (start > 0) {
        buffer.copy(buffer, 0, start, end);
        end -= start;
        start = 0;
      }
      if (end === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, end);
        buffer = larger;
      }
      const read = readSync(fd, buffer, end, buffer.length - end, null);
      if (read === 0) {
        if (end > start) yield buffer.toString('utf8', start, end);
        return;
      }
      end += read;
    }
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
export class LineHeap {
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
