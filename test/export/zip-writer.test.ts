// The ZIP writer: fixed bytes, readable by other tools, ZIP64 exactly when needed (bug-17).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, crc32ForTest } from '../../src/export/crc32.js';
import { ZipWriter, dosDateTime } from '../../src/export/zip-writer.js';
import { sha256Hex } from '../../src/util/hash.js';
import { SafeZip } from '../../src/verify/zip-reader.js';
import { tempDir } from './fixtures.js';

const bugDir = resolve(__dirname, '../../../shared/bugcases/bug-17');
const spec = existsSync(bugDir)
  ? JSON.parse(readFileSync(join(bugDir, 'bundle-spec.json'), 'utf8'))
  : null;
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const hasPython = spawnSync('python3', ['-c', 'import zipfile']).status === 0;
const DATE = new Date('2026-03-31T23:59:59Z');

function unzipTest(path: string): { status: number | null; out: string } {
  const r = spawnSync('unzip', ['-tq', path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function python(script: string, path: string): string {
  const r = spawnSync('python3', ['-c', script, path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

async function smallZip(path: string): Promise<void> {
  const zip = await ZipWriter.create(path, { date: DATE });
  await zip.addBuffer('a.json', Buffer.from('{"a":1}\n'.repeat(50)));
  await zip.addBuffer('empty.txt', Buffer.alloc(0));
  await zip.addStream(
    'stream.jsonl',
    (function* () {
      for (let i = 0; i < 1000; i++) yield `{"i":${i}}\n`;
    })(),
  );
  await zip.addBuffer(
    'random.bin',
    Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 7919) % 251)),
  );
  await zip.finish();
}

describe('ZipWriter', () => {
  it('writes the same bytes twice, with the as-of date and 0644 attributes', async () => {
    const dir = tempDir();
    await smallZip(join(dir, 'a.zip'));
    await smallZip(join(dir, 'b.zip'));
    expect(sha256Hex(readFileSync(join(dir, 'a.zip')))).toBe(
      sha256Hex(readFileSync(join(dir, 'b.zip'))),
    );

    const zip = await SafeZip.open(join(dir, 'a.zip'));
    expect(zip.members.map((m) => m.name)).toEqual([
      'a.json',
      'empty.txt',
      'stream.jsonl',
      'random.bin',
    ]);
    for (const m of zip.members) {
      expect(m.entry.getLastModDate({ timezone: 'UTC' }).toISOString()).toBe(
        '2026-03-31T23:59:58.000Z',
      );
      expect((m.entry.externalFileAttributes >>> 16).toString(8)).toBe('100644');
      expect(m.entry.generalPurposeBitFlag).toBe(0x0800);
    }
    const stream = zip.members[2];
    expect((await zip.read(stream, 1 << 20)).toString().split('\n')[999]).toBe('{"i":999}');
    expect(zip.members[0].entry.compressionMethod).toBe(8);
    expect(zip.members[3].entry.compressionMethod).toBe(0); // deflate would not shrink it
    zip.close();
  });

  it.skipIf(!hasUnzip)('is accepted by unzip -t', async () => {
    const path = join(tempDir(), 'small.zip');
    await smallZip(path);
    expect(unzipTest(path).status).toBe(0);
  });

  it('refuses duplicate and unsafe names, and leaves the caller to remove the file', async () => {
    const path = join(tempDir(), 'bad.zip');
    const zip = await ZipWriter.create(path, { date: DATE });
    await zip.addBuffer('x', Buffer.from('1'));
    await expect(zip.addBuffer('x', Buffer.from('2'))).rejects.toThrow(/duplicate/);
    await expect(zip.addBuffer('../x', Buffer.from('2'))).rejects.toThrow(/bad member name/);
    await expect(zip.addBuffer('/x', Buffer.from('2'))).rejects.toThrow(/absolute/);
    await zip.abort();
    await expect(ZipWriter.create(path, { date: DATE })).rejects.toThrow(/EEXIST/);
  });

  it('clamps DOS dates to 1980..2107', () => {
    expect(dosDateTime(new Date('1970-01-01T00:00:00Z'))).toEqual({ time: 0, date: 33 });
    expect(dosDateTime(new Date('2026-03-31T23:59:59Z')).date).toBe(
      ((2026 - 1980) << 9) | (3 << 5) | 31,
    );
  });

  it('computes the same CRC-32 with the fallback table as natively', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(crc32(data)).toBe(0x414fa339);
    expect(crc32ForTest.tableCrc32(data)).toBe(0x414fa339);
    expect(crc32(data.subarray(10), crc32(data.subarray(0, 10)))).toBe(0x414fa339);
  });
});

describe.skipIf(!spec)('bug-17: ZIP64 with 65,538 entries', () => {
  it('writes ZIP64 end records that unzip, python and yauzl read as 65,538 entries', async () => {
    const variant = spec.variant_many_entries;
    const [many, last] = variant.entries;
    const path = join(tempDir(), 'many.zip');
    const zip = await ZipWriter.create(path, { date: DATE });
    for (let i = 0; i < many.count; i++) {
      const name = many.name_pattern.replace('{i:05d}', String(i).padStart(5, '0'));
      await zip.addBuffer(name, Buffer.from(many.content_pattern.replace('{i}', String(i))));
    }
    await zip.addBuffer(last.name, Buffer.from(last.content));
    await zip.finish();

    const bytes = readFileSync(path);
    const end = bytes.subarray(bytes.length - 22);
    expect(end.readUInt32LE(0)).toBe(0x06054b50);
    expect(end.readUInt16LE(10)).toBe(0xffff);
    const locator = bytes.subarray(bytes.length - 42, bytes.length - 22);
    expect(locator.readUInt32LE(0)).toBe(0x07064b50);
    const zip64End = bytes.subarray(Number(locator.readBigUInt64LE(8)));
    expect(zip64End.readUInt32LE(0)).toBe(0x06064b50);
    expect(Number(zip64End.readBigUInt64LE(32))).toBe(variant.total_entries);

    const reader = await SafeZip.open(path);
    expect(reader.members).toHaveLength(variant.total_entries);
    expect(reader.problems).toEqual([]);
    expect((await reader.read(reader.members[65536], 100)).toString()).toBe(
      '{"uuid":"fict-65536"}\n',
    );
    expect((await reader.read(reader.members[65537], 100)).toString()).toBe(last.content);
    reader.close();

    if (hasUnzip) {
      const result = unzipTest(path);
      expect(result.out).toMatch(/No errors detected/);
      expect(result.status).toBe(0);
    }
    if (hasPython) {
      const out = python(
        'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n' +
          'print(len(z.infolist()), z.testzip(), z.read("manifest.json").decode().strip())',
        path,
      );
      expect(out).toBe('65538 None {"files":65537}');
    }
    rmSync(path);
  }, 120_000);
});

const slow = process.env.DORA_SLOW_TESTS === '1';

describe.skipIf(!spec || !slow)(
  'bug-17: an entry over 4 GiB and small files after the 4 GiB mark (slow)',
  () => {
    it('writes ZIP64 sizes and offsets that every reader agrees on', async () => {
      const variant = spec.variant_large_entry;
      const [large, manifest, signature] = variant.entries;
      const size: number = large.size_bytes;
      const path = join(tempDir(), 'large.zip');
      const chunk = Buffer.alloc(1 << 20);
      for (let i = 0; i < chunk.length; i++) chunk[i] = i & 0xff;
      function* content(): Generator<Buffer> {
        for (let left = size; left > 0; left -= chunk.length)
          yield left >= chunk.length ? chunk : chunk.subarray(0, left);
      }

      const zip = await ZipWriter.create(path, { date: DATE });
      const info = await zip.addStream(large.name, content(), { method: 'store' });
      await zip.addBuffer(manifest.name, Buffer.from(manifest.content));
      // Streamed with unknown size after the 4 GiB mark: reserved ZIP64 local fields.
      await zip.addStream(signature.name, [Buffer.from(signature.content)]);
      await zip.finish();
      expect(info.size).toBe(4294968320);
      expect(statSync(path).size).toBeGreaterThan(0xffffffff);

      const reader = await SafeZip.open(path);
      expect(reader.members.map((m) => [m.name, m.size])).toEqual([
        [large.name, 4294968320],
        [manifest.name, manifest.content.length],
        [signature.name, signature.content.length],
      ]);
      expect(reader.members[1].entry.relativeOffsetOfLocalHeader).toBeGreaterThan(0xffffffff);
      expect((await reader.read(reader.members[1], 1000)).toString()).toBe(manifest.content);
      expect((await reader.read(reader.members[2], 1000)).toString()).toBe(signature.content);
      reader.close();

      if (hasUnzip) expect(unzipTest(path).status).toBe(0);
      if (hasPython) {
        const out = python(
          'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\ni = z.infolist()\n' +
            'print(i[0].file_size, z.read("manifest.json").decode().strip(), ' +
            'z.read("bundle.sig").decode().strip(), i[1].header_offset > 0xFFFFFFFF, z.testzip())',
          path,
        );
        expect(out).toBe(
          `4294968320 ${manifest.content.trim()} ${signature.content.trim()} True None`,
        );
      }
      if (spawnSync('zipdetails', ['-h']).error === undefined) {
        const details = spawnSync('zipdetails', [path], { encoding: 'utf8', maxBuffer: 64 << 20 });
        expect(`${details.stdout}${details.stderr}`).not.toMatch(/WARNING|Error/i);
      }
      rmSync(path);
    }, 900_000);
  },
);
