// Streams text lines (syslog, CEF) with their 1-based line numbers; blank lines are not records.
import type { Readable } from 'node:stream';
import type { RawRecord } from './record.js';
import { invalidUtf8Problem } from './utf8.js';

const NEWLINE = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A line, or a line whose bytes are not UTF-8 (rejected with the byte offset, never decoded). */
export interface LineItem {
  record: RawRecord;
  problem?: string;
}

export async function* readLineRecords(input: Readable): AsyncGenerator<LineItem> {
  let pending: Buffer[] = [];
  let lineNumber = 0;
  let lineStart = 0; // absolute byte offset of the line being collected
  let offset = 0; // absolute byte offset of the chunk being scanned
  let first = true;

  for await (const raw of input as AsyncIterable<Buffer>) {
    const chunk = raw;
    let from = 0;
    if (first) {
      first = false;
      if (chunk.subarray(0, 3).equals(BOM)) from = 3;
      lineStart = from;
    }
    for (let i = chunk.indexOf(NEWLINE, from); i >= 0; i = chunk.indexOf(NEWLINE, from)) {
      // A line inside one chunk is read in place; only a line cut by chunks is joined.
      const bytes =
        pending.length === 0
          ? chunk.subarray(from, i)
          : Buffer.concat([...pending, chunk.subarray(from, i)]);
      lineNumber += 1;
      const item = lineItem(bytes, lineNumber, lineStart);
      pending = [];
      lineStart = offset + i + 1;
      from = i + 1;
      if (item) yield item;
    }
    if (from < chunk.length) pending.push(Buffer.from(chunk.subarray(from)));
    offset += chunk.length;
  }

  lineNumber += 1;
  const item = lineItem(Buffer.concat(pending), lineNumber, lineStart);
  if (item) yield item;
}

function lineItem(bytes: Buffer, lineNumber: number, start: number): LineItem | null {
  const locator = `line ${lineNumber}`;
  const problem = invalidUtf8Problem(bytes, start, locator);
  if (problem) return { record: { locator, data: { kind: 'line', text: '' } }, problem };

  const text = bytes.toString('utf8');
  const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
  return clean.trim().length > 0
    ? { record: { locator, data: { kind: 'line', text: clean } } }
    : null;
}
