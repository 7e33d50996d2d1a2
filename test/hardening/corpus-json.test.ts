// Bad-input corpus, JSON and text encodings: each hostile file has one exact expected outcome.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixturesDir, importFiles, runCli, writeInputs } from './helpers.js';

// Three Okta System Log records that each normalize to one event (grant, grant, revoke).
const oktaLines = readFileSync(path.join(fixturesDir, 'okta', 'admin-roles-tokens.ndjson'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .slice(0, 3);
const oktaArray = `[${oktaLines.join(',')}]`;
const oktaNdjson = `${oktaLines.join('\n')}\n`;

function counts(file: { read: number; normalized: number; ignored: number; rejected: number }) {
  return {
    read: file.read,
    normalized: file.normalized,
    ignored: file.ignored,
    rejected: file.rejected,
  };
}

beforeAll(() => ensureBuilt());

describe('JSON structure faults', () => {
  it('truncated array: the cut element is rejected with its byte offset, the others imported', async () => {
    const cut = oktaArray.length - 200;
    const dir = writeInputs({ 'okta-cut.json': oktaArray.slice(0, cut) });
    const cli = runCli(['inspect', path.join(dir, 'okta-cut.json'), '--json']);
    expect(cli.code).toBe(0);
    const [file] = JSON.parse(cli.stdout).files;
    expect(file.importer).toBe('okta');
    expect(counts(file)).toEqual({ read: 3, normalized: 2, ignored: 0, rejected: 1 });

    const result = await importFiles([dir]);
    const thirdStart = 1 + oktaLines[0].length + 1 + oktaLines[1].length + 1;
    expect(result.rejected).toEqual([
      {
        file: `${dir}/okta-cut.json`,
        locator: `byte ${thirdStart}`,
        reason: `truncated JSON: input ended inside an array element that began at byte ${thirdStart} (line 1)`,
      },
    ]);
  });

  it('trailing comma: every element imported, the comma counted as a rejected fault with its offset', async () => {
    const text = `${oktaArray.slice(0, -1)},]`;
    const dir = writeInputs({ 'okta-trailing.json': text });
    const result = await importFiles([dir]);
    expect(counts(result.accounting[0])).toEqual({
      read: 4,
      normalized: 3,
      ignored: 0,
      rejected: 1,
    });
    const at = text.length - 1;
    expect(result.rejected[0]).toMatchObject({
      locator: `byte ${at}`,
      reason: `invalid JSON: trailing ',' before ']' at byte ${at} (line 1)`,
    });
  });

  it('NUL byte inside a string: that record rejected as invalid JSON naming its line and offset', async () => {
    const lines = [...oktaLines];
    lines[1] = lines[1].replace('"INFO"', '"IN\u0000FO"');
    const dir = writeInputs({ 'okta-nul.ndjson': `${lines.join('\n')}\n` });
    const result = await importFiles([dir]);
    expect(counts(result.accounting[0])).toEqual({
      read: 3,
      normalized: 2,
      ignored: 0,
      rejected: 1,
    });
    expect(result.rejected[0].locator).toBe('line 2');
    expect(result.rejected[0].reason).toMatch(
      new RegExp(
        `^invalid JSON on line 2 \\(byte ${oktaLines[0].length + 1}\\): Bad control character in string literal`,
      ),
    );
  });

  it('NUL bytes before the content: unrecognized, exit 2 naming the file', () => {
    const dir = writeInputs({
      'nul-prefixed.json': Buffer.concat([Buffer.alloc(16), Buffer.from(oktaArray)]),
    });
    const cli = runCli(['inspect', path.join(dir, 'nul-prefixed.json'), '--json']);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toContain(`${dir}/nul-prefixed.json: no importer recognized it`);
  });

  it('invalid UTF-8 in a record: rejected naming the byte offset, never decoded to U+FFFD', async () => {
    const bytes = Buffer.from(oktaNdjson, 'utf8');
    const where = bytes.indexOf('Grant user privilege', oktaLines[0].length + 1);
    bytes[where + 2] = 0xff;
    const dir = writeInputs({ 'okta-bad-utf8.ndjson': bytes });
    const result = await importFiles([dir]);
    expect(counts(result.accounting[0])).toEqual({
      read: 3,
      normalized: 2,
      ignored: 0,
      rejected: 1,
    });
    const lineStart = oktaLines[0].length + 1;
    expect(result.rejected[0]).toMatchObject({
      locator: 'line 2',
      reason:
        `invalid UTF-8: byte 0xFF at byte ${where + 2} in line 2 starting at byte ${lineStart}; ` +
        'the record was not decoded (re-export the file as UTF-8)',
    });
    expect(result.events.some((event) => event.summary.includes('\uFFFD'))).toBe(false);
  });

  it('invalid UTF-8 inside a streamed array element: that element rejected, the rest imported', async () => {
    const bytes = Buffer.from(oktaArray, 'utf8');
    const second = 1 + oktaLines[0].length + 1;
    bytes[second + 30] = 0xc3; // a lead byte followed by an ASCII byte: malformed
    const dir = writeInputs({ 'okta-bad-utf8.json': bytes });
    const result = await importFiles([dir]);
    expect(counts(result.accounting[0])).toEqual({
      read: 3,
      normalized: 2,
      ignored: 0,
      rejected: 1,
    });
    expect(result.rejected[0].locator).toBe('/1');
    expect(result.rejected[0].reason).toContain(
      `invalid UTF-8: byte 0xC3 at byte ${second + 30} in the record starting at byte ${second}`,
    );
  });

  for (const [name, bom, encode] of [
    ['UTF-16LE', Buffer.from([0xff, 0xfe]), (text: string) => Buffer.from(text, 'utf16le')],
    [
      'UTF-16BE',
      Buffer.from([0xfe, 0xff]),
      (text: string) => Buffer.from(text, 'utf16le').swap16(),
    ],
  ] as const) {
    it(`${name} with a byte order mark: decoded, detected and imported like UTF-8, and noted`, async () => {
      const text = oktaArray.replace('Omar Haddad', 'Ömer Hâddad');
      const dir = writeInputs({ 'okta-utf16.json': Buffer.concat([bom, encode(text)]) });
      const cli = runCli(['inspect', path.join(dir, 'okta-utf16.json'), '--json']);
      expect(cli.code).toBe(0);
      const output = JSON.parse(cli.stdout);
      expect(output.files[0].importer).toBe('okta');
      expect(counts(output.files[0])).toEqual({ read: 3, normalized: 3, ignored: 0, rejected: 0 });
      expect(output.notes).toContainEqual({
        kind: 'info',
        file: `${dir}/okta-utf16.json`,
        message: `read as ${name} and decoded; byte offsets in its reject reasons count UTF-8 bytes`,
      });

      const result = await importFiles([dir]);
      expect(result.events.map((event) => event.at)).toEqual([
        '2026-02-10T09:00:00.000Z',
        '2026-02-10T09:30:00.000Z',
        '2026-02-10T13:30:00.000Z',
      ]);
      expect(JSON.stringify(result.events)).not.toContain('\uFFFD');
    });
  }

  it('UTF-16 with a lone surrogate: the content is reported damaged, records before it kept', async () => {
    const body = Buffer.from(`${oktaLines[0]}\n${oktaLines[1]}\n`, 'utf16le');
    const broken = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      body,
      Buffer.from([0x00, 0xd8, 0x41, 0x00]),
    ]);
    const dir = writeInputs({ 'okta-utf16-broken.ndjson': broken });
    const result = await importFiles([`${dir}/okta-utf16-broken.ndjson`], {
      forced: [{ path: `${dir}/okta-utf16-broken.ndjson`, importer: 'okta' }],
    });
    expect(result.accounting[0].normalized).toBe(2);
    const at = 2 + body.length + 1; // BOM, two records, the high surrogate's second byte
    expect(result.rejected.map((r) => r.reason)).toEqual([
      `content damaged: invalid UTF-16LE: lone surrogate at byte ${at - 1}; records before this point were kept`,
    ]);
  });
});

