// The rule contract: metadata (ESLint-style) plus a check that turns correlated facts into gaps.
import type { Config, Policy } from '../config/schema.js';
import type { Coverage, CoverageIndex } from '../correlate/coverage.js';
import type { Family } from '../correlate/families.js';
import type { CorrelationResult, WorkGrant } from '../correlate/types.js';
import type { SourceNote } from '../importers/types.js';
import type { FileAccounting, FirstIgnored } from '../model/accounting.js';
import type { TimelineEvent } from '../model/event.js';
import type { Controls, RuleId, Severity } from '../model/gap.js';
import type { Resolver } from '../resolve/resolver.js';

export interface RuleMeta {
  id: RuleId;
  title: string;
  severity: Severity;
  /** Why the finding matters, in plain words. */
  rationale: string;
  /** What to do about it. */
  remediation: string;
  controls: Controls;
  /** Where the control references come from when control-references.md has no row for the rule. */
  controlsNote?: string;
  /** Families of sources that would hold the evidence whose absence (or presence) is the finding. */
  evidenceFamilies: readonly Family[];
  /** Config keys this rule reads whose values are the firm's own policy, not law. */
  policyParameters: readonly string[];
  /** False when the timeline model cannot support the rule; `limitations` says why. */
  supported: boolean;
  limitations: readonly string[];
}

/** What every timeline event offers a rule that scans the whole timeline. */
export type TimelineMark = Pick<TimelineEvent, 'at' | 'id'> & { source: { importer: string } };

export interface RuleContext {
  /** Grants overlapping the period under review. */
  grants: readonly WorkGrant[];
  correlation: CorrelationResult;
  /**
   * The resolved timeline, sorted by (at, id): time, id and source of each event only (activity
   * is read back from disk for it, so iterating it is a full pass; do it at most once).
   */
  events: Iterable<TimelineMark>;
  accounting: readonly FileAccounting[];
  /** Where each file's first ignored record of each kind is (accounting counts them). */
  firstIgnored: readonly FirstIgnored[];
  notes: readonly SourceNote[];
  config: Config;
  policy: Policy;
  resolver: Resolver;
  coverage: CoverageIndex;
  asOfMs: number;
  sinceMs: number;
  untilMs: number;
  skewMs: number;
}

/** What a rule reports; the engine adds id, rule, severity, controls and coverage. */
export interface GapDraft {
  grant: WorkGrant | null;
  /** Defaults to the grant's subject and target; null for source-level gaps. */
  subject?: string | null;
  target?: string | null;
  atMs: number;
  message: string;
  evidence: readonly string[];
  certainty?: 'certain' | 'uncertain';
  /** Time window the missing evidence would fall in (coverage); defaults to [atMs, atMs]. */
  window?: readonly [number, number];
  coverage?: Coverage;
  /** Raise the configured severity to at least this (a failed integrity check). */
  severityAtLeast?: Severity;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): GapDraft[];
}
