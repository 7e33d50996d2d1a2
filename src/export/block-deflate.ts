// Deflate in independent 1 MiB blocks, several at once on zlib's thread pool (as pigz does).
//
// One deflate stream runs on one thread, and the timeline of a large bundle is gigabytes: that
// thread set the pace of the whole ZIP stage. Each block is compressed on its own and ended with
// a sync flush (an empty stored block, RFC 1951 3.2.4), which leaves the output byte-aligned and
// not final, so the blocks concatenate into one valid deflate stream; only the last is finished.
// Back-references never reach into the previous block, which costs well under 1 % of the size.
// The output depends only on the bytes and the level, never on how they arrive in chunks or on
// thread timing: the same content always gives the same member bytes.
import * as zlib from 'node:zlib';

/** Uncompressed bytes per block. */
export const BLOCK_BYTES = 1 << 20;
/** Blocks compressed at the same time (libuv's pool has four threads by default). */
const IN_FLIGHT = 3;

const SYNC = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
// Output buffers as large as a block's compressed bytes usually are: zlib's default of 16 KiB
// makes a callback on the main thread for every 16 KiB of output.
const OUTPUT_CHUNK = 256 * 1024;

/** The whole buffer deflated as BlockDeflater would: what a member's bytes must be. */
export function deflateBlocksSync(data: Buffer, level: number): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (data.length - start > BLOCK_BYTES) {
    parts.push(zlib.deflateRawSync(data.subarray(start, start + BLOCK_BYTES), { level, ...SYNC }));
    start += BLOCK_BYTES;
  }
  parts.push(zlib.deflateRawSync(data.subarray(start), { level }));
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/** Takes bytes in any chunking; writes the deflated blocks in order. */
export class BlockDeflater {
  private readonly block = Buffer.allocUnsafe(BLOCK_BYTES);
  private used = 0;
  private readonly pending: Promise<Buffer>[] = [];
  compressedSize = 0;

  constructor(
    private readonly level: number,
    private readonly write: (out: Buffer) => Promise<void>,
  ) {}

  async push(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      // A full block is sent only once more bytes arrive: the last block must be the finished one.
      if (this.used === BLOCK_BYTES) await this.send(false);
      const take = Math.min(BLOCK_BYTES - this.used, bytes.length - at);
      this.block.set(bytes.subarray(at, at + take), this.used);
      this.used += take;
      at += take;
    }
  }

  /** Finishes the stream with the last block and waits for every block to be written. */
  async end(): Promise<void> {
    await this.send(true);
    while (this.pending.length > 0) await this.writeOldest();
  }

  private async send(last: boolean): Promise<void> {
    // The block buffer is reused, so each job gets its own copy of the bytes.
    const input = Buffer.from(this.block.subarray(0, this.used));
    this.used = 0;
    const base = { level: this.level, chunkSize: OUTPUT_CHUNK };
    const options = last ? base : { ...base, ...SYNC };
    const job = new Promise<Buffer>((resolve, reject) =>
      zlib.deflateRaw(input, options, (error, out) => (error ? reject(error) : resolve(out))),
    );
    // Awaited in order by writeOldest; until then a failure must not count as unhandled.
    job.catch(() => undefined);
    this.pending.push(job);
    if (this.pending.length >= IN_FLIGHT) await this.writeOldest();
  }

  private async writeOldest(): Promise<void> {
    const out = await (this.pending.shift() as Promise<Buffer>);
    this.compressedSize += out.length;
    await this.write(out);
  }
}
