// CRC-32 (the ZIP polynomial): node:zlib's native crc32 where Node has it, a table otherwise.
import * as zlib from 'node:zlib';

type Crc32Fn = (data: Uint8Array, value?: number) => number;

// zlib.crc32 exists from Node 20.15 / 22.2; package.json allows any Node 20, so keep a fallback.
const nativeCrc32 = (zlib as unknown as { crc32?: Crc32Fn }).crc32;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function tableCrc32(data: Uint8Array, value = 0): number {
  const t = crcTable();
  let crc = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) crc = t[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Continues a CRC-32 over `data`, starting from `value` (0 for a fresh checksum). */
export function crc32(data: Uint8Array, value = 0): number {
  return nativeCrc32 ? nativeCrc32(data, value) >>> 0 : tableCrc32(data, value);
}

/** Exposed for the test that checks the fallback agrees with the native implementation. */
export const crc32ForTest = { tableCrc32, hasNative: nativeCrc32 !== undefined };
