// Gzip decoding that keeps every byte it can. Node's gunzip drops the output of the call in which
// it meets a bad checksum or bytes after the last member (up to a 256 KiB chunk: hundreds of
// complete CloudTrail records); this stream then decodes the file again member by member and
// passes on what Node's had not, and says what was wrong once the content has ended.
import { Transform, type TransformCallback } from 'node:stream';
import { constants, crc32, createGunzip, inflateRawSync, type Gunzip } from 'node:zlib';

/** Files larger than this are not read again whole to recover their tail. */
const MAX_RECOVERY_BYTES = 512 * 1024 * 1024;

export class TolerantGunzip extends Transform {
  private readonly inner: Gunzip;
  private delivered = 0;
  private failure: (Error & { code?: string }) | null = null;
  private waiting: TransformCallback | null = null;
  /** What was wrong with the gzip data, known once the content has ended; null when nothing. */
  problem: string | null = null;

  constructor(
    private readonly readWhole: () => Promise<Buffer>,
    private readonly size: number,
    chunkSize: number,
  ) {
    super();
    this.inner = createGunzip({ chunkSize });
    this.inner.on('data', (chunk: Buffer) => {
      this.delivered += chunk.length;
      this.push(chunk);
    });
    this.inner.on('error', (error) => {
      this.failure = error;
      this.release();
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failure) return done();
    this.waiting = done;
    this.inner.write(chunk, () => this.release());
  }

  override _flush(done: TransformCallback): void {
    if (this.failure) return void this.recover(done);
    this.waiting = () => (this.failure ? void this.recover(done) : done());
    this.inner.once('end', () => this.release());
    this.inner.end();
  }

  private release(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }

  /**
   * A cut file (Node: "unexpected end of file") has lost nothing decodable and fails as before;
   * for a bad checksum or bytes after the data, the rest of the content is decoded again.
   */
  private async recover(done: TransformCallback): Promise<void> {
    const failure = this.failure as Error & { code?: string };
    if (failure.code === 'Z_BUF_ERROR' || this.size > MAX_RECOVERY_BYTES) return done(failure);
    let decoded: { content: Buffer; problem: string | null };
    try {
      decoded = decodeMembers(await this.readWhole());
    } catch {
      return done(failure);
    }
    if (decoded.content.length > this.delivered)
      this.push(decoded.content.subarray(this.delivered));
    this.problem = decoded.problem ?? failure.message;
    done();
  }
}

/**
 * Decodes gzip members one after the other (RFC 1952), checking each one's CRC-32 and size, and
 * stops at the first bytes that are not a member. Throws when a member's data cannot be decoded.
 */
export function decodeMembers(raw: Buffer): { content: Buffer; problem: string | null } {
  const parts: Buffer[] = [];
  const problems: string[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const body = memberBody(raw, offset);
    if (body === null) {
      problems.push(`${raw.length - offset} bytes after the gzip data are not gzip data`);
      break;
    }
    const { buffer, engine } = inflateRawSync(raw.subarray(body), {
      finishFlush: constants.Z_SYNC_FLUSH,
      info: true,
    }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    parts.push(buffer);
    const trailer = body + engine.bytesWritten;
    if (trailer + 8 > raw.length) {
      problems.push('the gzip data ends before its trailer');
      break;
    }
    if (
      raw.readUInt32LE(trailer) !== crc32(buffer) ||
      raw.readUInt32LE(trailer + 4) !== buffer.length % 2 ** 32
    ) {
      problems.push(
        'the content does not match the CRC-32 or size in its gzip trailer: it was altered ' +
          '(every record that could be read was kept, and may be among the altered ones)',
      );
    }
    offset = trailer + 8;
  }
  return {
    content: Buffer.concat(parts),
    problem: problems.length > 0 ? problems.join('; ') : null,
  };
}

/** Where a gzip member's compressed data starts, or null when no member starts at `offset`. */
function memberBody(raw: Buffer, offset: number): number | null {
  if (raw.length - offset < 10 || raw[offset] !== 0x1f || raw[offset + 1] !== 0x8b) return null;
  if (raw[offset + 2] !== 8) return null;
  const flags = raw[offset + 3] as number;
  let at = offset + 10;
  if (flags & 0x04) at += 2 + raw.readUInt16LE(at); // FEXTRA
  if (flags & 0x08) at = raw.indexOf(0, at) + 1; // FNAME, zero-terminated
  if (flags & 0x10) at = raw.indexOf(0, at) + 1; // FCOMMENT, zero-terminated
  if (flags & 0x02) at += 2; // FHCRC
  return at > offset && at <= raw.length ? at : null;
}
