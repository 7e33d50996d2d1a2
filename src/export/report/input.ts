// What the report is drawn from, plus the orderings and limits that keep it readable at scale.
import type { FileAccounting, RejectedRecord } from '../../model/accounting.js';
import type { TimelineEvent } from '../../model/event.js';
import type { Gap, Grant } from '../../model/index.js';
import { SEVERITY_ORDER } from '../../model/gap.js';

export interface ReportInput {
  grants: Grant[];
  gaps: Gap[];
  /** Events by id: at least those of the grants and gaps the report shows. */
  events: ReadonlyMap<string, TimelineEvent>;
  accounting: FileAccounting[];
  rejected: RejectedRecord[];
  policy: unknown;
  period: { since: string; until: string };
  asOf: string;
  toolVersion: string;
  /** sha256 over the manifest's file list without report.pdf (the report cannot hold its own hash). */
  evidenceDigest: string;
  /** sha256 of the signer's SPKI DER, or null when the bundle is unsigned. */
  signerFingerprint: string | null;
  /** Rule titles by rule id. */
  ruleTitles: Record<string, string>;
  /** Per source (importer id): the UTC days (YYYY-MM-DD) on which it has at least one event. */
  daysWithData: Record<string, string[]>;
  /** Policy parameters that are the firm's choice, not regulation, in plain words. */
  policyStatements: string[];
}

/** Bounds that keep the PDF short for thousands of grants; the CSVs hold everything. */
export const LIMITS = {
  lifecycleGrants: 120,
  gapRows: 400,
  detailGrants: 60,
  cleanDetailGrants: 10,
  eventsPerGrant: 40,
  rejectedRows: 40,
  evidenceRows: 600,
  inputRows: 200,
};

export function severityRank(severity: string): number {
  return SEVERITY_ORDER.indexOf(severity as (typeof SEVERITY_ORDER)[number]);
}

/** Gaps worst first: severity, then time, then id. */
export function gapsWorstFirst(gaps: readonly Gap[]): Gap[] {
  return [...gaps].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) || cmp(a.at, b.at) || cmp(a.id, b.id),
  );
}

/** Grants worst first: highest gap severity, gap count, then issue time and id. */
export function grantsWorstFirst(grants: readonly Grant[], gaps: readonly Gap[]): Grant[] {
  const worst = new Map<string, { rank: number; count: number }>();
  for (const gap of gaps) {
    if (!gap.grantId) continue;
    const entry = worst.get(gap.grantId) ?? { rank: -1, count: 0 };
    entry.rank = Math.max(entry.rank, severityRank(gap.severity));
    entry.count += 1;
    worst.set(gap.grantId, entry);
  }
  const key = (g: Grant) => worst.get(g.id) ?? { rank: -1, count: 0 };
  return [...grants].sort(
    (a, b) =>
      key(b).rank - key(a).rank ||
      key(b).count - key(a).count ||
      cmp(a.issuedAt ?? a.requestedAt ?? '', b.issuedAt ?? b.requestedAt ?? '') ||
      cmp(a.id, b.id),
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
