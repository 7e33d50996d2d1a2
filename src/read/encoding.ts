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
 * Passes UTF-8 through untouched; decodes UTF-16 (either byte order) to UTF-8. A malformed
 * UTF-16 stream (an odd byte count, a lone surrogate) fails the stream with the byte position,
 * so the file is reported as damaged instead of being read as replacement characters.
 */
export class Utf16Decoder extends Transform {
  encoding: TextEncoding | null = null;
  private held: Buffer = Buffer.alloc(0);
  private decoder: TextDecoder | null = null;
  private consumed = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.encoding === null) {
      this.held = Buffer.concat([this.held, chunk]);
      if (this.held.length < SNIFF_BYTES) {
        callback();
        return;
      }
      chunk = this.decide();
    }
    if (this.encoding === 'utf-8') {
      callback(null, chunk);
      return;
    }
    callback(...this.decode(chunk, true));
  }

  override _flush(callback: TransformCallback): void {
    if (this.encoding === null) {
      const rest = this.decide();
      if (this.encoding === 'utf-8') {
        callback(null, rest);
        return;
      }
      const [error, text] = this.decode(rest, true);
      if (error) {
        callback(error);
        return;
      }
      if (text && text.length > 0) this.push(text);
    }
    if (this.encoding === 'utf-8') {
      callback();
      return;
    }
    callback(...this.decode(Buffer.alloc(0), false));
  }

  private decide(): Buffer {
    this.encoding = sniffEncoding(this.held);
    const held = this.held;
    this.held = Buffer.alloc(0);
    if (this.encoding !== 'utf-8') this.decoder = new TextDecoder('utf-16le', { fatal: true });
    return held;
  }

  // UTF-16BE is turned into LE by swapping byte pairs; an odd trailing byte waits for the next chunk.
  private decode(chunk: Buffer, stream: boolean): [Error | null, Buffer?] {
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
      return [null, Buffer.from(text, 'utf8')];
    } catch {
      const where = stream ? `after byte ${this.consumed}` : 'at the end of the content';
      return [new Error(`invalid ${this.encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'} ${where} (odd byte count or lone surrogate)`)];
    }
  }
}
