// The progress line's work estimate: a gzip file counts as its content, anything else as itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { contentSizeEstimate } from '../../src/pipeline/work-estimate.js';
import type { InputFile } from '../../src/read/inputs.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'dora-work-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function input(name: string, bytes: Buffer, archive?: string): InputFile {
  const diskPath = path.join(scratch, name);
  writeFileSync(diskPath, bytes);
  return {
    displayPath: name,
    size: bytes.length,
    diskPath,
    archive,
    open: () => Promise.reject(new Error('not read here')),
  };
}

describe('contentSizeEstimate', () => {
  const content = Buffer.from(JSON.stringify({ Records: Array(2000).fill({ eventName: 'Get' }) }));

  it('counts a gzip file as what it expands to, whatever its name', () => {
    expect(contentSizeEstimate(input('a.json.gz', gzipSync(content)))).toBe(content.length);
    expect(contentSizeEstimate(input('renamed.json', gzipSync(content)))).toBe(content.length);
  });

  it('counts plain files, archive members and unreadable files as their size', () => {
    expect(contentSizeEstimate(input('plain.json', content))).toBe(content.length);
    const member = input('member.json.gz', gzipSync(content), 'bundle.zip');
    expect(contentSizeEstimate(member)).toBe(member.size);
    const gone = { ...input('gone.gz', gzipSync(content)), diskPath: path.join(scratch, 'none') };
    expect(contentSizeEstimate(gone)).toBe(gone.size);
  });

  it('never counts less than the bytes on disk (a cut or multi-member gzip)', () => {
    const cut = gzipSync(content).subarray(0, 40);
    expect(contentSizeEstimate(input('cut.gz', cut))).toBeGreaterThanOrEqual(40);
  });
});

describe('import progress work', () => {
  it('counts every file once, a byte-identical copy included, and ends at the total', async () => {
    const { importPaths } = await import('../../src/pipeline/import.js');
    const dir = mkdtempSync(path.join(scratch, 'tree-'));
    const log = gzipSync(Buffer.from('{"uuid":"1","eventType":"user.session.start"}\n'));
    writeFileSync(path.join(dir, 'a.ndjson.gz'), log);
    writeFileSync(path.join(dir, 'b.ndjson.gz'), log);
    const seen: { files: number; work: number; totalWork: number }[] = [];
    await importPaths([dir], { onProgress: (p) => seen.push({ ...p }) });
    const expanded = contentSizeEstimate(input('size-of-one.gz', log));
    expect(seen.at(-1)).toMatchObject({ files: 2, work: 2 * expanded, totalWork: 2 * expanded });
    expect(seen.every((p) => p.work <= p.totalWork)).toBe(true);
  });
});