describe('deep nesting', () => {
  it('100k nested arrays as one element: no stack overflow, the element rejected by the importer', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const file = 'deep.json';
    const dir = writeInputs({ [file]: `[${oktaLines[0]},${deep},${oktaLines[1]}]` });
    const result = await importFiles([dir]);
    expect(result.accounting[0].importer).toBe('okta');
    expect(counts(result.accounting[0])).toEqual({
      read: 3,
      normalized: 2,
      ignored: 0,
      rejected: 1,
    });
    expect(result.rejected[0]).toMatchObject({
      locator: '/1',
      reason: 'expected a JSON object holding an Okta LogEvent',
    });
  });

  it('a record with a 100k-deep value where the importer walks it: rejected, the rest imported', async () => {
    const record = JSON.parse(oktaLines[0]) as Record<string, unknown>;
    const deepText = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const text = JSON.stringify(record).replace(
      '"debugContext":',
      `"debugContext":{"debugData":${deepText}},"x":`,
    );
    const dir = writeInputs({ 'okta-deep.ndjson': `${oktaLines[0]}\n${text}\n${oktaLines[1]}\n` });
    const result = await importFiles([dir]);
    const file = result.accounting[0];
    expect(file.importer).toBe('okta');
    expect(file.read).toBe(3);
    expect(file.read).toBe(file.normalized + file.ignored + file.rejected);
    expect(file.normalized).toBeGreaterThanOrEqual(1);
    for (const rejected of result.rejected)
      expect(rejected.reason).not.toMatch(/Maximum call stack/);
  });

  it('only nesting, no importer: unrecognized and exit 2, never a crash', () => {
    const dir = writeInputs({ 'deep-only.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}` });
    const cli = runCli(['inspect', path.join(dir, 'deep-only.json'), '--json']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`${dir}/deep-only.json: no importer recognized it`);
    expect(cli.stderr).not.toContain('internal error');
  });
});
