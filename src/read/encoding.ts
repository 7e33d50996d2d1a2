// Recognizes UTF-16 content (Windows tools export it) and transcodes it to UTF-8 for the readers.
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Bytes looked at before the encoding is decided. */
const SNIFF_BYTES = 4;

/**
 * The encoding of content from its first bytes: a UTF-16 byte order mark, or (PowerShell and
 * some SIEM exports write no BOM) two ASCII characters each paired with a zero byte.
 */
export function sniffEncoding(head: Buffer): TextEncoding {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length < 4) return 'utf-8';
  const ascii = (byte: number) => byte >= 0x09 && byte < 0x80;
  if (ascii(head[0]) && head[1] === 0 && ascii(head[2]) && head[3] === 0) return 'utf-16le';
  if (head[0] === 0 && ascii(head[1]) && head[2] === 0 && ascii(head[3])) return 'utf-16be';
  return 'utf-8';
}

/**
 * Passes UTF-8 through untouched; decodes UTF-16 (either byte order) to UTF-8. Malformed UTF-16
 * (a lone surrogate, an odd byte count) fails the stream with the byte position once the text
 * before the fault has been read, so the file is reported as damaged, its earlier records kept,
 * and nothing is read as replacement characters.
 */
export class Utf16Decoder extends Transform {
  encoding: TextEncoding | null = null;
  private held: Buffer = Buffer.alloc(0);
  private decoder: TextDecoder | null = null;
  private consumed = 0;
  private failure: Error | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failure) {
      callback();
      return;
    }
    if (this.encoding === null) {
      this.held = Buffer.concat([this.held, chunk]);
      if (this.held.length < SNIFF_BYTES) {
        callback();
        return;
      }
      chunk = this.decide();
    }
    callback(null, this.encoding === 'utf-8' ? chunk : this.decode(chunk, true));
  }

  override _flush(callback: TransformCallback): void {
    if (this.encoding === null) {
      const rest = this.decide();
      if (rest.length > 0) this.push(this.encoding === 'utf-8' ? rest : this.decode(rest, true));
    }
    if (this.encoding !== 'utf-8' && !this.failure) this.push(this.decode(Buffer.alloc(0), false));
    if (this.failure) this.failWhenDrained(callback);
    else callback();
  }

  // Erroring at once would discard the decoded text still buffered for the reader.
  private failWhenDrained(callback: TransformCallback): void {
    if (this.destroyed) return;
    if (this.readableLength > 0) {
      setImmediate(() => this.failWhenDrained(callback));
      return;
    }
    callback(this.failure);
  }

  private decide(): Buffer {
    this.encoding = sniffEncoding(this.held);
    const held = this.held;
    this.held = Buffer.alloc(0);
    if (this.encoding !== 'utf-8') this.decoder = new TextDecoder('utf-16le', { fatal: true });
    return held;
  }

  // UTF-16BE is turned into LE by swapping byte pairs; an odd trailing byte waits for the next chunk.
  private decode(chunk: Buffer, stream: boolean): Buffer {
    let bytes = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = Buffer.alloc(0);
    if (this.encoding === 'utf-16be') {
      const even = bytes.length - (bytes.length % 2);
      if (even < bytes.length && stream) this.held = Buffer.from(bytes.subarray(even));
      const swapped = Buffer.from(bytes.subarray(0, even));
      swapped.swap16();
      bytes = stream ? swapped : Buffer.concat([swapped, bytes.subarray(even)]);
    }
    try {
      const text = (this.decoder as TextDecoder).decode(bytes, { stream });
      this.consumed += bytes.length;
      return Buffer.from(text, 'utf8');
    } catch {
      const bad = firstLoneSurrogate(bytes);
      const name = this.encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
      const where =
        bad >= 0
          ? `lone surrogate at byte ${this.consumed + bad}`
          : 'odd byte count at the end of the content';
      this.failure = new Error(`invalid ${name}: ${where}`);
      const good =
        bad >= 0 ? bytes.subarray(0, bad) : bytes.subarray(0, bytes.length - (bytes.length % 2));
      return Buffer.from(new TextDecoder('utf-16le').decode(good), 'utf8');
    }
  }
}

/** Byte index of the first unpaired surrogate in little-endian UTF-16 code units, or -1. */
function firstLoneSurrogate(bytes: Buffer): number {
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const unit = bytes[i] | (bytes[i + 1] << 8);
    if (unit >= 0xdc00 && unit <= 0xdfff) return i;
    if (unit < 0xd800 || unit > 0xdbff) continue;
    const next = i + 3 < bytes.length ? bytes[i + 2] | (bytes[i + 3] << 8) : -1;
    if (next < 0xdc00 || next > 0xdfff) return i;
    i += 2;
  }
  return -1;
}
