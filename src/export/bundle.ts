// Writes the evidence bundle (design.md section 5): deterministic ZIP, manifest, signature, DSSE.
import { extname, resolve } from 'node:path';
import type { FileAccounting, RejectedRecord } from '../model/accounting.js';
import type { TimelineEvent } from '../model/event.js';
import type { Gap } from '../model/gap.js';
import type { Grant } from '../model/grant.js';
import { sha256Hex } from '../util/hash.js';
import { assertWritable, writeAtomically } from './atomic-file.js';
import { BaselineError, compareGaps, gapBrief, readBundleFacts } from './baseline.js';
import { canonicalBytes } from './canonical-json.js';
import { gapsCsvChunks, grantsCsvChunks } from './csv.js';
import { buildStatement, signStatement } from './dsse.js';
import { prettyJsonChunks, streamedArray } from './json-stream.js';
import {
  ATTESTATION_PATH,
  MANIFEST_PATH,
  SIGNATURE_PATH,
  SIGNER_PATH,
  evidenceDigestOf,
  manifestBytes,
  type Manifest,
  type ManifestFile,
  type ManifestInput,
} from './manifest.js';
import {
  KeyError,
  keyFilePermissionWarning,
  loadSigningKey,
  signBytes,
  type SigningKey,
} from './signing.js';
import {
  ZipError,
  ZipWriter,
  checkMemberName,
  type ZipEntryInfo,
  type ZipMethod,
} from './zip-writer.js';

/**
 * zlib level of timeline.jsonl, about 800 bytes an event: millions of events make it the one
 * large member. Measured on a 79 MB timeline: level 6 deflates 103 MB/s to 5.7 %, level 3
 * 304 MB/s to 6.9 %. At level 6 its deflate was a quarter of a large build; level 3 is three
 * times faster for a member a fifth larger. Other members keep the writer's level 6.
 */
const TIMELINE_LEVEL = 3;

export const TOOL_NAME = 'dora-evidence';

export interface BundleInputFile {
  name: string;
  /** The file on disk whose bytes hash to `sha256`; copied into sources/ byte for byte. */
  path: string;
  sha256: string;
  size: number;
  importer: string | null;
  counts: { read: number; normalized: number; ignored: number; rejected: number };
  coverage: { from: string | null; to: string | null };
}

export interface BundleInput {
  grants: Grant[];
  gaps: Gap[];
  /**
   * Written as timeline.jsonl while iterated; must already be sorted by (at, id). An item is an
   * event, or an event already serialized as its line (`json`, without the newline).
   */
  timeline: AsyncIterable<TimelineItem> | Iterable<TimelineItem>;
  accounting: FileAccounting[];
  rejected: RejectedRecord[];
  policy: unknown;
  summary: Record<string, unknown>;
  inputs: BundleInputFile[];
  period: { since: string; until: string };
  asOf: string;
  toolVersion: string;
  /** sha256 of the canonical rule set. */
  rulesDigest: string;
  /**
   * Other generated members known before the bundle is written; report.pdf and the OSCAL
   * results are not among them: they print the evidence digest, so they are `lateMembers`.
   */
  extraMembers?: { path: string; content: Buffer }[];
  /**
   * Members that print the evidence digest (report.pdf, oscal/assessment-results.json): made
   * after every other member is hashed, and left out of the digest they print.
   */
  lateMembers?: (context: LateMemberContext) => Promise<LateMember[]>;
}

/**
 * A late member's bytes: whole, or produced in chunks while the member is written (called
 * again, for the same bytes, in the rare case the ZIP writer must write the member twice).
 */
export interface LateMember {
  path: string;
  content: Buffer | (() => Iterable<Uint8Array> | AsyncIterable<Uint8Array>);
}

/** A timeline event, or one already serialized as JSON.stringify would write it. */
export type TimelineItem = TimelineEvent | { at: string; id: string; json: string };

export interface LateMemberContext {
  /** See Manifest.evidenceDigest. */
  evidenceDigest: string;
  signerFingerprint: string | null;
  /** The paths late members may use. */
  paths: readonly string[];
}

