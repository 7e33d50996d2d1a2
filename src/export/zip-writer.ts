// Deterministic ZIP writer on node:zlib: fixed dates and attributes, no data descriptors, ZIP64.
//
// Why not archiver: archiver 8 (compress-commons 7) streams entries of unknown size with a data
// descriptor whose sizes become 8 bytes past 4 GiB while the local header carries no ZIP64 extra
// field, which APPNOTE 4.3.9.2 makes the reader's only cue for 8-byte descriptors; streaming
// readers (zipdetails shows it) then lose their place. It also tests offsets with `>` instead of
// `>=` 0xFFFFFFFF. Writing to a file handle lets us patch the local header after streaming
// instead, so every header states the real CRC and sizes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { BlockDeflater, deflateBlocksSync } from './block-deflate.js';
import { crc32 } from './crc32.js';

const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const SINK_CAPACITY = 1 << 20;
/** A produced entry up to this size is gathered and written as addBuffer writes it. */
const GATHER_LIMIT = 1 << 20;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_END = 0x06054b50;

/** Bit 11: names are UTF-8. No other flag is ever set (no descriptors, no encryption). */
const FLAG_UTF8 = 0x0800;
const VERSION_STORE = 10;
const VERSION_DEFLATE = 20;
const VERSION_ZIP64 = 45;
/** Made by: Unix (3) so the external attributes carry a Unix mode; spec version 4.5. */
const VERSION_MADE_BY = (3 << 8) | VERSION_ZIP64;
/** Regular file, rw-r--r--, in the high 16 bits, as Unix zip tools expect. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

export type ZipMethod = 'store' | 'deflate';

export interface ZipEntryInfo {
  name: string;
  method: ZipMethod;
  offset: number;
  size: number;
  compressedSize: number;
  crc32: number;
  sha256: string;
}

interface CentralRecord extends ZipEntryInfo {
  nameBytes: Buffer;
  versionNeeded: number;
}

export interface ZipWriterOptions {
  /** The modification time stamped on every entry (the bundle uses --as-of). */
  date: Date;
  /** zlib level for deflated entries. */
  level?: number;
  /** See GATHER_LIMIT; tests lower it to reach the streaming paths with small data. */
  gatherLimit?: number;
}

export interface StreamEntryOptions {
  method?: ZipMethod;
  /**
   * The size the caller knows in advance (a file's stat size). When absent the local header
   * reserves ZIP64 fields, as the final size might pass 4 GiB.
   */
  expectedSize?: number;
  /** zlib level for this entry, instead of the writer's. */
  level?: number;
}

export class ZipError extends Error {}

/** Names a ZIP member may carry: relative, forward slashes, no `.`/`..` or empty segments. */
export function checkMemberName(name: string): string | null {
  if (name.length === 0) return 'empty name';
  if (/[\u0000-\u001f\\]/.test(name)) return 'control character or backslash in name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute name';
  const segments = name.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'empty, . or .. segment';
  if (Buffer.byteLength(name) > U16_MAX) return 'name longer than 65535 bytes';
  return null;
}

