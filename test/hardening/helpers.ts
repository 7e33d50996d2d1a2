// Shared helpers for the hardening tests: temp inputs, the built CLI, in-memory imports, fixtures.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { importers } from '../../src/importers/index.js';
import type { Importer, RunSettings } from '../../src/importers/types.js';
import { importPaths, type ImportOptions, type ImportResult } from '../../src/pipeline/import.js';
import { FileCollector, type FileImportResult } from '../../src/pipeline/run-importer.js';
import type { RawRecord } from '../../src/read/record.js';
import { readRecords, type ReadItem } from '../../src/read/records.js';
import { sha256Hex } from '../../src/util/hash.js';
import { repoRoot } from '../helpers/paths.js';

export { repoRoot };
export const fixturesDir = path.join(repoRoot, 'fixtures');

export function tempDir(prefix = 'dora-hard-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes files into a fresh temp folder and returns the folder. */
export function writeInputs(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

export function importer(id: string): Importer {
  const found = importers.get(id);
  if (!found) throw new Error(`no importer ${id}`);
  return found;
}

/** importPaths over the built-in registry, with `id:path` pairs forcing importers. */
export function importFiles(paths: string[], options: ImportOptions = {}): Promise<ImportResult> {
  return importPaths(paths, options);
}

/** The newest modification time under a folder (to tell whether dist/ is stale). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** `npm test` compiles before the tests run; a local vitest run compiles here when dist/ is stale. */
export function ensureBuilt(): void {
  const main = path.join(repoRoot, 'dist', 'cli', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestMtime(path.join(repoRoot, 'src'))) return;
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/dora-evidence.js) with the given arguments. */
export function runCli(
  args: string[],
  options: { cwd?: string; nodeArgs?: string[] } = {},
): CliResult {
  const result = spawnSync(
    process.execPath,
    [...(options.nodeArgs ?? []), path.join(repoRoot, 'bin', 'dora-evidence.js'), ...args],
    {
      cwd: options.cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Reads bytes through the real readers, as the pipeline does for one file of `importer`. */
export async function readBytes(bytes: Buffer, forImporter: Importer): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  const head = bytes.subarray(0, 64 * 1024).toString('utf8');
  for await (const item of readRecords(Readable.from([bytes]), forImporter, head)) items.push(item);
  return items;
}

/**
 * Imports bytes in memory the way importOne does (reader faults rejected, the rest handed to the
 * importer). `thrown` lists the errors the importer itself threw, which the pipeline would have
 * turned into rejections: a hardened importer throws none.
 */
export async function importBytes(
  imp: Importer,
  bytes: Buffer,
  settings: Partial<RunSettings> = {},
  filePath = 'input',
): Promise<FileImportResult & { thrown: string[] }> {
  const items = await readBytes(bytes, imp);
  return importItems(imp, items, settings, filePath, sha256Hex(bytes), bytes.length);
}

/** Runs an importer over reader items, recording any error the importer throws. */
export function importItems(
  imp: Importer,
  items: ReadItem[],
  settings: Partial<RunSettings> = {},
  filePath = 'input',
  sha256 = sha256Hex(filePath),
  size = 0,
): FileImportResult & { thrown: string[] } {
  const info = { path: filePath, sha256, size };
  const collector = new FileCollector(imp, info);
  const thrown: string[] = [];
  const run = imp.createRun({ options: {}, ...settings });
  const session = run.openFile(info, collector);
  for (const item of items) {
    collector.counted(item.record);
    if (item.problem) {
      collector.reject(item.record, item.problem);
      continue;
    }
    try {
      session.record(item.record);
    } catch (error) {
      thrown.push(`${item.record.locator}: ${(error as Error).stack ?? String(error)}`);
      collector.reject(item.record, 'thrown');
    }
  }
  try {
    session.end?.({ contentSha256: sha256 });
  } catch (error) {
    thrown.push(`end: ${(error as Error).stack ?? String(error)}`);
  }
  collector.settleRemainder();
  return { ...collector.result(), thrown };
}

/** Fixture files each importer detects, read once through the pipeline (id -> file paths). */
export async function fixtureFilesByImporter(): Promise<Map<string, string[]>> {
  const result = await importPaths([fixturesDir]);
  const byImporter = new Map<string, string[]>();
  for (const file of result.accounting) {
    if (!file.importer || file.detection === 'duplicate') continue;
    const list = byImporter.get(file.importer) ?? [];
    list.push(file.file);
    byImporter.set(file.importer, list);
  }
  return byImporter;
}

/** The records of a fixture file as the real reader yields them (gzip undone). */
export async function fixtureRecords(file: string, imp: Importer): Promise<RawRecord[]> {
  const bytes = readMaybeGzip(file);
  return (await readBytes(bytes, imp)).filter((item) => !item.problem).map((item) => item.record);
}

export function readMaybeGzip(file: string): Buffer {
  const raw = readFileSync(file);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

/** Builds a ZIP with Python's zipfile (it can write the hostile entries other tools refuse). */
export function writeZip(zipPath: string, script: string[]): void {
  execFileSync(
    'python3',
    [
      '-c',
      ['import zipfile, sys', `z = zipfile.ZipFile(sys.argv[1], "w")`, ...script, 'z.close()'].join(
        '\n',
      ),
      zipPath,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}
