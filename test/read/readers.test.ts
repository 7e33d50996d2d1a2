// Reader tests over real container quirks: gzip members, BOM + CRLF CSV, repeated headers, ZIP.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openContent, isGzip } from '../../src/read/content.js';
import { expandInputs } from '../../src/read/inputs.js';
import { readRecords, type ReadItem } from '../../src/read/records.js';
import { csvGet, csvGetAll } from '../../src/read/record.js';
import type { InputKind } from '../../src/importers/types.js';
import { echoImporter } from '../helpers/echo-importer.js';
import { bugcase, hasBugcases } from '../helpers/paths.js';

async function readAll(file: string, input: InputKind): Promise<ReadItem[]> {
  const expanded = await expandInputs([file]);
  const [input0] = expanded.files;
  const gzip = await isGzip(input0);
  const opened = await openContent(input0, gzip);
  const head = gzip ? '' : readFileSync(file, 'utf8').slice(0, 4096);
  const items: ReadItem[] = [];
  for await (const item of readRecords(opened.content, echoImporter(input), head)) items.push(item);
  await expanded.close();
  return items;
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'dora-read-'));
}

describe.skipIf(!hasBugcases)('bug cases for readers', () => {
  it('bug-06: decodes every gzip member of a multi-member file', async () => {
    const items = await readAll(bugcase('bug-06', 'okta-system-log-2024-08-19.ndjson.gz'), 'json');
    const uuids = items.map((item) =>
      item.record.data.kind === 'json' ? (item.record.data.value as { uuid: string }).uuid : '',
    );
    expect(items).toHaveLength(5);
    expect(items.every((item) => item.problem === undefined)).toBe(true);
    expect(uuids.map((u) => u.slice(-4))).toEqual(['0001', '0002', '0003', '0004', '0005']);
    expect(items.map((item) => item.record.locator)).toEqual([
      'line 1',
      'line 2',
      'line 3',
      'line 4',
      'line 5',
    ]);
  });

  it('bug-04: strips the BOM from the first header and the CR from every cell', async () => {
    const items = await readAll(bugcase('bug-04', 'change_request_excel_utf8.csv'), 'csv');
    expect(items).toHaveLength(2);
    const rows = items.map((item) =>
      item.record.data.kind === 'csv' ? item.record.data.row : null,
    );
    expect(rows[0]?.headers[0]).toBe('number');
    expect(rows.map((row) => row && csvGet(row, 'number'))).toEqual(['CHG0040017', 'CHG0040018']);
    expect(rows[1] && csvGet(rows[1], 'requested_for')).toBe('Tomás Ibarra');
    expect(rows.flatMap((row) => row?.cells ?? []).some((cell) => cell.endsWith('\r'))).toBe(false);
    expect(items.map((item) => item.record.locator)).toEqual(['row 1', 'row 2']);
  });
});

describe('CSV reader', () => {
  it('keeps repeated header names apart and reads quoted multi-line cells', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'export.csv');
    writeFileSync(
      file,
      'Key,Comment,Comment,Labels\r\nA-1,"first\r\nline two","second, with comma",x\r\n',
    );
    const [item] = await readAll(file, 'csv');
    expect(item.record.data.kind).toBe('csv');
    if (item.record.data.kind !== 'csv') return;
    expect(csvGetAll(item.record.data.row, 'comment')).toEqual([
      'first\r\nline two',
      'second, with comma',
    ]);
  });

  it('sniffs a semicolon delimiter from the header', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'de.csv');
    writeFileSync(file, 'Schlüssel;Status\nACC-1;Erledigt\n');
    const items = await readAll(file, 'csv');
    expect(items[0].record.data.kind === 'csv' && items[0].record.data.row.cells).toEqual([
      'ACC-1',
      'Erledigt',
    ]);
  });

  it('rejects the rest of a file after an unbalanced quote, naming the row', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'broken.csv');
    writeFileSync(file, 'a,b\n1,2\n3,"unterminated\n');
    const items = await readAll(file, 'csv');
    expect(items).toHaveLength(2);
    expect(items[0].problem).toBeUndefined();
    expect(items[1].record.locator).toBe('row 2');
    expect(items[1].problem).toMatch(/CSV cannot be read past row 1/);
  });
});

describe('gzip and archives', () => {
  it('reports a truncated gzip file after keeping what was readable', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cut.ndjson.gz');
    const whole = gzipSync(Buffer.from('{"n":1}\n{"n":2}\n'.repeat(200)));
    writeFileSync(file, whole.subarray(0, whole.length - 12));
    const expanded = await expandInputs([file]);
    const opened = await openContent(expanded.files[0], true);
    const finished = opened.finished.catch((error: Error) => error.message);
    let count = 0;
    await expect(
      (async () => {
        for await (const item of readRecords(opened.content, echoImporter('json'), ''))
          if (!item.problem) count += 1;
      })(),
    ).rejects.toThrow(/unexpected end of file/);
    expect(count).toBeGreaterThan(0);
    expect(await finished).toMatch(/unexpected end of file/);
  });

  it('opens ZIP members in name order and refuses unsafe names one by one', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'in', 'logs'), { recursive: true });
    writeFileSync(path.join(dir, 'in', 'logs', 'b.json'), '[{"b":1}]');
    writeFileSync(path.join(dir, 'in', 'a.json'), '[{"a":1}]');
    const zip = path.join(dir, 'exports.zip');
    execFileSync('python3', [
      '-c',
      [
        'import zipfile, sys',
        'z = zipfile.ZipFile(sys.argv[1], "w")',
        'z.write(sys.argv[2], "logs/b.json")',
        'z.write(sys.argv[3], "a.json")',
        'z.writestr("../evil.json", "[]")',
        'z.writestr("/abs.json", "[]")',
        'info = zipfile.ZipInfo("link.json"); info.external_attr = 0o120777 << 16',
        'z.writestr(info, "/etc/passwd")',
        'z.writestr("big.json", "[" + " " * 50_000_000 + "]", compress_type=zipfile.ZIP_DEFLATED)',
        'z.close()',
      ].join('\n'),
      zip,
      path.join(dir, 'in', 'logs', 'b.json'),
      path.join(dir, 'in', 'a.json'),
    ]);
    const expanded = await expandInputs([zip]);
    const display = zip.split(path.sep).join('/');
    expect(expanded.files.map((f) => f.displayPath)).toEqual([
      `${display}!/a.json`,
      `${display}!/logs/b.json`,
    ]);
    const reasons = expanded.refused.map((r) => r.reason).sort();
    expect(reasons).toHaveLength(4);
    expect(reasons.some((r) => r.includes('leaves the archive'))).toBe(true);
    expect(reasons.some((r) => r.includes('absolute'))).toBe(true);
    expect(reasons.some((r) => r.includes('symbolic link'))).toBe(true);
    expect(reasons.some((r) => r.includes('compression bomb'))).toBe(true);
    await expanded.close();
  });
});
