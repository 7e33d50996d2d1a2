// Hashing helpers: file digests and the stable ids derived from them.
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A short stable id: the first 16 hex digits of sha256 over the parts joined by NUL. */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${sha256Hex(parts.join('\u0000')).slice(0, 16)}`;
}
