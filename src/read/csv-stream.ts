// Streams CSV rows with their headers kept in order, so repeated column names stay apart.
import { Parser } from 'csv-parse';
import type { Readable, TransformCallback } from 'node:stream';
import type { RawRecord } from './record.js';
import { collectInvalidUtf8, incompleteTail } from './utf8.js';

/** Picks the delimiter from the header line: the most frequent of , ; TAB outside quotes. */
export function sniffDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

/** Notes the absolute offsets of bytes that are not UTF-8, chunk by chunk. */
class Utf8Scanner {
  readonly invalid: number[] = [];
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;

  scan(chunk: Buffer): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const body = bytes.subarray(0, bytes.length - incompleteTail(bytes));
    collectInvalidUtf8(body, this.offset, this.invalid);
    this.offset += body.length;
    this.carry = Buffer.from(bytes.subarray(body.length));
  }

  end(): void {
    collectInvalidUtf8(this.carry, this.offset, this.invalid);
    if (this.carry.length > 0 && this.invalid.length === 0) this.invalid.push(this.offset);
    this.carry = Buffer.alloc(0);
  }

  /** Removes and returns the malformed offsets before `end`. */
  takeBefore(end: number): number[] {
    let count = 0;
    while (count < this.invalid.length && this.invalid[count] < end) count += 1;
    return this.invalid.splice(0, count);
  }
}

interface ParsedRow {
  record: string[];
  info: { bytes: number };
}

/**
 * csv-parse's stream, driven by hand: the rows of a chunk are captured as they are parsed and a
 * parse fault is kept instead of erroring the stream, because an errored stream discards the
 * rows it had already parsed from that chunk (rows before a broken quote would be lost).
 */
class CapturingParser extends Parser {
  readonly rows: ParsedRow[] = [];
  failure: Error | null = null;

  override push(chunk: unknown): boolean {
    if (chunk === null) return super.push(null);
    this.rows.push(chunk as ParsedRow);
    return true;
  }

  override _transform(buffer: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(buffer, encoding, (error?: Error | null) => {
      if (error) this.failure = error;
      callback();
    });
  }

  override _flush(callback: TransformCallback): void {
    super._flush((error?: Error | null) => {
      if (error) this.failure = error;
      callback();
    });
  }
}

/**
 * Reads CSV from a byte stream: BOM stripped, CRLF or LF, quoted multi-line cells. Each data row
 * is yielded as `row N` (1-based, header excluded). A row holding bytes that are not UTF-8 is
 * rejected with the byte offset instead of being decoded to replacement characters. A parse
 * fault ends the file with one rejected pseudo-record naming the row, after every row before
 * it, since CSV cannot be resynchronized after a broken quote.
 */
export async function* readCsvRecords(
  input: Readable,
  delimiter: string,
): AsyncGenerator<{ record: RawRecord; problem?: string }> {
  const scanner = new Utf8Scanner();
  const parser = new CapturingParser({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: 64 * 1024 * 1024,
  });

  let headers: string[] | null = null;
  let row = 0;
  let previousEnd = 0;

  function* drain(): Generator<{ record: RawRecord; problem?: string }> {
    for (const item of parser.rows.splice(0)) {
      const cells = item.record;
      const invalid = scanner.takeBefore(item.info.bytes);
      const start = previousEnd;
      previousEnd = item.info.bytes;
      if (headers === null) {
        headers = cells.map((cell) => cell.trim());
        if (invalid.length > 0) {
          yield {
            record: { locator: 'header', data: { kind: 'csv', row: { headers, cells: [] } } },
            problem: `invalid UTF-8 at byte ${invalid[0]} in the header row; column names holding it read as U+FFFD`,
          };
        }
        continue;
      }
      row += 1;
      const locator = `row ${row}`;
      if (invalid.length > 0) {
        yield {
          record: { locator, data: { kind: 'csv', row: { headers, cells: [] } } },
          problem:
            `invalid UTF-8 at byte ${invalid[0]} in row ${row} (bytes ${start}..${previousEnd - 1}); ` +
            'the row was not decoded (re-export the file as UTF-8)',
        };
        continue;
      }
      yield { record: { locator, data: { kind: 'csv', row: { headers, cells } } } };
    }
  }

  for await (const chunk of input as AsyncIterable<Buffer>) {
    // After a fault the rest is still read (not parsed), so the file's hashes complete.
    if (parser.failure) continue;
    scanner.scan(chunk);
    parser.write(chunk);
    yield* drain();
  }
  if (!parser.failure) {
    scanner.end();
    await new Promise<void>((resolve) => parser.end(() => resolve()));
    yield* drain();
  }
  if (parser.failure) {
    yield {
      record: {
        locator: `row ${row + 1}`,
        data: { kind: 'csv', row: { headers: headers ?? [], cells: [] } },
      },
      problem: `CSV cannot be read past row ${row}: ${parser.failure.message}`,
    };
  }
}
