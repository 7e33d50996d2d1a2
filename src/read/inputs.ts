// Expands the paths an analyst gives into input files: directories walked, ZIP archives opened.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** One input file: on disk, or a member of a ZIP archive of exports. */
export interface InputFile {
  /** Path as given (forward slashes); archive members as `archive.zip!/member/path`. */
  displayPath: string;
  /** Raw size in bytes (compressed size for .gz; uncompressed size for ZIP members). */
  size: number;
  /** Opens the raw bytes (still gzip-compressed where the file is). */
  open(): Promise<Readable>;
  /** The file on disk holding these bytes: the file itself, or the ZIP archive it came from. */
  diskPath: string;
  /** For ZIP members: the archive's display path. */
  archive?: string;
}

/** A file or archive member that cannot be read as input at all, with the reason. */
export interface RefusedInput {
  displayPath: string;
  size: number;
  reason: string;
}

export interface ExpandedInputs {
  files: InputFile[];
  refused: RefusedInput[];
  /** `export-context.json` files found, keyed by their directory's display path. */
  contexts: Map<string, string>;
  /** Paths passed over because the same file was already given, for the log. */
  skipped: string[];
  /** Paths naming a file already given (same real path), which is read only once. */
  repeated: { displayPath: string; firstPath: string }[];
  close(): Promise<void>;
}

/** Uncompressed-to-compressed ratio above which a large ZIP member is refused as a bomb. */
export const MAX_EXPANSION_RATIO = 200;
/** Members smaller than this are never refused for their ratio (tiny files compress well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** The total uncompressed size one archive may expand to. */
export const MAX_ARCHIVE_BYTES = 16 * 1024 * 1024 * 1024;

const CONTEXT_FILE = 'export-context.json';

function toDisplay(p: string): string {
  return p.split(path.sep).join('/');
}

export async function expandInputs(paths: readonly string[]): Promise<ExpandedInputs> {
  const files: InputFile[] = [];
  const refused: RefusedInput[] = [];
  const contexts = new Map<string, string>();
  const skipped: string[] = [];
  const archives: yauzl.ZipFile[] = [];
  const repeated: { displayPath: string; firstPath: string }[] = [];
  const seen = new Map<string, string>();

  async function addPath(given: string): Promise<void> {
    const stat = await fs.stat(given).catch((error: NodeJS.ErrnoException) => error);
    if (stat instanceof Error) {
      refused.push({
        displayPath: toDisplay(given),
        size: 0,
        reason: `cannot read: ${stat.code ?? stat.message}`,
      });
      return;
    }
    if (stat.isDirectory()) {
      const entries = (await fs.readdir(given)).sort();
      // Hidden files are read like any other: an export must never vanish for its name.
      for (const entry of entries) await addPath(path.join(given, entry));
      return;
    }
    if (!stat.isFile()) {
      refused.push({ displayPath: toDisplay(given), size: 0, reason: 'not a regular file' });
      return;
    }

    const real = await fs.realpath(given);
    const first = seen.get(real);
    if (first !== undefined) {
      skipped.push(`${toDisplay(given)} (same file given twice)`);
      repeated.push({ displayPath: toDisplay(given), firstPath: first });
      return;
    }
    seen.set(real, toDisplay(given));

    if (path.basename(given) === CONTEXT_FILE) {
      contexts.set(toDisplay(path.dirname(given)), await fs.readFile(given, 'utf8'));
      return;
    }
    if (given.toLowerCase().endsWith('.zip')) {
      await addArchive(given, stat.size);
      return;
    }
    files.push({
      displayPath: toDisplay(given),
      size: stat.size,
      open: async () => createReadStream(given),
      diskPath: given,
    });
  }

  async function addArchive(archivePath: string, archiveSize: number): Promise<void> {
    const display = toDisplay(archivePath);
    let zip: yauzl.ZipFile;
    try {
      zip = await openZip(archivePath);
    } catch (error) {
      refused.push({
        displayPath: display,
        size: archiveSize,
        reason: `not a readable ZIP archive: ${(error as Error).message}`,
      });
      return;
    }
    archives.push(zip);

    const entries = await listEntries(zip).catch((error: Error) => error);
    if (entries instanceof Error) {
      refused.push({
        displayPath: display,
        size: archiveSize,
        reason: `ZIP archive is damaged: ${entries.message}`,
      });
      return;
    }
    let total = 0;
    const names = new Set<string>();
    for (const entry of [...entries].sort((a, b) =>
      a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0,
    )) {
      const memberDisplay = `${display}!/${entry.fileName}`;
      const problem = memberProblem(entry, names);
      names.add(entry.fileName);
      if (problem === 'directory') continue;
      if (problem) {
        refused.push({ displayPath: memberDisplay, size: entry.uncompressedSize, reason: problem });
        continue;
      }
      total += entry.uncompressedSize;
      if (total > MAX_ARCHIVE_BYTES) {
        refused.push({
          displayPath: memberDisplay,
          size: entry.uncompressedSize,
          reason: 'archive expands beyond the 16 GiB limit',
        });
        continue;
      }
      if (path.posix.basename(entry.fileName) === CONTEXT_FILE) {
        const text = await streamToString(await openEntry(zip, entry));
        contexts.set(path.posix.dirname(memberDisplay), text);
        continue;
      }
      files.push({
        displayPath: memberDisplay,
        size: entry.uncompressedSize,
        open: () => openEntry(zip, entry),
        diskPath: archivePath,
        archive: display,
      });
    }
  }

  for (const given of paths) await addPath(given);

  return {
    files,
    refused,
    contexts,
    skipped,
    repeated,
    close: async () => {
      for (const zip of archives) zip.close();
    },
  };
}

// Why a ZIP member must not be read: traversal, absolute or duplicate names, links, bombs.
function memberProblem(entry: yauzl.Entry, names: Set<string>): string | null {
  const name = entry.fileName;
  if (name.endsWith('/')) return 'directory';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\')) {
    return `refused ZIP member with an absolute or non-portable path: ${JSON.stringify(name)}`;
  }
  if (name.split('/').some((part) => part === '..')) {
    return `refused ZIP member whose path leaves the archive: ${JSON.stringify(name)}`;
  }
  if (names.has(name)) return `refused duplicate ZIP member name: ${JSON.stringify(name)}`;
  const unixMode = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (unixMode === 0o120000)
    return `refused ZIP member that is a symbolic link: ${JSON.stringify(name)}`;
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > MAX_EXPANSION_RATIO) {
    return `refused ZIP member that expands ${Math.round(ratio)}x (limit ${MAX_EXPANSION_RATIO}x): possible compression bomb`;
  }
  return null;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // validateEntrySizes fails a member whose data does not match its declared size.
    // decodeStrings is off so that yauzl hands over every name, even unsafe ones, and this
    // module can refuse them one by one instead of losing the whole archive to one bad name.
    const options = {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      decodeStrings: false,
    };
    yauzl.open(file, options, (error, zip) => {
      if (error || !zip) reject(error ?? new Error('cannot open'));
      else resolve(zip);
    });
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      const rawName = entry.fileName as unknown as Buffer | string;
      entry.fileName = typeof rawName === 'string' ? rawName : rawName.toString('utf8');
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(error ?? new Error('cannot open member'));
      else resolve(stream);
    });
  });
}

async function streamToString(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
