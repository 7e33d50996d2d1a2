// Comparing a run with an earlier bundle: gap identities that survive reruns, new/persisting/resolved.
import { GapsFile, type Gap } from '../model/gap.js';
import { GrantsFile, type Grant } from '../model/grant.js';
import { sha256Hex, stableId } from '../util/hash.js';
import { MemberReadError, SafeZip, UnreadableZipError } from '../verify/zip-reader.js';
import { MANIFEST_PATH, parseManifest, type Manifest } from './manifest.js';

export class BaselineError extends Error {}

/** JSON members larger than this are not loaded into memory. */
const JSON_MEMBER_LIMIT = 1 << 30;

export interface BundleFacts {
  path: string;
  manifestSha256: string;
  manifest: Manifest;
  grants: Grant[];
  gaps: Gap[];
}

async function readListedJson(zip: SafeZip, manifest: Manifest, name: string): Promise<unknown> {
  const listed = manifest.files.find((f) => f.path === name);
  const member = zip.byName().get(name);
  if (!listed || !member) throw new BaselineError(`${name} is missing`);

  let bytes: Buffer;
  try {
    bytes = await zip.read(member, JSON_MEMBER_LIMIT);
  } catch (error) {
    const reason = error instanceof MemberReadError ? error.message : String(error);
    throw new BaselineError(`${name}: ${reason}`);
  }
  // The comparison is only as good as the old gaps: they must be the ones the manifest lists.
  if (bytes.length !== listed.size || sha256Hex(bytes) !== listed.sha256) {
    throw new BaselineError(`${name} does not match its manifest entry (run verify on it)`);
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new BaselineError(`${name} is not JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads manifest, grants and gaps of an earlier bundle, checking the two JSON members against
 * the manifest. Signature trust is `verify`'s job; this only refuses an inconsistent bundle.
 */
export async function readBundleFacts(path: string): Promise<BundleFacts> {
  let zip: SafeZip;
  try {
    zip = await SafeZip.open(path);
  } catch (error) {
    const reason = error instanceof UnreadableZipError ? error.message : String(error);
    throw new BaselineError(reason);
  }
  try {
    const manifestMember = zip.byName().get(MANIFEST_PATH);
    if (!manifestMember) throw new BaselineError(`${path} has no manifest.json`);
    const bytes = await zip.read(manifestMember, JSON_MEMBER_LIMIT).catch((error: Error) => {
      throw new BaselineError(`manifest.json: ${error.message}`);
    });
    const manifest = (() => {
      try {
        return parseManifest(bytes);
      } catch (error) {
        throw new BaselineError((error as Error).message);
      }
    })();

    const grantsJson = GrantsFile.safeParse(await readListedJson(zip, manifest, 'grants.json'));
    const gapsJson = GapsFile.safeParse(await readListedJson(zip, manifest, 'gaps.json'));
    if (!grantsJson.success) throw new BaselineError('grants.json does not have the grants shape');
    if (!gapsJson.success) throw new BaselineError('gaps.json does not have the gaps shape');
    return {
      path,
      manifestSha256: sha256Hex(bytes),
      manifest,
      grants: grantsJson.data.grants,
      gaps: gapsJson.data.gaps,
    };
  } catch (error) {
    if (error instanceof BaselineError) throw new BaselineError(`${path}: ${error.message}`);
    throw error;
  } finally {
    zip.close();
  }
}

/**
 * What makes "the same gap" across runs. Gap and event ids hash the input files, so one more
 * line in a nightly export changes them all; the rule, who, what and when do not. The message
 * is left out on purpose: it may state durations measured up to --as-of.
 */
export function gapIdentity(gap: Gap): string {
  return stableId('gapkey', gap.rule, gap.subject ?? '', gap.target ?? '', gap.at);
}

/** Same idea for grants: subject, target and the first lifecycle instant. */
export function grantIdentity(grant: Grant): string {
  const start = grant.issuedAt ?? grant.requestedAt ?? grant.sessions[0]?.start ?? '';
  return stableId('grantkey', grant.subject.id, grant.target.id, start);
}

/**
 * Pairs current with previous items: first by exact id, then by identity, each previous item
 * used at most once (two equal gaps in both runs pair up twice, a third one is new).
 */
export function pairItems<T extends { id: string }>(
  current: T[],
  previous: T[],
  identity: (item: T) => string,
): { pairs: [T, T][]; unmatchedCurrent: T[]; unmatchedPrevious: T[] } {
  const freeById = new Map(previous.map((item, index) => [item.id, index]));
  const used = new Set<number>();
  const pairs: [T, T][] = [];
  const pending: T[] = [];

  for (const item of current) {
    const index = freeById.get(item.id);
    if (index !== undefined && !used.has(index)) {
      used.add(index);
      pairs.push([item, previous[index]]);
    } else {
      pending.push(item);
    }
  }

  const freeByIdentity = new Map<string, number[]>();
  previous.forEach((item, index) => {
    if (used.has(index)) return;
    const key = identity(item);
    freeByIdentity.set(key, [...(freeByIdentity.get(key) ?? []), index]);
  });
  const unmatchedCurrent: T[] = [];
  for (const item of pending) {
    const index = freeByIdentity.get(identity(item))?.shift();
    if (index === undefined) {
      unmatchedCurrent.push(item);
    } else {
      used.add(index);
      pairs.push([item, previous[index]]);
    }
  }
  const unmatchedPrevious = previous.filter((_, index) => !used.has(index));
  return { pairs, unmatchedCurrent, unmatchedPrevious };
}

export interface GapComparison {
  /** The current gaps, in their order, each with `baseline` set. */
  marked: Gap[];
  newCount: number;
  persistingCount: number;
  /** Previous gaps with no counterpart now. */
  resolved: Gap[];
}

export function compareGaps(current: Gap[], previous: Gap[]): GapComparison {
  const { unmatchedCurrent, unmatchedPrevious } = pairItems(current, previous, gapIdentity);
  const fresh = new Set(unmatchedCurrent);
  const marked = current.map((gap): Gap => ({
    ...gap,
    baseline: fresh.has(gap) ? 'new' : 'persisting',
  }));
  return {
    marked,
    newCount: fresh.size,
    persistingCount: current.length - fresh.size,
    resolved: unmatchedPrevious,
  };
}

/** A short form of a gap for summaries and diffs. */
export function gapBrief(gap: Gap): Record<string, unknown> {
  return {
    id: gap.id,
    rule: gap.rule,
    severity: gap.severity,
    grantId: gap.grantId,
    subject: gap.subject,
    target: gap.target,
    at: gap.at,
    message: gap.message,
  };
}
