// Streams text lines (syslog, CEF) with their 1-based line numbers; blank lines are not records.
import type { Readable } from 'node:stream';
import type { RawRecord } from './record.js';

export async function* readLineRecords(input: Readable): AsyncGenerator<RawRecord> {
  let pending = '';
  let lineNumber = 0;
  let first = true;
  const decoder = new TextDecoder('utf-8');

  for await (const chunk of input as AsyncIterable<Buffer>) {
    let text = pending + decoder.decode(chunk, { stream: true });
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    const lines = text.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      lineNumber += 1;
      const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (clean.trim().length > 0) yield { locator: `line ${lineNumber}`, data: { kind: 'line', text: clean } };
    }
  }

  const rest = (pending + decoder.decode()).replace(/\r$/, '');
  lineNumber += 1;
  if (rest.trim().length > 0) yield { locator: `line ${lineNumber}`, data: { kind: 'line', text: rest } };
}