/** MS-DOS date and time fields (2-second resolution, 1980..2107) of a UTC instant. */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = date.getUTCFullYear();
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  if (year > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  const time =
    (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day = ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  return { time, date: day };
}

function writeU64(buf: Buffer, value: number, at: number): void {
  buf.writeBigUInt64LE(BigInt(value), at);
}

async function writeFully(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/** Appends to a file through a 1 MiB buffer and can patch bytes already written. */
class FileSink {
  private readonly buffer = Buffer.allocUnsafe(SINK_CAPACITY);
  private used = 0;
  private bufferStart = 0;

  constructor(private readonly handle: FileHandle) {}

  get position(): number {
    return this.bufferStart + this.used;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length >= SINK_CAPACITY) {
      await this.flush();
      await writeFully(this.handle, chunk, this.bufferStart);
      this.bufferStart += chunk.length;
      return;
    }
    if (this.used + chunk.length > SINK_CAPACITY) await this.flush();
    this.buffer.set(chunk, this.used);
    this.used += chunk.length;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    await writeFully(this.handle, this.buffer.subarray(0, this.used), this.bufferStart);
    this.bufferStart += this.used;
    this.used = 0;
  }

  /** Drops everything from `position` on (an entry that is written again). */
  async truncate(position: number): Promise<void> {
    if (position >= this.bufferStart) {
      this.used = Math.min(this.used, position - this.bufferStart);
      return;
    }
    this.used = 0;
    await this.handle.truncate(position);
    this.bufferStart = position;
  }

  /** Overwrites bytes at an earlier position (a local header once CRC and sizes are known). */
  async patch(position: number, data: Buffer): Promise<void> {
    if (position >= this.bufferStart) {
      this.buffer.set(data, position - this.bufferStart);
      return;
    }
    await this.flush();
    await writeFully(this.handle, data, position);
  }
}

function localHeader(
  nameBytes: Buffer,
  method: ZipMethod,
  versionNeeded: number,
  dos: { time: number; date: number },
  sizes: { crc: number; size: number; compressedSize: number } | null,
): Buffer {
  // ZIP64 local extra (APPNOTE 4.5.3): both sizes, 32-bit fields set to 0xFFFFFFFF.
  const zip64 = sizes === null;
  const header = Buffer.alloc(30 + nameBytes.length + (zip64 ? 20 : 0));
  header.writeUInt32LE(SIG_LOCAL, 0);
  header.writeUInt16LE(versionNeeded, 4);
  header.writeUInt16LE(FLAG_UTF8, 6);
  header.writeUInt16LE(method === 'deflate' ? 8 : 0, 8);
  header.writeUInt16LE(dos.time, 10);
  header.writeUInt16LE(dos.date, 12);
  header.writeUInt32LE(sizes ? sizes.crc : 0, 14);
  header.writeUInt32LE(sizes ? sizes.compressedSize : U32_MAX, 18);
  header.writeUInt32LE(sizes ? sizes.size : U32_MAX, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  header.writeUInt16LE(zip64 ? 20 : 0, 28);
  nameBytes.copy(header, 30);
  if (zip64) {
    const extraAt = 30 + nameBytes.length;
    header.writeUInt16LE(0x0001, extraAt);
    header.writeUInt16LE(16, extraAt + 2);
  }
  return header;
}

function centralHeader(record: CentralRecord, dos: { time: number; date: number }): Buffer {
  // Only the fields that overflow go into the ZIP64 extra, in the order APPNOTE 4.5.3 fixes.
  const wide = [record.size, record.compressedSize, record.offset].map((v) => v >= U32_MAX);
  const extraValues = [record.size, record.compressedSize, record.offset].filter((_, i) => wide[i]);
  const extraLength = extraValues.length > 0 ? 4 + 8 * extraValues.length : 0;
  const header = Buffer.alloc(46 + record.nameBytes.length + extraLength);

  header.writeUInt32LE(SIG_CENTRAL, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  header.writeUInt16LE(record.versionNeeded, 6);
  header.writeUInt16LE(FLAG_UTF8, 8);
  header.writeUInt16LE(record.method === 'deflate' ? 8 : 0, 10);
  header.writeUInt16LE(dos.time, 12);
  header.writeUInt16LE(dos.date, 14);
  header.writeUInt32LE(record.crc32, 16);
  header.writeUInt32LE(wide[1] ? U32_MAX : record.compressedSize, 20);
  header.writeUInt32LE(wide[0] ? U32_MAX : record.size, 24);
  header.writeUInt16LE(record.nameBytes.length, 28);
  header.writeUInt16LE(extraLength, 30);
  header.writeUInt16LE(0, 32); // comment length
  header.writeUInt16LE(0, 34); // disk number start
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  header.writeUInt32LE(wide[2] ? U32_MAX : record.offset, 42);
  record.nameBytes.copy(header, 46);

  if (extraLength > 0) {
    let at = 46 + record.nameBytes.length;
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(8 * extraValues.length, at + 2);
    at += 4;
    for (const value of extraValues) {
      writeU64(header, value, at);
      at += 8;
    }
  }
  return header;
}

function endRecords(count: number, cdOffset: number, cdSize: number): Buffer {
  const needZip64 = count >= U16_MAX || cdOffset >= U32_MAX || cdSize >= U32_MAX;
  const parts: Buffer[] = [];

  if (needZip64) {
    const zip64End = Buffer.alloc(56);
    zip64End.writeUInt32LE(SIG_ZIP64_END, 0);
    writeU64(zip64End, 44, 4); // size of the remaining record
    zip64End.writeUInt16LE(VERSION_MADE_BY, 12);
    zip64End.writeUInt16LE(VERSION_ZIP64, 14);
    zip64End.writeUInt32LE(0, 16); // this disk
    zip64End.writeUInt32LE(0, 20); // disk with the central directory
    writeU64(zip64End, count, 24);
    writeU64(zip64End, count, 32);
    writeU64(zip64End, cdSize, 40);
    writeU64(zip64End, cdOffset, 48);

    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(SIG_ZIP64_LOCATOR, 0);
    locator.writeUInt32LE(0, 4);
    writeU64(locator, cdOffset + cdSize, 8);
    locator.writeUInt32LE(1, 16); // total disks
    parts.push(zip64End, locator);
  }

  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_END, 0);
  end.writeUInt16LE(Math.min(count, U16_MAX), 8);
  end.writeUInt16LE(Math.min(count, U16_MAX), 10);
  end.writeUInt32LE(cdSize >= U32_MAX ? U32_MAX : cdSize, 12);
  end.writeUInt32LE(cdOffset >= U32_MAX ? U32_MAX : cdOffset, 16);
  parts.push(end);
  return Buffer.concat(parts);
}

/** What the central directory and the caller learn of an entry's data. */
interface EntryFacts {
  crc: number;
  size: number;
  compressedSize: number;
  sha256: string;
}

function asBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}

function asyncIterator<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in source
    ? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
    : (source as Iterable<T>)[Symbol.iterator]();
}

