// Damaged gzip files keep every record that can be decoded: a bad checksum or bytes after the data
// used to cost the last output chunk (hundreds of complete records) without a count.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openContent } from '../../src/read/content.js';
import { expandInputs } from '../../src/read/inputs.js';
import { decodeMembers } from '../../src/read/tolerant-gunzip.js';

// About 2.5 MB of NDJSON: many times Node's 256 KiB output chunk.
const lines = Array.from({ length: 40_000 }, (_, n) => `{"n":${n},"pad":"${'x'.repeat(48)}"}\n`);
const content = Buffer.from(lines.join(''));
const whole = gzipSync(content);

/** Reads a file's content to its end: the bytes, and what `finished` said. */
async function readContent(bytes: Buffer): Promise<{ text: Buffer; problem: string | null }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dora-gunzip-'));
  const file = path.join(dir, 'log.ndjson.gz');
  writeFileSync(file, bytes);
  const expanded = await expandInputs([file]);
  const opened = await openContent(expanded.files[0], true);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.content as AsyncIterable<Buffer>) chunks.push(chunk);
  const problem = await opened.finished.then(
    () => null,
    (error: Error) => error.message,
  );
  await expanded.close();
  return { text: Buffer.concat(chunks), problem };
}

describe('damaged gzip content', () => {
  it('keeps all of it when only the trailer checksum is wrong, and says it was altered', async () => {
    const bad = Buffer.from(whole);
    bad[bad.length - 6] = (bad[bad.length - 6] as number) ^ 0xff;
    const { text, problem } = await readContent(bad);
    expect(text.equals(content)).toBe(true);
    expect(problem).toMatch(
      /does not match the CRC-32 or size in its gzip trailer: it was altered/,
    );
  });

  it('keeps all of it when other bytes follow the gzip data, and names them', async () => {
    const { text, problem } = await readContent(Buffer.concat([whole, Buffer.from('GARBAGE\n')]));
    expect(text.equals(content)).toBe(true);
    expect(problem).toBe('8 bytes after the gzip data are not gzip data');
  });

  it('reads intact and multi-member files as before, with no problem', async () => {
    expect(await readContent(whole)).toEqual({ text: content, problem: null });
    const twice = Buffer.concat([whole, gzipSync(Buffer.from('{"n":"last"}\n'))]);
    const read = await readContent(twice);
    expect(read.problem).toBeNull();
    expect(read.text.toString().endsWith('{"n":"last"}\n')).toBe(true);
  });
});

describe('decodeMembers', () => {
  it('decodes each member, with a file name in its header, and checks each trailer', () => {
    const named = Buffer.from(whole);
    // FNAME set: a zero-terminated name follows the 10-byte header.
    const withName = Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3]),
      Buffer.from('log.ndjson\0'),
      named.subarray(10),
    ]);
    const second = gzipSync(Buffer.from('tail\n'));
    const decoded = decodeMembers(Buffer.concat([withName, second]));
    expect(decoded.problem).toBeNull();
    expect(decoded.content.equals(Buffer.concat([content, Buffer.from('tail\n')]))).toBe(true);
  });

  it('reports a member cut before its trailer', () => {
    const decoded = decodeMembers(whole.subarray(0, whole.length - 4));
    expect(decoded.problem).toBe('the gzip data ends before its trailer');
    expect(decoded.content.equals(content)).toBe(true);
  });
});
