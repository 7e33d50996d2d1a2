// Test helpers: rewrite a bundle with changes, and build raw ZIPs no honest writer would make.
import { writeFileSync } from 'node:fs';
import { ZipWriter } from '../../src/export/zip-writer.js';
import { crc32 } from '../../src/export/crc32.js';
import { SafeZip } from '../../src/verify/zip-reader.js';

export async function readMembers(path: string): Promise<[string, Buffer][]> {
  const zip = await SafeZip.open(path);
  try {
    const out: [string, Buffer][] = [];
    for (const m of zip.members) out.push([m.name, await zip.read(m, 1 << 30)]);
    return out;
  } finally {
    zip.close();
  }
}

/** Rewrites `source` to `target` after `change` edits the member list. */
export async function rewrite(
  source: string,
  target: string,
  change: (members: [string, Buffer][]) => [string, Buffer][],
): Promise<void> {
  const members = change(await readMembers(source));
  const zip = await ZipWriter.create(target, { date: new Date('2026-03-31T00:00:00Z') });
  for (const [name, content] of members) await zip.addBuffer(name, content);
  await zip.finish();
}

export interface RawEntry {
  name: string;
  content: Buffer;
  /** Unix mode for the external attributes (default regular file 0644). */
  mode?: number;
  /** Name written in the local header, when it should differ from the central one. */
  localName?: string;
  /** Uncompressed size to claim instead of the real one. */
  claimedSize?: number;
  /** Store the content deflated. */
  deflated?: Buffer;
}

/** A plain ZIP (no ZIP64) built field by field, with whatever lies the test wants. */
export function rawZip(path: string, entries: RawEntry[]): void {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = e.deflated ?? e.content;
    const localName = Buffer.from(e.localName ?? e.name);
    const name = Buffer.from(e.name);
    const crc = crc32(e.content);
    const size = e.claimedSize ?? e.content.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.deflated ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.length, 26);
    parts.push(local, localName, data);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | 20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(e.deflated ? 8 : 0, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += 30 + localName.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...parts, cd, end]));
}
