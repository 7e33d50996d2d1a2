// The analysis entry point the build command calls: resolve, correlate, check, summarize.
import { effectivePolicy, type EffectivePolicy } from './config/effective.js';
import type { Config } from './config/schema.js';
import { CoverageIndex } from './correlate/coverage.js';
import { familyOf } from './correlate/families.js';
import { correlate } from './correlate/index.js';
import { toGrant } from './correlate/output.js';
import type { CorrelationResult, WorkGrant } from './correlate/types.js';
import type { SourceNote } from './importers/types.js';
import type { FileAccounting, FirstIgnored } from './model/accounting.js';
import type { TimelineEvent } from './model/event.js';
import { ActivityStore, mergeByTime, type TimelineLine } from './pipeline/activity-store.js';
import { SEVERITY_ORDER, type Gap } from './model/gap.js';
import type { Grant } from './model/grant.js';
import { Resolver } from './resolve/resolver.js';
import { runRules } from './rules/engine.js';
import { DEFAULT_SEVERITIES } from './rules/index.js';

export interface AnalyzeInput {
  /** The whole timeline, sorted by (at, id); with `activity`, all but the activity events. */
  events: TimelineEvent[];
  /** Activity kept out of memory (ImportOptions.spill), resolved with this resolver. */
  activity?: { store: ActivityStore; resolver: Resolver };
  /** Per input file: coverage from/to, importer, counts. */
  accounting: FileAccounting[];
  /** Importer notes (integrity verified / unverified / failed). */
  notes: SourceNote[];
  /** Where each file's first ignored record of each kind is, to point the reader at one. */
  firstIgnored?: readonly FirstIgnored[];
  config: Config;
  /** The "now" for open grants, UTC with ms; rules never read the clock. */
  asOf: string;
  /** Period under review, UTC instants, inclusive. */
  period: { since: string; until: string };
}

export interface SourceCoverage {
  importer: string;
  family: string;
  files: number;
  normalized: number;
  from: string | null;
  to: string | null;
}

export interface AnalyzeSummary {
  grants: number;
  gaps: number;
  bySeverity: Record<string, number>;
  byRule: Record<string, number>;
  byCertainty: Record<string, number>;
  linksByReason: Record<string, number>;
  unresolvedIdentities: string[];
  unresolvedTargets: string[];
  /** Timeline events no grant took, by stage (failed records counted as "<stage> (failed)"). */
  unlinkedByStage: Record<string, number>;
  coverage: SourceCoverage[];
}

export interface AnalyzeResult {
  grants: Grant[];
  gaps: Gap[];
  /** Written as policy.json. */
  policy: EffectivePolicy;
  summary: AnalyzeSummary;
  /** The timeline with canonical identity and target ids (raw values kept), same order. */
  timeline: AnalyzedTimeline;
}

/** The resolved timeline: the events other than activity in memory, activity in its store. */
export class AnalyzedTimeline {
  constructor(
    /** Resolved events of every stage but activity, sorted by (at, id). */
    readonly core: readonly TimelineEvent[],
    readonly activity: ActivityStore,
  ) {}

  get count(): number {
    return this.core.length + this.activity.count;
  }

  /** Every event as its timeline.jsonl line (without the newline), sorted by (at, id). */
  *lines(): Generator<TimelineLine & { event?: TimelineEvent }> {
    const core = this.core.map((event) => ({ at: event.at, id: event.id, event }));
    for (const item of mergeByTime(core, this.activity.lines())) {
      if ('json' in item) yield item;
      else yield { at: item.at, id: item.id, json: JSON.stringify(item.event), event: item.event };
    }
  }

  /** Every event as an object: reads all activity back, so for small timelines and tests. */
  events(): TimelineEvent[] {
    return [...this.lines()].map((line) => line.event ?? (JSON.parse(line.json) as TimelineEvent));
  }
}

