// The ZIP writer: fixed bytes, readable by other tools, ZIP64 exactly when needed (bug-17).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, crc32ForTest } from '../../src/export/crc32.js';
import { ZipError, ZipWriter, dosDateTime } from '../../src/export/zip-writer.js';
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

describe('ZipWriter layout', () => {
  it('keeps the bytes of every entry kind (pinned: bundles must not change)', async () => {
    const path = join(tempDir(), 'pinned.zip');
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
    await zip.addStream('stored.txt', ['abc', Buffer.from('def')], { method: 'store' });
    await zip.addStream('known.txt', [Buffer.from('x'.repeat(5000))], { expectedSize: 5000 });
    await zip.finish();
    // Written by the writer before entries were streamed through the thread-pool deflate.
    expect(sha256Hex(readFileSync(path))).toBe(
      'c8bd60bece1cab57aa3ee31728570317c25e6fd12d0b5b942c31b2a9a0cefac5',
    );
  });
});

/** Splits `data` into chunks of varying sizes, some as strings when they are ASCII. */
function* pieces(data: Buffer, ascii: boolean): Generator<Buffer | string> {
  let at = 0;
  for (let n = 0; at < data.length; n++) {
    const length = [1, 7, 1000, 65_536, 300_000][n % 5];
    const chunk = data.subarray(at, at + length);
    yield ascii && n % 2 === 1 ? chunk.toString('latin1') : chunk;
    at += length;
  }
}

async function zipOf(
  build: (zip: ZipWriter) => Promise<unknown>,
  options: { gatherLimit?: number } = {},
): Promise<Buffer> {
  const path = join(tempDir(), 'entry.zip');
  const zip = await ZipWriter.create(path, { date: DATE, ...options });
  await zip.addBuffer('before.txt', Buffer.from('first entry\n'.repeat(10)));
  await build(zip);
  await zip.addBuffer('after.txt', Buffer.from('last entry\n'.repeat(10)));
  await zip.finish();
  return readFileSync(path);
}

describe('ZipWriter.addProduced', () => {
  const jsonLike = Buffer.from(
    Array.from({ length: 40_000 }, (_, i) => `{"id":"ev-${i}","name":"Tomás 😀 ${i % 97}"}\n`).join(
      '',
    ),
  );
  const cases: [string, Buffer, boolean][] = [
    ['empty', Buffer.alloc(0), true],
    ['short text', Buffer.from('{"a":1}\n'.repeat(50)), true],
    [
      'short incompressible',
      Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 7919) % 251)),
      false,
    ],
    ['long text', jsonLike, false],
    ['long incompressible', randomBytes(200_000), false],
  ];

  for (const [label, data, ascii] of cases) {
    for (const gatherLimit of [1024, undefined]) {
      it(`writes ${label} as addBuffer does (gather limit ${gatherLimit ?? 'default'})`, async () => {
        const expected = await zipOf((zip) => zip.addBuffer('member.json', data), { gatherLimit });
        let calls = 0;
        const produced = await zipOf(
          (zip) =>
            zip.addProduced('member.json', () => {
              calls += 1;
              return pieces(data, ascii);
            }),
          { gatherLimit },
        );
        expect(sha256Hex(produced)).toBe(sha256Hex(expected));
        const incompressible = label.includes('incompressible');
        // Only a long member that deflate cannot shrink is produced a second time.
        expect(calls).toBe(incompressible && gatherLimit === 1024 && data.length > 1024 ? 2 : 1);
      });
    }
  }

  it('writes a stored member as addBuffer does, and accepts async chunks', async () => {
    const expected = await zipOf((zip) => zip.addBuffer('m.bin', jsonLike, 'store'));
    const produced = await zipOf((zip) =>
      zip.addProduced(
        'm.bin',
        async function* () {
          yield* pieces(jsonLike, false);
        },
        'store',
      ),
    );
    expect(sha256Hex(produced)).toBe(sha256Hex(expected));
  });

  it('reports the size and sha256 of the produced bytes', async () => {
    await zipOf(async (zip) => {
      const info = await zip.addProduced('m.json', () => pieces(jsonLike, false));
      expect(info.size).toBe(jsonLike.length);
      expect(info.sha256).toBe(sha256Hex(jsonLike));
      expect(info.method).toBe('deflate');
      expect(info.compressedSize).toBeLessThan(jsonLike.length / 4);
    });
  });

  it('refuses a producer that gives other bytes when the member is written again', async () => {
    const path = join(tempDir(), 'unstable.zip');
    const zip = await ZipWriter.create(path, { date: DATE, gatherLimit: 1024 });
    await expect(zip.addProduced('noise.bin', () => [randomBytes(50_000)])).rejects.toThrow(
      ZipError,
    );
    await zip.abort();
  });

  it('passes on a producer failure before and after the gathered part, without hanging', async () => {
    for (const failAt of [10, 5000]) {
      const path = join(tempDir(), 'failing.zip');
      const zip = await ZipWriter.create(path, { date: DATE, gatherLimit: 1024 });
      const failing = function* () {
        for (let i = 0; ; i++) {
          if (i === failAt) throw new Error(`producer broke at ${i}`);
          yield `{"line":${i}}\n`;
        }
      };
      await expect(zip.addProduced('f.jsonl', failing)).rejects.toThrow(
        `producer broke at ${failAt}`,
      );
      await expect(zip.addStream('g.jsonl', failing())).rejects.toThrow(
        `producer broke at ${failAt}`,
      );
      await zip.abort();
    }
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
