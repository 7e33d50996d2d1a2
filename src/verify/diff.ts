// Compares two bundles: grants added, ended and dropped; gaps new, resolved and persisting.
import type { Gap } from '../model/gap.js';
import type { Grant } from '../model/grant.js';
import {
  gapBrief,
  gapIdentity,
  grantIdentity,
  pairItems,
  readBundleFacts,
} from '../export/baseline.js';

export interface GrantBrief {
  id: string;
  subject: string;
  target: string;
  issuedAt: string | null;
  endedAt: string | null;
  endReason: string;
}

export interface BundleDiff {
  old: { path: string; manifestSha256: string; asOf: string };
  new: { path: string; manifestSha256: string; asOf: string };
  grants: { added: GrantBrief[]; ended: GrantBrief[]; dropped: GrantBrief[] };
  gaps: {
    new: Record<string, unknown>[];
    resolved: Record<string, unknown>[];
    persisting: Record<string, unknown>[];
  };
  counts: {
    grantsAdded: number;
    grantsEnded: number;
    grantsDropped: number;
    gapsNew: number;
    gapsResolved: number;
    gapsPersisting: number;
  };
}

function grantBrief(grant: Grant): GrantBrief {
  return {
    id: grant.id,
    subject: grant.subject.id,
    target: grant.target.id,
    issuedAt: grant.issuedAt,
    endedAt: grant.endedAt,
    endReason: grant.endReason,
  };
}

/**
 * `ended`: open in the old bundle, revoked or expired in the new one. `dropped`: in the old
 * bundle only (usually the period moved past it). Gaps pair as --baseline pairs them.
 */
export function diffFacts(
  oldGrants: Grant[],
  oldGaps: Gap[],
  newGrants: Grant[],
  newGaps: Gap[],
): Pick<BundleDiff, 'grants' | 'gaps'> {
  const grants = pairItems(newGrants, oldGrants, grantIdentity);
  const ended = grants.pairs
    .filter(([current, previous]) => previous.endReason === 'open' && current.endReason !== 'open')
    .map(([current]) => grantBrief(current));
  const gaps = pairItems(newGaps, oldGaps, gapIdentity);
  return {
    grants: {
      added: grants.unmatchedCurrent.map(grantBrief),
      ended,
      dropped: grants.unmatchedPrevious.map(grantBrief),
    },
    gaps: {
      new: gaps.unmatchedCurrent.map(gapBrief),
      resolved: gaps.unmatchedPrevious.map(gapBrief),
      persisting: gaps.pairs.map(([current]) => gapBrief(current)),
    },
  };
}

/** Reads both bundles (each checked against its own manifest) and compares them. */
export async function diffBundles(oldPath: string, newPath: string): Promise<BundleDiff> {
  const before = await readBundleFacts(oldPath);
  const after = await readBundleFacts(newPath);
  const { grants, gaps } = diffFacts(before.grants, before.gaps, after.grants, after.gaps);
  return {
    old: { path: oldPath, manifestSha256: before.manifestSha256, asOf: before.manifest.asOf },
    new: { path: newPath, manifestSha256: after.manifestSha256, asOf: after.manifest.asOf },
    grants,
    gaps,
    counts: {
      grantsAdded: grants.added.length,
      grantsEnded: grants.ended.length,
      grantsDropped: grants.dropped.length,
      gapsNew: gaps.new.length,
      gapsResolved: gaps.resolved.length,
      gapsPersisting: gaps.persisting.length,
    },
  };
}
