// UTF-8 validity checks: readers reject a record with broken bytes instead of decoding it to U+FFFD.
import { isUtf8 } from 'node:buffer';

/**
 * Index of the first byte that does not belong to a well-formed UTF-8 sequence, or -1 when the
 * whole buffer is valid. The native check runs first; the byte walk only runs on a bad buffer.
 */
export function firstInvalidUtf8(bytes: Buffer): number {
  if (isUtf8(bytes)) return -1;

  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

// Length of the well-formed sequence starting at `i` (RFC 3629 table 3-7), or 0 when malformed.
function sequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i];
  if (lead < 0x80) return 1;

  const cont = (at: number, low = 0x80, high = 0xbf) =>
    at < bytes.length && bytes[at] >= low && bytes[at] <= high;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (lead === 0xe0) return cont(i + 1, 0xa0) && cont(i + 2) ? 3 : 0;
  if (lead === 0xed) return cont(i + 1, 0x80, 0x9f) && cont(i + 2) ? 3 : 0;
  if (lead >= 0xe1 && lead <= 0xef) return cont(i + 1) && cont(i + 2) ? 3 : 0;
  if (lead === 0xf0) return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (lead >= 0xf1 && lead <= 0xf3) return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (lead === 0xf4) return cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  return 0;
}

/** The reject reason for a record whose bytes are not UTF-8, naming the absolute byte offset. */
export function invalidUtf8Problem(
  bytes: Buffer,
  recordStart: number,
  what: string,
): string | null {
  const index = firstInvalidUtf8(bytes);
  if (index < 0) return null;
  const hex = bytes[index].toString(16).toUpperCase().padStart(2, '0');
  return (
    `invalid UTF-8: byte 0x${hex} at byte ${recordStart + index} in ${what} starting at byte ` +
    `${recordStart}; the record was not decoded (re-export the file as UTF-8)`
  );
}

/** Appends the absolute offsets of malformed bytes in `bytes` (starting at `base`) to `out`. */
export function collectInvalidUtf8(
  bytes: Buffer,
  base: number,
  out: number[],
  limit = 100_000,
): void {
  if (isUtf8(bytes)) return;
  let i = 0;
  while (i < bytes.length && out.length < limit) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      out.push(base + i);
      i += 1;
    } else {
      i += length;
    }
  }
}

/** How many bytes at the end of `bytes` start a sequence that the next chunk may complete. */
export function incompleteTail(bytes: Buffer): number {
  for (let k = 1; k <= Math.min(3, bytes.length); k += 1) {
    const byte = bytes[bytes.length - k];
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return needed > k ? k : 0;
    }
  }
  return 0;
}
