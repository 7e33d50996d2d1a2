// Hashing helpers: file digests and the stable ids derived from them.
import * as crypto from 'node:crypto';
import { flatString } from './flat-string.js';

// crypto.hash (Node 20.12+) hashes in one call without a Hash object: much cheaper for the
// millions of short inputs event ids are made of. Older Node 20 releases use createHash.
type OneShot = (algorithm: string, data: string | Buffer, encoding: 'hex') => string;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

export function sha256Hex(data: string | Buffer): string {
  if (oneShot) return oneShot('sha256', data, 'hex');
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** A short stable id: the first 16 hex digits of sha256 over the parts joined by NUL. */
export function stableId(prefix: string, ...parts: string[]): string {
  return flatString(`${prefix}-${sha256Hex(parts.join('\u0000')).slice(0, 16)}`);
}

/** sha256 (hex) of everything a byte stream yields; a read fault ends it with what was read. */
export async function sha256OfStream(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const hash = crypto.createHash('sha256');
  try {
    for await (const chunk of stream) hash.update(chunk);
  } catch {
    // Unreadable bytes: hash what could be read; the reader of the content reports the fault.
  }
  return hash.digest('hex');
}