/** The chunks gathered already, handed over once each, then the rest of the iterator. */
async function* resumed(
  gathered: Buffer[],
  rest: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string>,
): AsyncGenerator<Uint8Array | string> {
  while (gathered.length > 0) yield gathered.shift() as Buffer;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/** Worst-case deflate output for `size` input bytes (zlib's deflateBound, rounded up). */
function deflateBound(size: number): number {
  return size + Math.ceil(size / 1024) + 64;
}

/**
 * Writes one ZIP file, entry by entry, in the order the caller adds them. Every entry gets the
 * same date, the same attributes and UTF-8 names; the output depends only on the inputs.
 */
export class ZipWriter {
  private readonly records: CentralRecord[] = [];
  private readonly names = new Set<string>();
  private readonly dos: { time: number; date: number };
  private readonly level: number;
  private readonly gatherLimit: number;
  private finished = false;

  private constructor(
    private readonly handle: FileHandle,
    private readonly sink: FileSink,
    options: ZipWriterOptions,
  ) {
    this.dos = dosDateTime(options.date);
    this.level = options.level ?? 6;
    this.gatherLimit = options.gatherLimit ?? GATHER_LIMIT;
  }

  /** Creates `path` exclusively (it must not exist) and returns a writer for it. */
  static async create(path: string, options: ZipWriterOptions): Promise<ZipWriter> {
    const handle = await open(path, 'wx', 0o644);
    return new ZipWriter(handle, new FileSink(handle), options);
  }

  get entries(): readonly ZipEntryInfo[] {
    return this.records;
  }

  private claimName(name: string): Buffer {
    if (this.finished) throw new ZipError('ZIP already finished');
    const problem = checkMemberName(name);
    if (problem) throw new ZipError(`bad member name ${JSON.stringify(name)}: ${problem}`);
    if (this.names.has(name)) throw new ZipError(`duplicate member name ${name}`);
    this.names.add(name);
    return Buffer.from(name, 'utf8');
  }

  /** Adds an in-memory entry; deflated only when that makes it smaller. */
  async addBuffer(
    name: string,
    data: Buffer,
    method: ZipMethod = 'deflate',
  ): Promise<ZipEntryInfo> {
    return this.writeBuffer(name, this.claimName(name), data, method);
  }

  private async writeBuffer(
    name: string,
    nameBytes: Buffer,
    data: Buffer,
    method: ZipMethod,
  ): Promise<ZipEntryInfo> {
    let payload = data;
    let chosen: ZipMethod = 'store';
    if (method === 'deflate' && data.length > 0) {
      const deflated = deflateBlocksSync(data, this.level);
      if (deflated.length < data.length) {
        payload = deflated;
        chosen = 'deflate';
      }
    }

    const offset = this.sink.position;
    const facts = {
      crc: crc32(data),
      size: data.length,
      compressedSize: payload.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    };
    const versionNeeded = await this.writeKnownHeader(nameBytes, chosen, offset, facts);
    await this.sink.write(payload);
    return this.recordEntry(name, nameBytes, chosen, offset, versionNeeded, facts);
  }

  /**
   * Adds an entry whose bytes `produce` yields, with exactly the bytes addBuffer would write for
   * their concatenation, without holding them all: up to 1 MiB is gathered (a short member
   * takes addBuffer's path), the rest is hashed and deflated as it comes, and the header patched.
   * `produce` must give the same bytes each time it is called: in the rare case addBuffer would
   * have chosen another layout (deflate does not shrink the bytes, or they reach 4 GiB and need
   * ZIP64 sizes in the local header), the entry is written again from a second call.
   */
  async addProduced(
    name: string,
    produce: () => AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
    method: ZipMethod = 'deflate',
  ): Promise<ZipEntryInfo> {
    const nameBytes = this.claimName(name);
    const chunks = asyncIterator(produce());
    const gathered: Buffer[] = [];
    let gatheredSize = 0;
    let ended = false;
    while (!ended && gatheredSize <= this.gatherLimit) {
      const next = await chunks.next();
      if (next.done) ended = true;
      else {
        const bytes = asBuffer(next.value);
        gathered.push(bytes);
        gatheredSize += bytes.length;
      }
    }
    if (ended) return this.writeBuffer(name, nameBytes, Buffer.concat(gathered), method);

    // Streamed as addBuffer would write it when deflate shrinks the bytes and they stay under
    // 4 GiB, which is what JSON and CSV members do.
    const offset = this.sink.position;
    const versionNeeded =
      offset >= U32_MAX ? VERSION_ZIP64 : method === 'deflate' ? VERSION_DEFLATE : VERSION_STORE;
    const placeholder = { crc: 0, size: 0, compressedSize: 0 };
    await this.sink.write(localHeader(nameBytes, method, versionNeeded, this.dos, placeholder));
    const facts = await this.pump(resumed(gathered, chunks), method);
    const otherLayout =
      facts.size >= U32_MAX || (method === 'deflate' && facts.compressedSize >= facts.size);
    if (!otherLayout) {
      await this.patchLocalHeader(offset, nameBytes.length, false, facts);
      return this.recordEntry(name, nameBytes, method, offset, versionNeeded, facts);
    }

    await this.sink.truncate(offset);
    const chosen: ZipMethod =
      method === 'deflate' && facts.compressedSize < facts.size ? 'deflate' : 'store';
    const final = {
      ...facts,
      compressedSize: chosen === 'deflate' ? facts.compressedSize : facts.size,
    };
    const finalVersion = await this.writeKnownHeader(nameBytes, chosen, offset, final);
    const again = await this.pump(produce(), chosen);
    if (again.sha256 !== final.sha256 || again.compressedSize !== final.compressedSize) {
      throw new ZipError(`${name}: produced different bytes when written a second time`);
    }
    return this.recordEntry(name, nameBytes, chosen, offset, finalVersion, final);
  }

  /** Adds an entry from a stream of chunks, hashing as it goes; the header is patched after. */
  async addStream(
    name: string,
    source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
    options: StreamEntryOptions = {},
  ): Promise<ZipEntryInfo> {
    const nameBytes = this.claimName(name);
    const method = options.method ?? 'deflate';
    const offset = this.sink.position;
    const expected = options.expectedSize;
    const localZip64 = expected === undefined || deflateBound(expected) >= U32_MAX;
    const wide = localZip64 || offset >= U32_MAX;
    const versionNeeded = wide
      ? VERSION_ZIP64
      : method === 'deflate'
        ? VERSION_DEFLATE
        : VERSION_STORE;
    const placeholder = { crc: 0, size: 0, compressedSize: 0 };
    const sizes = localZip64 ? null : placeholder;
    const header = localHeader(nameBytes, method, versionNeeded, this.dos, sizes);
    await this.sink.write(header);

    const facts = await this.pump(source, method, options.level);
    if (expected !== undefined && facts.size !== expected) {
      throw new ZipError(
        `${name}: expected ${expected} bytes, read ${facts.size} (changed while read?)`,
      );
    }
    if (!localZip64 && (facts.size >= U32_MAX || facts.compressedSize >= U32_MAX)) {
      throw new ZipError(`${name}: grew past 4 GiB without ZIP64 fields reserved`);
    }
    await this.patchLocalHeader(offset, nameBytes.length, localZip64, facts);
    return this.recordEntry(name, nameBytes, method, offset, versionNeeded, facts);
  }

  /**
   * The local header of an entry whose CRC and sizes are known, laid out as addBuffer lays it
   * out (ZIP64 sizes only from 4 GiB of data); returns the version needed to extract.
   */
  private async writeKnownHeader(
    nameBytes: Buffer,
    method: ZipMethod,
    offset: number,
    facts: EntryFacts,
  ): Promise<number> {
    const wide = facts.size >= U32_MAX || offset >= U32_MAX;
    const versionNeeded = wide
      ? VERSION_ZIP64
      : method === 'deflate'
        ? VERSION_DEFLATE
        : VERSION_STORE;
    const sizes = facts.size >= U32_MAX ? null : facts;
    const header = localHeader(nameBytes, method, versionNeeded, this.dos, sizes);
    if (sizes === null) {
      writeU64(header, facts.size, 30 + nameBytes.length + 4);
      writeU64(header, facts.compressedSize, 30 + nameBytes.length + 12);
      header.writeUInt32LE(facts.crc, 14);
    }
    await this.sink.write(header);
    return versionNeeded;
  }

  private recordEntry(
    name: string,
    nameBytes: Buffer,
    method: ZipMethod,
    offset: number,
    versionNeeded: number,
    facts: EntryFacts,
  ): ZipEntryInfo {
    const record: CentralRecord = {
      name,
      nameBytes,
      method,
      offset,
      size: facts.size,
      compressedSize: facts.compressedSize,
      crc32: facts.crc,
      sha256: facts.sha256,
      versionNeeded,
    };
    this.records.push(record);
    return record;
  }

  /**
   * Writes the entry data of `source` to the sink, stored or deflated, and returns its CRC-32,
   * sizes and sha256. The main thread hashes each chunk and gathers it into blocks, which are
   * compressed in the thread pool meanwhile, a few at once; their output goes to the sink in order.
   */
  private async pump(
    source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
    method: ZipMethod,
    level?: number,
  ): Promise<EntryFacts> {
    const hash = createHash('sha256');
    let crc = 0;
    let size = 0;
    let compressedSize = 0;
    const sink = this.sink;

    if (method === 'store') {
      for await (const chunk of source) {
        const bytes = asBuffer(chunk);
        hash.update(bytes);
        crc = crc32(bytes, crc);
        size += bytes.length;
        await sink.write(bytes);
      }
      return { crc, size, compressedSize: size, sha256: hash.digest('hex') };
    }

    const deflater = new BlockDeflater(level ?? this.level, (out) => sink.write(out));
    for await (const chunk of source) {
      const bytes = asBuffer(chunk);
      hash.update(bytes);
      crc = crc32(bytes, crc);
      size += bytes.length;
      await deflater.push(bytes);
    }
    await deflater.end();
    compressedSize = deflater.compressedSize;
    return { crc, size, compressedSize, sha256: hash.digest('hex') };
  }

  /** Adds a file from disk byte for byte, checking it did not change size while read. */
  async addFile(name: string, path: string, method: ZipMethod = 'deflate'): Promise<ZipEntryInfo> {
    const { size } = await stat(path);
    return this.addStream(name, createReadStream(path, { highWaterMark: SINK_CAPACITY }), {
      method,
      expectedSize: size,
    });
  }

  private async patchLocalHeader(
    offset: number,
    nameLength: number,
    zip64: boolean,
    sizes: { crc: number; size: number; compressedSize: number },
  ): Promise<void> {
    const crcField = Buffer.alloc(4);
    crcField.writeUInt32LE(sizes.crc, 0);
    await this.sink.patch(offset + 14, crcField);
    if (zip64) {
      const extraValues = Buffer.alloc(16);
      writeU64(extraValues, sizes.size, 0);
      writeU64(extraValues, sizes.compressedSize, 8);
      await this.sink.patch(offset + 30 + nameLength + 4, extraValues);
      return;
    }
    const sizeFields = Buffer.alloc(8);
    sizeFields.writeUInt32LE(sizes.compressedSize, 0);
    sizeFields.writeUInt32LE(sizes.size, 4);
    await this.sink.patch(offset + 18, sizeFields);
  }

  /** Writes the central directory and end records, syncs and closes the file. */
  async finish(): Promise<{ size: number }> {
    if (this.finished) throw new ZipError('ZIP already finished');
    this.finished = true;

    const cdOffset = this.sink.position;
    for (const record of this.records) await this.sink.write(centralHeader(record, this.dos));
    const cdSize = this.sink.position - cdOffset;
    await this.sink.write(endRecords(this.records.length, cdOffset, cdSize));
    await this.sink.flush();
    const size = this.sink.position;

    await this.handle.sync();
    await this.handle.close();
    return { size };
  }

  /** Closes the file after a failure; the caller removes it. */
  async abort(): Promise<void> {
    this.finished = true;
    await this.handle.close().catch(() => undefined);
  }
}