export function analyze(input: AnalyzeInput): AnalyzeResult {
  const { config, asOf, period } = input;
  const asOfMs = Date.parse(asOf);
  const sinceMs = Date.parse(period.since);
  const untilMs = Date.parse(period.until);

  const resolver = input.activity?.resolver ?? new Resolver(config);
  const { core, store } = input.activity
    ? { core: input.events, store: input.activity.store }
    : splitActivity(input.events, resolver);
  const resolved = resolver.resolveAll(core);
  const correlation = correlate(resolved.events, config, asOf, resolver, () => store.views());

  // Every grant of the period: issued by its end, and not ended before it began.
  const inPeriod = correlation.grants.filter(
    (g) => g.issuedMs <= untilMs && (g.endMs ?? Infinity) >= sinceMs,
  );
  const scoped = scopeToPeriod(correlation, sinceMs, untilMs);

  const { gaps, gapIdsByGrant } = runRules({
    grants: inPeriod,
    correlation: scoped,
    events: { [Symbol.iterator]: () => mergeByTime(resolved.events, store.views()) },
    accounting: input.accounting,
    firstIgnored: input.firstIgnored ?? [],
    notes: input.notes,
    config,
    policy: config.policy,
    resolver,
    coverage: new CoverageIndex(input.accounting, config.policy.clockSkew),
    asOfMs,
    sinceMs,
    untilMs,
    skewMs: config.policy.clockSkew,
  });

  const grants = inPeriod.map((g) => toGrant(g, resolver, gapIdsByGrant.get(g.id) ?? []));
  return {
    grants,
    gaps,
    policy: effectivePolicy(config, DEFAULT_SEVERITIES, period, asOf),
    summary: summarize(grants, gaps, resolved, correlation, input.accounting),
    timeline: new AnalyzedTimeline(resolved.events, store),
  };
}

/** Activity goes to a store (in memory unless large), as a spilling import would have put it. */
function splitActivity(
  events: readonly TimelineEvent[],
  resolver: Resolver,
): { core: TimelineEvent[]; store: ActivityStore } {
  const core: TimelineEvent[] = [];
  const store = new ActivityStore();
  for (const event of events) {
    if (event.stage === 'activity') store.add(resolver.resolveEvent(event));
    else core.push(event);
  }
  store.finish();
  return { core, store };
}

/** Source-level correlation facts (orphan activity, skew) limited to the period. */
function scopeToPeriod(
  correlation: CorrelationResult,
  sinceMs: number,
  untilMs: number,
): CorrelationResult {
  return {
    ...correlation,
    orphanActivity: correlation.orphanActivity.filter(
      (o) => o.stats.lastMs >= sinceMs && o.stats.firstMs <= untilMs,
    ),
    skew: correlation.skew.filter((s) => s.atMs >= sinceMs && s.atMs <= untilMs),
  };
}

function summarize(
  grants: Grant[],
  gaps: Gap[],
  resolved: { unresolvedIdentities: string[]; unresolvedTargets: string[] },
  correlation: CorrelationResult,
  accounting: FileAccounting[],
): AnalyzeSummary {
  const bySeverity: Record<string, number> = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0]));
  const byRule: Record<string, number> = {};
  const byCertainty: Record<string, number> = { certain: 0, uncertain: 0 };
  for (const gap of gaps) {
    bySeverity[gap.severity] += 1;
    byRule[gap.rule] = (byRule[gap.rule] ?? 0) + 1;
    byCertainty[gap.certainty] += 1;
  }

  // Counted from the grants as written, so the summary agrees with grants.json.
  const linksByReason: Record<string, number> = {};
  const add = (reason: string, n: number) =>
    (linksByReason[reason] = (linksByReason[reason] ?? 0) + n);
  for (const grant of grants) {
    for (const link of grant.links) add(link.reason, 1);
    for (const session of grant.sessions)
      for (const [reason, n] of Object.entries(session.linkReasons ?? {})) add(reason, n);
  }

  return {
    grants: grants.length,
    gaps: gaps.length,
    bySeverity,
    byRule: sortKeys(byRule),
    byCertainty,
    linksByReason: sortKeys(linksByReason),
    unresolvedIdentities: resolved.unresolvedIdentities,
    unresolvedTargets: resolved.unresolvedTargets,
    unlinkedByStage: correlation.unlinkedByStage,
    coverage: coverageByImporter(accounting),
  };
}

function coverageByImporter(accounting: FileAccounting[]): SourceCoverage[] {
  const byImporter = new Map<string, SourceCoverage>();
  for (const file of accounting) {
    if (!file.importer) continue;
    const entry = byImporter.get(file.importer) ?? {
      importer: file.importer,
      family: familyOf(file.importer),
      files: 0,
      normalized: 0,
      from: null,
      to: null,
    };
    entry.files += 1;
    entry.normalized += file.normalized;
    if (file.coverage.from && (entry.from === null || file.coverage.from < entry.from))
      entry.from = file.coverage.from;
    if (file.coverage.to && (entry.to === null || file.coverage.to > entry.to))
      entry.to = file.coverage.to;
    byImporter.set(file.importer, entry);
  }
  return [...byImporter.values()].sort((a, b) => (a.importer < b.importer ? -1 : 1));
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

export type { WorkGrant };
export {
  loadConfig,
  parseConfig,
  parseConfigText,
  defaultConfig,
  ConfigError,
} from './config/index.js';
export { parseDuration } from './config/duration.js';
export { RULES } from './rules/index.js';
