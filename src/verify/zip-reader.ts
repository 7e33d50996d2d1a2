// Reads a ZIP defensively with yauzl: names checked, duplicates, links and bombs reported.
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import { checkMemberName } from '../export/zip-writer.js';

/** The file could not be read as a ZIP at all (exit 2, not a verification finding). */
export class UnreadableZipError extends Error {}

/** Deflate cannot honestly expand more than about 1032:1; anything beyond is a forged header. */
const MAX_DEFLATE_RATIO = 1100;
/** More members than any bundle holds: refuse before collecting them all in memory. */
const MAX_ENTRIES = 5_000_000;

export type StructuralKind =
  | 'duplicate-entry'
  | 'unsafe-entry-name'
  | 'symlink-entry'
  | 'directory-entry'
  | 'encrypted-entry'
  | 'unsupported-compression'
  | 'implausible-compression'
  | 'local-header-mismatch';

/** Reading one member failed: its local header lies, or its data is corrupt or oversized. */
export class MemberReadError extends Error {
  constructor(
    readonly kind: 'local-header-mismatch' | 'corrupt',
    message: string,
  ) {
    super(message);
  }
}

export interface StructuralProblem {
  kind: StructuralKind;
  path: string;
  message: string;
}

export interface ZipMember {
  name: string;
  size: number;
  compressedSize: number;
  /** Set when this member must not be read (unsafe, a link, encrypted, a bomb). */
  unreadable: StructuralKind | null;
  entry: yauzl.Entry;
}

function decodeName(entry: yauzl.Entry): { name: string; problem: string | null } {
  const raw = entry.fileNameRaw;
  if ((entry.generalPurposeBitFlag & 0x0800) !== 0) {
    try {
      return { name: new TextDecoder('utf-8', { fatal: true }).decode(raw), problem: null };
    } catch {
      return { name: raw.toString('latin1'), problem: 'name flagged UTF-8 is not valid UTF-8' };
    }
  }
  // Without the UTF-8 flag the name is CP437; a bundle only ever has ASCII names then.
  const ascii = raw.every((b) => b < 0x80);
  return { name: raw.toString('latin1'), problem: ascii ? null : 'name not in UTF-8' };
}

function unixMode(entry: yauzl.Entry): number | null {
  return entry.versionMadeBy >> 8 === 3 ? (entry.externalFileAttributes >>> 16) & 0o177777 : null;
}

function classify(
  entry: yauzl.Entry,
  name: string,
  nameProblem: string | null,
): StructuralProblem | null {
  const mode = unixMode(entry);
  if (name.endsWith('/') || (mode !== null && (mode & 0o170000) === 0o040000)) {
    const message = 'directory entry (a bundle has files only)';
    return { kind: 'directory-entry', path: name, message };
  }
  const problem = nameProblem ?? checkMemberName(name);
  if (problem) return { kind: 'unsafe-entry-name', path: name, message: `unsafe name: ${problem}` };
  if (mode !== null && (mode & 0o170000) === 0o120000) {
    return { kind: 'symlink-entry', path: name, message: 'symbolic link entry' };
  }
  if (entry.isEncrypted())
    return { kind: 'encrypted-entry', path: name, message: 'encrypted entry' };
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    const message = `compression method ${entry.compressionMethod} (only store and deflate)`;
    return { kind: 'unsupported-compression', path: name, message };
  }
  const ratioLimit = entry.compressedSize * MAX_DEFLATE_RATIO + 1024;
  if (entry.compressionMethod === 8 && entry.uncompressedSize > ratioLimit) {
    const message = `claims ${entry.uncompressedSize} bytes from ${entry.compressedSize} compressed`;
    return { kind: 'implausible-compression', path: name, message };
  }
  return null;
}

/** An opened ZIP: its members (central directory order) and the structural problems found. */
export class SafeZip {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly members: ZipMember[],
    readonly problems: StructuralProblem[],
  ) {}

  static async open(path: string): Promise<SafeZip> {
    let zip: yauzl.ZipFile;
    try {
      // decodeStrings off: yauzl would abort the whole listing on the first bad name, and would
      // prefer an Info-ZIP Unicode Path extra field over the real name. We decode and judge names
      // ourselves, so every problem can be reported.
      zip = await yauzl.openPromise(path, {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: false,
        validateEntrySizes: true,
      });
    } catch (error) {
      throw new UnreadableZipError(`${path} is not a readable ZIP: ${(error as Error).message}`);
    }
    if (zip.entryCount > MAX_ENTRIES) {
      zip.close();
      throw new UnreadableZipError(
        `${path} lists ${zip.entryCount} entries, more than a bundle holds`,
      );
    }

    const members: ZipMember[] = [];
    const problems: StructuralProblem[] = [];
    const seen = new Set<string>();
    try {
      for await (const entry of zip.eachEntry()) {
        const { name, problem } = decodeName(entry);
        if (seen.has(name)) {
          const message = 'name appears more than once';
          problems.push({ kind: 'duplicate-entry', path: name, message });
        }
        seen.add(name);
        const structural = classify(entry, name, problem);
        if (structural) problems.push(structural);
        members.push({
          name,
          size: entry.uncompressedSize,
          compressedSize: entry.compressedSize,
          unreadable: structural?.kind ?? null,
          entry,
        });
      }
    } catch (error) {
      zip.close();
      throw new UnreadableZipError(`${path}: broken ZIP directory: ${(error as Error).message}`);
    }
    return new SafeZip(zip, members, problems);
  }

  /** Members by name; for duplicated names the first occurrence (all are reported anyway). */
  byName(): Map<string, ZipMember> {
    const map = new Map<string, ZipMember>();
    for (const member of this.members) if (!map.has(member.name)) map.set(member.name, member);
    return map;
  }

  private async stream(member: ZipMember): Promise<AsyncIterable<Buffer>> {
    if (member.unreadable) throw new MemberReadError('corrupt', `not read (${member.unreadable})`);

    // A local header naming another file is a parser-confusion trick: readers that walk local
    // headers would see different content than the central directory promises.
    const local = await this.zip.readLocalFileHeaderPromise(member.entry);
    if (!local.fileName.equals(member.entry.fileNameRaw)) {
      const other = local.fileName.toString('latin1');
      throw new MemberReadError('local-header-mismatch', `local header names ${other}`);
    }
    return (await this.zip.openReadStreamPromise(member.entry)) as AsyncIterable<Buffer>;
  }

  /** Runs `consume` over a member's chunks, turning zlib and size errors into MemberReadError. */
  private async each(member: ZipMember, consume: (chunk: Buffer) => void): Promise<void> {
    const chunks = await this.stream(member);
    try {
      for await (const chunk of chunks) consume(chunk);
    } catch (error) {
      throw new MemberReadError('corrupt', `data unreadable: ${(error as Error).message}`);
    }
  }

  /** sha256 and byte count of a member's content; yauzl enforces the declared size. */
  async digest(member: ZipMember): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    await this.each(member, (chunk) => {
      hash.update(chunk);
      size += chunk.length;
    });
    return { sha256: hash.digest('hex'), size };
  }

  /** A member's content in memory, refused when it declares more than `limit` bytes. */
  async read(member: ZipMember, limit: number): Promise<Buffer> {
    if (member.size > limit) {
      throw new MemberReadError('corrupt', `${member.size} bytes, more than the ${limit} allowed`);
    }
    const chunks: Buffer[] = [];
    await this.each(member, (chunk) => chunks.push(chunk));
    return Buffer.concat(chunks);
  }

  close(): void {
    this.zip.close();
  }
}
