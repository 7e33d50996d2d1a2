// Block deflate: inflates back to the bytes, and gives the same bytes however the input arrives.
import { inflateRawSync, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, BlockDeflater, deflateBlocksSync } from '../../src/export/block-deflate.js';

/** Text-like bytes that compress, seeded so every run sees the same. */
function sample(size: number, seed = 7): Buffer {
  const words = ['"eventName":', '"GetObject"', '"at":"2026-03-02T10:', '0', '1', 'Z"', ',', '\n'];
  const out = Buffer.alloc(size);
  let state = seed;
  let at = 0;
  while (at < size) {
    state = (state * 1103515245 + 12345) >>> 0;
    at += out.write(words[state % words.length] as string, at);
  }
  return out;
}

async function viaDeflater(data: Buffer, chunkSizes: number[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  const deflater = new BlockDeflater(3, async (out) => {
    parts.push(out);
  });
  let at = 0;
  for (let index = 0; at < data.length; index += 1) {
    const size = chunkSizes[index % chunkSizes.length] as number;
    await deflater.push(data.subarray(at, at + size));
    at += size;
  }
  await deflater.end();
  const joined = Buffer.concat(parts);
  expect(deflater.compressedSize).toBe(joined.length);
  return joined;
}

describe('block deflate', () => {
  const sizes = [0, 1, 1000, BLOCK_BYTES - 1, BLOCK_BYTES, BLOCK_BYTES + 1, 3.5 * BLOCK_BYTES];

  it.each(sizes)('inflates back to the same %i bytes', (size) => {
    const data = sample(size);
    expect(inflateRawSync(deflateBlocksSync(data, 3)).equals(data)).toBe(true);
  });

  it.each(sizes)('streams %i bytes to the bytes of the whole-buffer form', async (size) => {
    const data = sample(size, size + 1);
    const whole = deflateBlocksSync(data, 3);
    expect((await viaDeflater(data, [size || 1])).equals(whole)).toBe(true);
    expect((await viaDeflater(data, [65536, 7, 300000])).equals(whole)).toBe(true);
  });

  it('writes a member of one block exactly as plain deflate does', () => {
    const data = sample(BLOCK_BYTES);
    expect(deflateBlocksSync(data, 6).equals(deflateRawSync(data, { level: 6 }))).toBe(true);
  });

  it('ends every block but the last with a sync flush and finishes only the last', () => {
    const data = sample(2 * BLOCK_BYTES + 10);
    const first = deflateBlocksSync(data.subarray(0, BLOCK_BYTES + 1), 3);
    const firstBlock = first.subarray(
      0,
      first.length -
        deflateRawSync(data.subarray(BLOCK_BYTES, BLOCK_BYTES + 1), { level: 3 }).length,
    );
    // The empty stored block of a sync flush: 00 00 ff ff.
    expect([...firstBlock.subarray(-4)]).toEqual([0x00, 0x00, 0xff, 0xff]);
    expect(deflateBlocksSync(data, 3).length).toBeLessThan(data.length / 4);
  });
});