export interface BundleOptions {
  out: string;
  force: boolean;
  keyPath?: string;
  requireSignature?: boolean;
  includeSources: boolean;
  baselinePath?: string;
}

export interface BaselineResult {
  path: string;
  previousManifestSha256: string;
  previousAsOf: string;
  new: number;
  persisting: number;
  resolved: number;
  resolvedGaps: Record<string, unknown>[];
}

export interface BundleResult {
  manifestSha256: string;
  signed: boolean;
  signerFingerprint: string | null;
  bundlePath: string;
  /** Size of the ZIP in bytes. */
  size: number;
  /** The gaps as written to gaps.json (with `baseline` set under --baseline). */
  gaps: Gap[];
  baseline?: BaselineResult;
  /** Things the caller should print to stderr (a key file others can read). */
  warnings: string[];
}

/** The bundle could not be written (exit 2); nothing is left at the output path. */
export class BundleError extends Error {}

/** Members made after the evidence digest, because they print it. */
export const LATE_MEMBERS: readonly string[] = ['report.pdf', 'oscal/assessment-results.json'];

/** Members in the order they are written; the manifest and its signatures come last. */
const MEMBER_ORDER = [
  'summary.json',
  'grants.json',
  'grants.csv',
  'gaps.json',
  'gaps.csv',
  'timeline.jsonl',
  'accounting.json',
  'rejected.jsonl',
  'policy.json',
];
const GENERATED = new Set([
  'summary.json',
  'grants.json',
  'grants.csv',
  'gaps.json',
  'gaps.csv',
  'timeline.jsonl',
  'accounting.json',
  'rejected.jsonl',
  'policy.json',
  SIGNER_PATH,
  MANIFEST_PATH,
  SIGNATURE_PATH,
  ATTESTATION_PATH,
]);

/** Formats that are compressed already: deflating them again only costs time. */
const STORED_EXTENSIONS = new Set([
  '.gz',
  '.zip',
  '.pdf',
  '.7z',
  '.bz2',
  '.xz',
  '.zst',
  '.png',
  '.jpg',
]);

function methodFor(path: string): ZipMethod {
  return STORED_EXTENSIONS.has(extname(path).toLowerCase()) ? 'store' : 'deflate';
}

