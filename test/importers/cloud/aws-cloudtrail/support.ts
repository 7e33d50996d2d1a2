// Test support: reads CloudTrail exports into RawRecords the way the readers present them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { awsCloudTrail } from '../../../../src/importers/cloud/aws-cloudtrail/index.js';
import type { DetectionSample, FileInfo, SourceNote } from '../../../../src/importers/types.js';
import { importRecords, type FileImportResult } from '../../../../src/pipeline/run-importer.js';
import type { RawRecord } from '../../../../src/read/record.js';
import type { TimelineEvent } from '../../../../src/model/event.js';
import { sha256Hex } from '../../../../src/util/hash.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const fixturesDir = path.join(repoRoot, 'fixtures/aws-cloudtrail');

export interface LoadedFile {
  info: FileInfo;
  /** sha256 of the decompressed bytes (what CloudTrail digests hash). */
  contentSha256: string;
  text: string;
  records: RawRecord[];
}

function decompress(bytes: Buffer): Buffer {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/** JSON document (array, Records wrapper, single object) or NDJSON, with reader-style locators. */
export function parseRecords(text: string): RawRecord[] {
  const json = (value: unknown, locator: string): RawRecord => ({
    locator,
    data: { kind: 'json', value },
  });
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    return text
      .split('\n')
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, index }) => json(JSON.parse(line), `line ${index + 1}`));
  }
  if (Array.isArray(whole)) return whole.map((value, i) => json(value, `/${i}`));
  // `{"Records": [...]}` (S3 log files) and `{"Events": [...]}` (lookup-events output).
  for (const key of ['Records', 'Events']) {
    const wrapped = (whole as Record<string, unknown>)[key];
    if (Array.isArray(wrapped)) return wrapped.map((value, i) => json(value, `/${key}/${i}`));
  }
  return [json(whole, '')];
}

/** `display` is the path as the pipeline would show it (relative, forward slashes). */
export function loadFile(
  absolute: string,
  display = path.relative(repoRoot, absolute),
): LoadedFile {
  const bytes = readFileSync(absolute);
  const content = decompress(bytes);
  const text = content.toString('utf8');
  return {
    info: { path: display.split(path.sep).join('/'), sha256: sha256Hex(bytes), size: bytes.length },
    contentSha256: sha256Hex(content),
    text,
    records: parseRecords(text),
  };
}

export interface RunResult {
  files: FileImportResult[];
  notes: SourceNote[];
}

/** One importer run over several files, in the given order (the walk order is sorted). */
export function runFiles(files: LoadedFile[], options: Record<string, unknown> = {}): RunResult {
  const run = awsCloudTrail.createRun({ options });
  const results = files.map((f) =>
    importRecords(awsCloudTrail, run, f.info, f.records, f.contentSha256),
  );
  return { files: results, notes: run.finish?.() ?? [] };
}

export function runRecords(
  values: unknown[],
  options: Record<string, unknown> = {},
  name = 'fixtures/aws-cloudtrail/inline.json',
) {
  const records = values.map((value, i): RawRecord => ({
    locator: `/${i}`,
    data: { kind: 'json', value },
  }));
  const info: FileInfo = { path: name, sha256: sha256Hex(JSON.stringify(values)), size: 1 };
  return runFiles([{ info, contentSha256: info.sha256, text: '', records }], options).files[0];
}

/** The detection sample a reader would build: head text and the first parsed records. */
export function detectionSample(absolute: string): DetectionSample {
  const content = decompress(readFileSync(absolute));
  const head = content.subarray(0, 65536).toString('utf8');
  let jsonRecords: unknown[] = [];
  try {
    jsonRecords = parseRecords(content.toString('utf8'))
      .slice(0, 5)
      .map((r) => (r.data as { value: unknown }).value);
  } catch {
    jsonRecords = [];
  }
  return {
    path: absolute.split(path.sep).join('/'),
    head,
    jsonRecords,
    csvHeaders: null,
    lines: head.split(/\r?\n/).slice(0, 20),
  };
}

/** Every file under `dir`, sorted by path (the order the directory walk gives). */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out.sort();
}

/** The fields the acceptance criteria name, for exact comparison. */
export function essentials(event: TimelineEvent) {
  const {
    at,
    stage,
    actor,
    subject,
    target,
    tickets,
    grantKey,
    expiresAt,
    sessionId,
    mfa,
    outcome,
  } = event;
  return {
    stage,
    at,
    actor,
    subject,
    target,
    tickets,
    grantKey,
    expiresAt,
    sessionId,
    mfa,
    outcome,
    action: event.action,
    durationSeconds: event.durationSeconds,
    locator: event.source.locator,
  };
}
