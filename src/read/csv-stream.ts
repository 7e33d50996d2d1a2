// Streams CSV rows with their headers kept in order, so repeated column names stay apart.
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import type { RawRecord } from './record.js';

/** Picks the delimiter from the header line: the most frequent of , ; TAB outside quotes. */
export function sniffDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

/**
 * Reads CSV from a byte stream: BOM stripped, CRLF or LF, quoted multi-line cells. Each data row
 * is yielded as `row N` (1-based, header excluded). A parse fault ends the file with one rejected
 * pseudo-record naming the line, since CSV cannot be resynchronized after a broken quote.
 */
export async function* readCsvRecords(
  input: Readable,
  delimiter: string,
): AsyncGenerator<{ record: RawRecord; problem?: string }> {
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: 64 * 1024 * 1024,
    }),
  );

  let headers: string[] | null = null;
  let row = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = item.record;
      if (headers === null) {
        headers = cells.map((cell) => cell.trim());
        continue;
      }
      row += 1;
      yield { record: { locator: `row ${row}`, data: { kind: 'csv', row: { headers, cells } } } };
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    yield {
      record: { locator: `row ${row + 1}`, data: { kind: 'csv', row: { headers: headers ?? [], cells: [] } } },
      problem: `CSV cannot be read past row ${row}: ${detail}`,
    };
  }
}
