// Test-only stand-in for the CSV and XML readers: located RawRecords from Jira export files.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sha256Hex } from '../../../src/util/hash.js';
import type { FileInfo } from '../../../src/importers/types.js';
import type { RawRecord } from '../../../src/read/record.js';
import { jiraXmlRecords } from '../../../src/importers/ticketing/jira/xml.js';

export function fileInfo(path: string): FileInfo {
  const bytes = readFileSync(path);
  return { path, sha256: sha256Hex(bytes), size: bytes.length };
}

/** CSV rows keeping repeated headers apart, located as `row N` (1-based, header excluded). */
export function csvRecords(text: string): RawRecord[] {
  const rows = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const [headers = [], ...data] = rows;
  return data.map((cells, index) => ({
    locator: `row ${index + 1}`,
    data: { kind: 'csv', row: { headers, cells } },
  }));
}

export function loadCsv(path: string): { file: FileInfo; records: RawRecord[] } {
  return { file: fileInfo(path), records: csvRecords(readFileSync(path, 'utf8')) };
}

export function loadXml(path: string): { file: FileInfo; records: RawRecord[] } {
  return { file: fileInfo(path), records: jiraXmlRecords(readFileSync(path, 'utf8')) };
}
