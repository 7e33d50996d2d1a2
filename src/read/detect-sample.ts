// Builds what importers' detectors see of a file: its name, head text, first records.
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { DetectionSample } from '../importers/types.js';
import { JsonRecordSplitter } from './json-stream.js';
import { sniffDelimiter } from './csv-stream.js';

export const HEAD_BYTES = 64 * 1024;
const SAMPLE_RECORDS = 20;

export function buildSample(displayPath: string, head: Buffer): DetectionSample {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const allLines = text.split('\n');
  const cut = head.length >= HEAD_BYTES ? allLines.pop() : undefined; // the last line may be cut
  const lines = allLines.slice(0, 50).map((line) => line.replace(/\r$/, ''));
  // A header wider than the head (tens of thousands of columns): its complete cells still tell.
  const headerLines =
    lines.length === 0 && cut !== undefined
      ? [cut.slice(0, cut.lastIndexOf(sniffDelimiter(cut)))]
      : lines;

  return {
    path: displayPath,
    head: text,
    jsonRecords: firstJsonRecords(head),
    csvHeaders: csvHeaders(headerLines),
    lines,
  };
}

function firstJsonRecords(head: Buffer): unknown[] {
  const firstByte = head
    .toString('utf8', 0, Math.min(head.length, 16))
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  if (firstByte !== '{' && firstByte !== '[') return [];
  const records: unknown[] = [];
  const splitter = new JsonRecordSplitter((record, problem) => {
    if (!problem && record.data.kind === 'json' && records.length < SAMPLE_RECORDS)
      records.push(record.data.value);
  });
  splitter.write(head);
  return records;
}

function csvHeaders(lines: string[]): string[] | null {
  const first = lines.find((line) => line.trim().length > 0);
  if (!first) return null;
  const trimmed = first.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('<')) return null;

  const delimiter = sniffDelimiter(first);
  if (!first.includes(delimiter)) return null;
  try {
    const rows = parseCsvSync(first, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
    }) as string[][];
    const headers = rows[0]?.map((cell) => cell.trim()) ?? [];
    return headers.length >= 2 ? headers : null;
  } catch {
    return null;
  }
}