function prettyJson(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/**
 * The path of an input inside sources/: its name with `.`/`..`/empty segments and drive letters
 * dropped, backslashes as slashes, quotes and controls replaced (so the manifest stays greppable
 * by the README's sed recipe), and `~N` before the extension when two inputs collide.
 */
export function sourceMemberPaths(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const cleaned = name
      .replace(/\\/g, '/')
      .replace(/^[A-Za-z]:/, '')
      .replace(/[\u0000-\u001f"\u007f]/g, '_')
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..')
      .join('/');
    const base = `sources/${cleaned || 'input'}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) {
      const ext = extname(base);
      candidate = `${base.slice(0, base.length - ext.length)}~${n}${ext}`;
    }
    taken.add(candidate);
    return candidate;
  });
}

async function* timelineLines(
  events: AsyncIterable<TimelineItem> | Iterable<TimelineItem>,
): AsyncGenerator<Buffer> {
  const batcher = new TimelineBatcher();
  if (Symbol.iterator in events) {
    // A plain loop for in-memory and on-disk timelines: no await per event.
    for (const event of events) {
      const chunk = batcher.add(event);
      if (chunk) yield chunk;
    }
  } else {
    for await (const event of events) {
      const chunk = batcher.add(event);
      if (chunk) yield chunk;
    }
  }
  const rest = batcher.flush();
  if (rest) yield rest;
}

/** A timeline chunk is handed on once it holds this many bytes. */
const TIMELINE_CHUNK = 1 << 18;
/** Room past TIMELINE_CHUNK, so that most lines still fit when the chunk is nearly full. */
const TIMELINE_SLACK = 1 << 16;

/**
 * Serializes timeline items into ~256 KiB chunks, checking the (at, id) order on the way. Lines
 * are encoded straight into the chunk's buffer: joining them into a string first and encoding
 * that cost about twice as much of the main thread, the timeline being most of the bundle.
 */
class TimelineBatcher {
  private chunk = Buffer.allocUnsafe(TIMELINE_CHUNK + TIMELINE_SLACK);
  private used = 0;
  private previous: TimelineItem | undefined;

  add(event: TimelineItem): Buffer | null {
    const previous = this.previous;
    // The contract is "sorted by (at, id)"; a violation is a pipeline bug, not a user error.
    if (
      previous &&
      (event.at < previous.at || (event.at === previous.at && event.id < previous.id))
    ) {
      throw new BundleError(`timeline not sorted by (at, id) at event ${event.id}`);
    }
    this.previous = event;
    const json = 'json' in event ? event.json : JSON.stringify(event);
    // A UTF-16 code unit takes at most three UTF-8 bytes; the newline one.
    const worst = json.length * 3 + 1;
    let full: Buffer | null = null;
    if (this.used + worst > this.chunk.length) {
      full = this.flush();
      if (worst > this.chunk.length) this.chunk = Buffer.allocUnsafe(worst);
    }
    this.used += this.chunk.write(json, this.used, 'utf8');
    this.chunk[this.used++] = 0x0a;
    if (full) return full;
    return this.used >= TIMELINE_CHUNK ? this.flush() : null;
  }

  /** The bytes gathered so far; the buffer goes downstream as is, so a new one is started. */
  flush(): Buffer | null {
    if (this.used === 0) return null;
    const done = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(TIMELINE_CHUNK + TIMELINE_SLACK);
    this.used = 0;
    return done;
  }
}

function* jsonLines(records: unknown[]): Generator<Buffer> {
  for (let i = 0; i < records.length; i += 4096) {
    const lines = records.slice(i, i + 4096).map((r) => `${JSON.stringify(r)}\n`);
    yield Buffer.from(lines.join(''), 'utf8');
  }
}

function checkExtraMembers(extra: { path: string; content: Buffer }[]): void {
  const seen = new Set<string>();
  for (const member of extra) {
    const problem = checkMemberName(member.path);
    if (problem) throw new BundleError(`extra member ${member.path}: ${problem}`);
    if (LATE_MEMBERS.includes(member.path)) {
      throw new BundleError(
        `extra member ${member.path} prints the evidence digest: a late member`,
      );
    }
    if (GENERATED.has(member.path) || member.path.startsWith('sources/') || seen.has(member.path)) {
      throw new BundleError(`extra member ${member.path} collides with another member`);
    }
    seen.add(member.path);
  }
}

/** Extra members go after the fixed ones, by path (checkExtraMembers keeps them apart). */
function sortedExtras(extra: { path: string; content: Buffer }[]) {
  return [...extra].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function loadKey(options: BundleOptions): SigningKey | null {
  if (!options.keyPath) {
    if (options.requireSignature) {
      throw new BundleError('--require-signature is set but no --key was given');
    }
    return null;
  }
  try {
    return loadSigningKey(options.keyPath);
  } catch (error) {
    if (error instanceof KeyError) throw new BundleError(error.message);
    throw error;
  }
}

async function compareWithBaseline(
  gaps: Gap[],
  baselinePath: string | undefined,
): Promise<{ gaps: Gap[]; baseline?: BaselineResult }> {
  if (!baselinePath) return { gaps };
  let facts;
  try {
    facts = await readBundleFacts(baselinePath);
  } catch (error) {
    if (error instanceof BaselineError) throw new BundleError(`baseline ${error.message}`);
    throw error;
  }
  const comparison = compareGaps(gaps, facts.gaps);
  return {
    gaps: comparison.marked,
    baseline: {
      path: baselinePath,
      previousManifestSha256: facts.manifestSha256,
      previousAsOf: facts.manifest.asOf,
      new: comparison.newCount,
      persisting: comparison.persistingCount,
      resolved: comparison.resolved.length,
      resolvedGaps: comparison.resolved.map(gapBrief),
    },
  };
}

/**
 * Writes the bundle to a temporary file beside `options.out` and renames it into place. The
 * output depends only on the input, `asOf` and the key: entry order, dates and attributes are
 * fixed, and Ed25519 signatures are deterministic.
 */
export async function writeBundle(
  input: BundleInput,
  options: BundleOptions,
): Promise<BundleResult> {
  const asOf = new Date(input.asOf);
  if (Number.isNaN(asOf.getTime())) throw new BundleError(`asOf ${input.asOf} is not a time`);
  const key = loadKey(options);
  assertWritable(options.out, options.force);
  const extras = input.extraMembers ?? [];
  checkExtraMembers(extras);

  // The baseline is read completely before anything is written, so --baseline may name the
  // very file that --force is about to replace.
  const { gaps, baseline } = await compareWithBaseline(input.gaps, options.baselinePath);

  const summary = {
    ...input.summary,
    signed: key !== null,
    signerFingerprint: key?.fingerprint ?? null,
    unsignedNote: key ? undefined : 'no --key given: the bundle is not signed; hashes only',
    sourcesIncluded: options.includeSources,
    baseline: baseline
      ? {
          previousManifestSha256: baseline.previousManifestSha256,
          previousAsOf: baseline.previousAsOf,
          new: baseline.new,
          persisting: baseline.persisting,
          resolved: baseline.resolved,
          resolvedGaps: baseline.resolvedGaps,
        }
      : null,
  };
  const rest = sortedExtras(extras);
  // Each member is made only when it is written, and the long ones in chunks, so that the
  // bundle never holds more than one member's text (and for most, not even that).
  const produced = (path: string, chunks: () => Iterable<Buffer>) => (zip: ZipWriter) =>
    zip.addProduced(path, chunks, methodFor(path));
  const generated = new Map<string, (zip: ZipWriter) => Promise<ZipEntryInfo>>([
    ['summary.json', (zip) => zip.addBuffer('summary.json', prettyJson(summary))],
    [
      'grants.json',
      produced('grants.json', () => prettyJsonChunks({ grants: streamedArray(input.grants) })),
    ],
    ['grants.csv', produced('grants.csv', () => grantsCsvChunks(input.grants))],
    ['gaps.json', produced('gaps.json', () => prettyJsonChunks({ gaps: streamedArray(gaps) }))],
    ['gaps.csv', produced('gaps.csv', () => gapsCsvChunks(gaps))],
    [
      'timeline.jsonl',
      (zip) =>
        zip.addStream('timeline.jsonl', timelineLines(input.timeline), { level: TIMELINE_LEVEL }),
    ],
    [
      'accounting.json',
      produced('accounting.json', () =>
        prettyJsonChunks({ files: streamedArray(input.accounting) }),
      ),
    ],
    ['rejected.jsonl', (zip) => zip.addStream('rejected.jsonl', jsonLines(input.rejected))],
    ['policy.json', (zip) => zip.addBuffer('policy.json', prettyJson(input.policy ?? null))],
  ]);

  const sourcePaths = sourceMemberPaths(input.inputs.map((i) => i.name));
  const out = resolve(options.out);

  const written = await writeAtomically(out, options.force, async (temp) => {
    const zip = await ZipWriter.create(temp, { date: asOf }).catch((error: Error) => {
      throw new BundleError(`cannot create ${out}: ${error.message}`);
    });
    try {
      const files: ManifestFile[] = [];
      const record = (info: { name: string; size: number; sha256: string }) =>
        files.push({ path: info.name, size: info.size, sha256: info.sha256 });

      for (const path of MEMBER_ORDER) {
        const write = generated.get(path);
        if (write) record(await write(zip));
      }
      for (const member of rest) {
        record(await zip.addBuffer(member.path, member.content, methodFor(member.path)));
      }

      const manifestInputs: ManifestInput[] = [];
      const copied = new Map<string, string>();
      for (const [index, file] of input.inputs.entries()) {
        let bundlePath: string | null = null;
        if (options.includeSources) {
          bundlePath = copied.get(`${file.path}\u0000${file.sha256}`) ?? null;
          if (bundlePath === null) {
            bundlePath = sourcePaths[index];
            const info = await zip.addFile(bundlePath, file.path, methodFor(bundlePath));
            if (info.sha256 !== file.sha256 || info.size !== file.size) {
              throw new BundleError(
                `input ${file.name} changed since it was read (sha256 ${info.sha256}, ` +
                  `expected ${file.sha256}): the bundle would not hold the analysed bytes`,
              );
            }
            copied.set(`${file.path}\u0000${file.sha256}`, bundlePath);
            record(info);
          }
        }
        manifestInputs.push({
          name: file.name,
          sha256: file.sha256,
          size: file.size,
          importer: file.importer,
          counts: file.counts,
          coverage: file.coverage,
          bundlePath,
        });
      }
      if (key)
        record(await zip.addBuffer(SIGNER_PATH, Buffer.from(key.publicPem, 'utf8'), 'store'));

      const core: Manifest = {
        manifestVersion: 1,
        tool: { name: TOOL_NAME, version: input.toolVersion },
        period: input.period,
        asOf: input.asOf,
        inputs: manifestInputs,
        policySha256: sha256Hex(canonicalBytes(input.policy ?? null)),
        rulesSha256: input.rulesDigest,
        previousManifestSha256: baseline?.previousManifestSha256 ?? null,
        sourcesIncluded: options.includeSources,
        files: [...files],
      };
      const evidenceDigest = evidenceDigestOf(core);
      const late = input.lateMembers
        ? await input.lateMembers({
            evidenceDigest,
            signerFingerprint: key?.fingerprint ?? null,
            paths: LATE_MEMBERS,
          })
        : [];
      for (const member of late) {
        if (!LATE_MEMBERS.includes(member.path))
          throw new BundleError(
            `late member ${member.path} is not one of ${LATE_MEMBERS.join(', ')}`,
          );
        const method = methodFor(member.path);
        const { path, content } = member;
        if (Buffer.isBuffer(content)) record(await zip.addBuffer(path, content, method));
        else record(await zip.addProduced(path, content, method));
      }
      const manifest: Manifest = {
        ...core,
        files,
        evidenceDigest,
        evidenceDigestExcludes: late.map((m) => m.path).sort(),
      };
      const bytes = manifestBytes(manifest);
      const manifestSha256 = sha256Hex(bytes);
      await zip.addBuffer(MANIFEST_PATH, bytes);

      if (key) {
        await zip.addBuffer(SIGNATURE_PATH, signBytes(key, bytes), 'store');
        const subjects = [...files, { path: MANIFEST_PATH, sha256: manifestSha256 }].map((f) => ({
          name: f.path,
          digest: { sha256: f.sha256 },
        }));
        const statement = buildStatement(subjects, {
          tool: manifest.tool,
          period: manifest.period,
          asOf: manifest.asOf,
          manifestSha256,
          previousManifestSha256: manifest.previousManifestSha256,
          policySha256: manifest.policySha256,
          rulesSha256: manifest.rulesSha256,
          sourcesIncluded: manifest.sourcesIncluded,
        });
        await zip.addBuffer(ATTESTATION_PATH, canonicalBytes(signStatement(statement, key)));
      }
      const { size } = await zip.finish();
      return { manifestSha256, size };
    } catch (error) {
      await zip.abort();
      if (error instanceof ZipError) throw new BundleError(error.message);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new BundleError(`cannot read input: ${(error as Error).message}`);
      }
      throw error;
    }
  });

  return {
    manifestSha256: written.manifestSha256,
    signed: key !== null,
    signerFingerprint: key?.fingerprint ?? null,
    bundlePath: out,
    size: written.size,
    gaps,
    baseline,
    warnings: [options.keyPath ? keyFilePermissionWarning(options.keyPath) : null].filter(
      (w): w is string => w !== null,
    ),
  };
}
