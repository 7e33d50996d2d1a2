// Test helpers: turn a file into RawRecords and a DetectionSample the way the readers present them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { RawRecord } from '../../../src/read/record.js';
import type {
  DetectionSample,
  FileInfo,
  Importer,
  RunSettings,
} from '../../../src/importers/types.js';
import { importRecords, type FileImportResult } from '../../../src/pipeline/run-importer.js';
import { sha256Hex } from '../../../src/util/hash.js';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const sharedDir = path.resolve(repoRoot, '../shared');

export function fileInfo(filePath: string, content: string): FileInfo {
  return { path: filePath, sha256: sha256Hex(content), size: Buffer.byteLength(content) };
}

/** One record per line, `line N` 1-based; a final empty line after the last newline is not a record. */
export function lineRecords(content: string): RawRecord[] {
  const lines = content.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((text, i) => ({ locator: `line ${i + 1}`, data: { kind: 'line', text } }));
}

export function csvRecords(content: string): RawRecord[] {
  const rows: string[][] = parse(content, { bom: true, relax_column_count: true });
  const [headers, ...data] = rows;
  return data.map((cells, i) => ({
    locator: `row ${i + 1}`,
    data: { kind: 'csv', row: { headers, cells } },
  }));
}

/** JSON records: elements of a top-level array or of the first array property, else the value. */
export function jsonRecords(content: string): RawRecord[] {
  const value: unknown = JSON.parse(content);
  if (Array.isArray(value))
    return value.map((v, i) => ({ locator: `/${i}`, data: { kind: 'json', value: v } }));
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (Array.isArray(inner)) {
        return inner.map((v, i) => ({ locator: `/${key}/${i}`, data: { kind: 'json', value: v } }));
      }
    }
  }
  return [{ locator: '', data: { kind: 'json', value } }];
}

export function recordsFor(importer: Importer, content: string): RawRecord[] {
  if (importer.input === 'lines') return lineRecords(content);
  if (importer.input === 'csv') return csvRecords(content);
  return jsonRecords(content);
}

export function detectionSample(filePath: string, content: string): DetectionSample {
  const head = content.slice(0, 64 * 1024);
  const lines = head.split(/\r?\n/).slice(0, 50);
  let json: unknown[] = [];
  try {
    const value: unknown = JSON.parse(content);
    json = Array.isArray(value) ? value.slice(0, 20) : [value];
  } catch {
    try {
      json = lines
        .filter((l) => l.trim() !== '')
        .slice(0, 20)
        .map((l) => JSON.parse(l) as unknown);
    } catch {
      json = [];
    }
  }
  let csvHeaders: string[] | null = null;
  if (/\.csv$/i.test(filePath)) {
    const rows: string[][] = parse(lines[0] ?? '', { bom: true, relax_column_count: true });
    csvHeaders = rows[0] ?? null;
  }
  return { path: filePath, head, jsonRecords: json, csvHeaders, lines };
}

export function runImporter(
  importer: Importer,
  filePath: string,
  content: string,
  settings: Partial<RunSettings> = {},
  records: RawRecord[] = recordsFor(importer, content),
): FileImportResult {
  const run = importer.createRun({ options: {}, ...settings });
  return importRecords(importer, run, fileInfo(filePath, content), records);
}

export function readText(filePath: string): string {
  return readFileSync(filePath, 'utf8');
}
