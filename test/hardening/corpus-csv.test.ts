// Bad-input corpus, CSV: broken quotes, empty bodies, very wide rows, huge cells, broken bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixturesDir, importFiles, runCli, writeInputs } from './helpers.js';

// CyberArk audit events as Sentinel exports them: 9 rows, 8 normalized, 1 ignored.
const rows: string[][] = parse(
  readFileSync(path.join(fixturesDir, 'cyberark', 'sentinel-audit-events.csv')),
  { bom: true },
);
const [header, ...body] = rows;
const csv = (table: string[][]) => stringify(table, { record_delimiter: '\n' });

function counts(file: { read: number; normalized: number; ignored: number; rejected: number }) {
  return {
    read: file.read,
    normalized: file.normalized,
    ignored: file.ignored,
    rejected: file.rejected,
  };
}

beforeAll(() => ensureBuilt());

describe('CSV corpus', () => {
  it('unbalanced quote: the rows before it imported, one rejection naming the row, nothing after', async () => {
    const head = csv([header, body[0], body[1]]);
    const text = `${head}2026-02-10T09:00:00Z,"never closed\n`;
    const line = head.split('\n').length; // the physical line the broken row starts on
    const dir = writeInputs({ 'audit.csv': text });
    const result = await importFiles([dir]);
    expect(result.accounting[0].importer).toBe('cyberark-csv');
    expect(counts(result.accounting[0])).toEqual({
      read: 3,
      normalized: 2,
      ignored: 0,
      rejected: 1,
    });
    expect(result.rejected).toEqual([
      {
        file: `${dir}/audit.csv`,
        locator: 'row 3',
        reason: `CSV cannot be read past row 2: Quote Not Closed: the parsing is finished with an opening quote at line ${line}`,
      },
    ]);
  });

  it('unbalanced quote in the middle: rows before kept even when the fault is in the same chunk', async () => {
    const head = csv([header, body[0], body[1]]);
    const text = `${head}x,"bad"quote\n${csv(body.slice(2))}`;
    const line = head.split('\n').length;
    const dir = writeInputs({ 'audit.csv': text });
    const result = await importFiles([dir]);
    expect(counts(result.accounting[0])).toEqual({
      read: 3,
      normalized: 2,
      ignored: 0,
      rejected: 1,
    });
    expect(result.rejected[0].locator).toBe('row 3');
    expect(result.rejected[0].reason).toBe(
      `CSV cannot be read past row 2: Invalid Closing Quote: got "q" at line ${line} instead of delimiter, ` +
        'record delimiter, trimable character (if activated) or comment',
    );
  });

  it('header only: recognized, zero records, exit 0', () => {
    const dir = writeInputs({ 'audit.csv': csv([header]) });
    const cli = runCli(['inspect', path.join(dir, 'audit.csv'), '--json']);
    expect(cli.code).toBe(0);
    const [file] = JSON.parse(cli.stdout).files;
    expect(file.importer).toBe('cyberark-csv');
    expect(counts(file)).toEqual({ read: 0, normalized: 0, ignored: 0, rejected: 0 });
  });

  it('100k columns: detected from the header start and imported like the narrow file', async () => {
    const extra = Array.from({ length: 100_000 }, (_, i) => `extra${i}`);
    const wide = [[...header, ...extra], ...body.map((row) => [...row, ...extra.map(() => '')])];
    const dir = writeInputs({ 'audit.csv': csv(wide) });
    const result = await importFiles([dir]);
    expect(result.accounting[0].importer).toBe('cyberark-csv');
    expect(counts(result.accounting[0])).toEqual({
      read: 9,
      normalized: 8,
      ignored: 1,
      rejected: 0,
    });
  });

  it('a cell over 1 MB: the row imported as one event', async () => {
    const messageColumn = header.indexOf('message');
    const big = body.map((row) => [...row]);
    big[1][messageColumn] = `ticket INC0012345 ${'x'.repeat(2_000_000)}`;
    const dir = writeInputs({ 'audit.csv': csv([header, ...big]) });
    const result = await importFiles([dir]);
    expect(counts(result.accounting[0])).toEqual({
      read: 9,
      normalized: 8,
      ignored: 1,
      rejected: 0,
    });
    const fromBigRow = result.events.filter((event) => event.source.locator === 'row 2');
    expect(fromBigRow.length).toBe(1);
    expect(fromBigRow[0].at).toBe('2026-02-10T08:55:00.000Z');
  });

  it('a row over the 64 MiB record limit: rows before it kept, that row rejected with the limit', async () => {
    const huge = body.map((row) => [...row]);
    huge[3][header.indexOf('message')] = 'y'.repeat(65 * 1024 * 1024);
    const dir = writeInputs({ 'audit.csv': csv([header, ...huge.slice(0, 5)]) });
    const result = await importFiles([dir]);
    const file = result.accounting[0];
    expect(counts(file)).toEqual({ read: 4, normalized: 3, ignored: 0, rejected: 1 });
    expect(result.rejected[0].locator).toBe('row 4');
    expect(result.rejected[0].reason).toMatch(
      /^CSV cannot be read past row 3: Max Record Size: record exceed the maximum number of tolerated bytes of 67108864/,
    );
  });

  it('invalid UTF-8 in one row: that row rejected with the byte offset, the others imported', async () => {
    const text = Buffer.from(csv([header, ...body]), 'utf8');
    const secondRow = Buffer.byteLength(csv([header, body[0]]));
    const rowEnd = Buffer.byteLength(csv([header, body[0], body[1]])) - 1;
    const at = text.indexOf('Logon', secondRow) + 1;
    text[at] = 0xe9; // Latin-1 é in a UTF-8 file
    const dir = writeInputs({ 'audit.csv': text });
    const result = await importFiles([dir]);
    expect(counts(result.accounting[0])).toEqual({
      read: 9,
      normalized: 7,
      ignored: 1,
      rejected: 1,
    });
    expect(result.rejected[0]).toMatchObject({
      locator: 'row 2',
      reason:
        `invalid UTF-8 at byte ${at} in row 2 (bytes ${secondRow}..${rowEnd}); ` +
        'the row was not decoded (re-export the file as UTF-8)',
    });
  });
});
