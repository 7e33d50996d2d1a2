// Opens an input's content: gzip (every member) decompressed, the content bytes hashed.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream';
import { TolerantGunzip } from './tolerant-gunzip.js';
import { Utf16Decoder, type TextEncoding } from './encoding.js';
import type { InputFile } from './inputs.js';

/** Passes bytes through while hashing and counting them. */
class HashTap extends Transform {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export interface OpenedContent {
  /** The decompressed bytes, UTF-16 content transcoded to UTF-8. */
  content: Readable;
  /** The text encoding found at the start of the content (known once reading has begun). */
  encoding(): TextEncoding | null;
  /** Resolves when the content has been read to its end (rejects on a damaged stream). */
  finished: Promise<{ contentSha256: string; contentBytes: number }>;
}

/** The file's raw bytes, whole. */
async function readAll(file: InputFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await file.open()) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** True when the file starts with the gzip magic bytes. */
export async function isGzip(file: InputFile): Promise<boolean> {
  return hasGzipMagic(await readRawHead(file, 2));
}

/** True when the bytes start with the gzip magic bytes (RFC 1952: 1f 8b). */
export function hasGzipMagic(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

async function readRawHead(file: InputFile, limit: number): Promise<Buffer> {
  const stream = await file.open();
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/** The first `limit` bytes of the decompressed content (for detection); errors give what was read. */
export async function readContentHead(
  file: InputFile,
  gzip: boolean,
  limit: number,
): Promise<{ bytes: Buffer; damage?: string }> {
  const opened = await openContent(file, gzip);
  opened.finished.catch(() => undefined);
  const chunks: Buffer[] = [];
  let length = 0;
  let damage: string | undefined;
  try {
    for await (const chunk of opened.content as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= limit) break;
    }
  } catch (error) {
    // A damaged stream still yields its readable head; the full read reports the damage, and a
    // file whose head is already damaged says so even when no importer can recognize it.
    damage = (error as Error).message;
  } finally {
    opened.content.destroy();
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  return damage === undefined ? { bytes } : { bytes, damage };
}

/**
 * Opens the content for a full read. Node's gunzip decodes concatenated gzip members until the
 * input ends (bug-06: a reader that stops after the first member silently loses records).
 */
export async function openContent(file: InputFile, gzip: boolean): Promise<OpenedContent> {
  // The file's own sha256 is taken once, before this read (import.ts hashRaw); here only the
  // decompressed content is hashed, which CloudTrail digests cover.
  const raw = await file.open();
  const contentTap = new HashTap();
  // The decoder sits after the content hash: digests (CloudTrail) cover the bytes as stored.
  const decoder = new Utf16Decoder();
  const gunzip = gzip ? new TolerantGunzip(() => readAll(file), file.size, 256 * 1024) : null;
  const stages: NodeJS.ReadWriteStream[] = gunzip
    ? [gunzip, contentTap, decoder]
    : [contentTap, decoder];

  const finished = new Promise<{ contentSha256: string; contentBytes: number }>(
    (resolve, reject) => {
      contentTap.on('end', () => {
        // Damage found after the content ended whole (a bad checksum, bytes after the data).
        if (gunzip?.problem) reject(new Error(gunzip.problem));
        else resolve({ contentSha256: contentTap.digest(), contentBytes: contentTap.bytes });
      });
      pipeline([raw, ...stages] as unknown as [Readable, ...NodeJS.ReadWriteStream[]], (error) => {
        if (error) reject(error);
      });
    },
  );
  return { content: decoder, finished, encoding: () => decoder.encoding };
}
