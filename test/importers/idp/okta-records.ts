// Test-only stand-in for the JSON readers: turns Okta export text into located RawRecords.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sha256Hex } from '../../../src/util/hash.js';
import type { DetectionSample, FileInfo } from '../../../src/importers/types.js';
import type { RawRecord } from '../../../src/read/record.js';

/** Splits text into its top-level JSON values (concatenated pages), tracking strings. */
export function topLevelJsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === ']' || c === '}') {
      depth -= 1;
      if (depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return values;
}

/** Records as the lead's reader presents them: array elements by pointer, NDJSON by line. */
export function recordsFromText(text: string, ndjson: boolean): RawRecord[] {
  if (ndjson) {
    return text
      .split('\n')
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, index }) => ({
        locator: `line ${index + 1}`,
        data: { kind: 'json' as const, value: JSON.parse(line) as unknown },
      }));
  }
  const values = topLevelJsonValues(text);
  const records: RawRecord[] = [];
  values.forEach((value, page) => {
    const prefix = values.length > 1 ? `/${page}` : '';
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        records.push({ locator: `${prefix}/${i}`, data: { kind: 'json', value: item } }),
      );
    } else {
      records.push({ locator: prefix || '', data: { kind: 'json', value } });
    }
  });
  return records;
}

export function loadFile(path: string): { file: FileInfo; records: RawRecord[] } {
  const bytes = readFileSync(path);
  const content = path.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  const ndjson = /\.(ndjson|jsonl)(\.gz)?$/.test(path);
  const file: FileInfo = { path, sha256: sha256Hex(bytes), size: bytes.length };
  return { file, records: recordsFromText(content.toString('utf8'), ndjson) };
}

const WRAPPER_KEYS = ['Records', 'value', 'issues', 'values', 'events', 'result', 'records'];

/** A detection sample as the registry builds it: name, head, first records, CSV header, lines. */
export function detectionSampleOf(path: string, unwrap = true): DetectionSample {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.split(/\r?\n/).slice(0, 20);
  let jsonRecords: unknown[] = [];
  try {
    const values = /\.(ndjson|jsonl)(\.gz)?$/.test(path)
      ? lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown)
      : topLevelJsonValues(text);
    for (const value of values) {
      if (Array.isArray(value)) jsonRecords.push(...value);
      else if (unwrap && typeof value === 'object' && value !== null) {
        const key = WRAPPER_KEYS.find((k) => Array.isArray((value as Record<string, unknown>)[k]));
        if (key) jsonRecords.push(...((value as Record<string, unknown>)[key] as unknown[]));
        else jsonRecords.push(value);
      } else jsonRecords.push(value);
    }
  } catch {
    jsonRecords = [];
  }
  jsonRecords = jsonRecords.slice(0, 10);
  const looksCsv =
    !text.trimStart().startsWith('{') && !text.trimStart().startsWith('[') && !text.startsWith('<');
  const csvHeaders =
    looksCsv && lines[0]?.includes(',') ? lines[0].replace(/^\uFEFF/, '').split(',') : null;
  return { path, head: text.slice(0, 65536), jsonRecords, csvHeaders, lines };
}
