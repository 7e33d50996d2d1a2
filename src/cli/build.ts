// `build`: the main job. Import, correlate, check, then write the signed evidence bundle.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { analyze } from '../analyze.js';
import { BundleError, writeBundle, type BundleResult } from '../export/bundle.js';
import { canonicalBytes } from '../export/canonical-json.js';
import { OutputExistsError } from '../export/atomic-file.js';
import { writeDetachedSignature } from '../export/detached.js';
import { writeFileAtomically } from '../export/atomic-file.js';
import { failOnExit } from '../export/fail-on.js';
import { writeJunit } from '../export/junit.js';
import { assessmentResultsChunks, type OscalInput } from '../export/oscal/index.js';
import { renderReport } from '../export/report/index.js';
import { createPseudonymizer, loadPseudonymKey, pseudonymOf } from '../export/pseudonymize.js';
import type { EffectivePolicy } from '../config/index.js';
import { KeyError } from '../export/signing.js';
import type { Gap, Grant, RejectedRecord } from '../model/index.js';
import { RULES } from '../rules/index.js';
import { sha256Hex } from '../util/hash.js';
import { VERSION } from '../version.js';
import { bundleInputs } from './build-inputs.js';
import { loadRunConfig } from './config-input.js';
import { UsageError } from './errors.js';
import { importFromOptions, type InputOptions } from './inputs.js';
import { createLogger, verbosityOf, type Logger } from './log.js';
import type { Config } from '../config/schema.js';
import type { TimelineEvent } from '../model/event.js';
import { ActivityStore } from '../pipeline/activity-store.js';
import type { ImportResult } from '../pipeline/import.js';
import { checkPeriodFlags, resolvePeriod } from './period.js';
import { policyStatements, TimelineTap } from './report-input.js';
import { Resolver } from '../resolve/resolver.js';

export interface BuildOptions extends InputOptions {
  out: string;
  force?: boolean;
  since?: string;
  until?: string;
  asOf?: string;
  key?: string;
  requireSignature?: boolean;
  pdf?: string;
  baseline?: string;
  failOn: string;
  json?: boolean;
  junit?: string;
  sources?: boolean;
  pseudonymize?: string;
  quiet?: boolean;
  verbose?: boolean;
}

/** Inputs smaller than this are read on the main thread: starting workers costs ~0.2 s. */
const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;
/**
 * Thousands of files of a few KB (quiet regions of a CloudTrail tree) cost more to hand to a
 * worker than to read on the main thread: 10-20 % slower with workers at 2.4 KB a file.
 */
const PARALLEL_MIN_MEAN_FILE_BYTES = 32 * 1024;

/**
 * Worker threads for reading large inputs: one per core, at most two (the machines this is
 * measured on have two). DORA_WORKERS sets the number; 0 reads everything on the main thread.
 */
function workerThreads(): number {
  const given = process.env.DORA_WORKERS;
  if (given !== undefined && /^\d+$/.test(given)) return Math.min(Number(given), 16);
  return Math.min(2, availableParallelism());
}

export async function run(paths: string[], options: BuildOptions): Promise<number> {
  const logger = createLogger(verbosityOf(options));
  const stages: Record<string, number> = {};
  const timed = async <T>(stage: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      stages[stage] = Math.round(performance.now() - started) / 1000;
      if (process.env.DORA_REPORT_RSS) {
        (globalThis as { gc?: () => void }).gc?.();
        const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
        const peak = process.resourceUsage().maxRSS;
        process.stderr.write(
          `after ${stage}: rss ${rss >> 20} MB, heap ${heapUsed >> 20}/${heapTotal >> 20} MB, ` +
            `ext ${external >> 20} MB, peak ${peak >> 10} MB\n`,
        );
      }
    }
  };

  const { config, importConfig } = await loadRunConfig(options.config);
  // Every file build writes is checked, not only the bundle: `--pdf in.json --force` must not
  // replace an input with the report.
  const outputs = [
    ['--out', options.out],
    ['--pdf', options.pdf],
    ['--junit', options.junit],
  ] as const;
  for (const [flag, file] of outputs) if (file) checkOutputPath(file, paths, flag);
  const given = outputs
    .filter(([, file]) => file)
    .map(([flag, file]) => [flag, path.resolve(file as string)]);
  for (const [flag, file] of given) {
    const other = given.find(([otherFlag, otherFile]) => otherFlag !== flag && otherFile === file);
    if (other) throw new UsageError(`${flag} and ${other[0]} name the same file ${file}`);
  }
  if (options.requireSignature && !options.key)
    throw new UsageError('--require-signature is set but no --key was given');
  checkPeriodFlags({ ...options, timezone: options.timezone ?? config.timezone });

  // Activity is resolved as it is imported and kept out of memory (sorted runs on disk).
  const resolver = new Resolver(config);
  const spill = {
    resolve: (event: TimelineEvent) => resolver.resolveEvent(event),
    parallel: {
      config,
      absorbUnresolved: (unresolved: { identities: string[]; targets: string[] }) =>
        resolver.absorbUnresolved(unresolved),
      threads: workerThreads(),
      minBytes: PARALLEL_MIN_BYTES,
      minMeanFileBytes: PARALLEL_MIN_MEAN_FILE_BYTES,
    },
  };
  const { result } = await timed('import', () =>
    importFromOptions(paths, options, importConfig, logger, spill),
  );
  try {
    return await buildFrom(result, resolver, options, config, paths, logger, stages, timed);
  } finally {
    result.activity?.close();
  }
}

async function buildFrom(
  result: ImportResult,
  resolver: Resolver,
  options: BuildOptions,
  config: Config,
  paths: string[],
  logger: Logger,
  stages: Record<string, number>,
  timed: <T>(stage: string, work: () => Promise<T> | T) => Promise<T>,
): Promise<number> {
  const store = result.activity ?? emptyStore();
  const period = resolvePeriod({
    since: options.since ?? config.period?.since,
    until: options.until ?? config.period?.until,
    sinceFrom: options.since === undefined ? 'the config period.since' : '--since',
    untilFrom: options.until === undefined ? 'the config period.until' : '--until',
    asOf: options.asOf,
    timezone: options.timezone ?? config.timezone,
    earliestEvent: earlier(result.events[0]?.at, store.first ?? undefined),
    latestEvent: later(result.events[result.events.length - 1]?.at, store.last ?? undefined),
  });
  logger.debug(
    `period ${period.since} .. ${period.until}, as of ${period.asOf} (${period.origin.asOf})`,
  );

  // A period start taken from the inputs' own earliest record says nothing about retention:
  // measuring the other sources against it would report shortfalls that are an artefact.
  const inferredStart = !options.since && !config.period?.since;
  if (inferredStart) {
    logger.warn(
      `no --since or period.since: the period starts at the earliest record (${period.since}); ` +
        'retention-shortfall is not checked',
    );
  }
  const checkedConfig = inferredStart
    ? { ...config, rules: { ...config.rules, 'retention-shortfall': 'off' as const } }
    : config;
  const analysis = await timed('analyze', () =>
    analyze({
      events: result.events,
      activity: { store, resolver },
      accounting: result.accounting,
      firstIgnored: result.firstIgnored,
      notes: result.notes,
      config: checkedConfig,
      asOf: period.asOf,
      period,
    }),
  );
  const tap = new TimelineTap(analysis.timeline, analysis.grants, analysis.gaps);
  const view = await shareable(options, analysis, tap, result.rejected, logger);
  const policy = view.policy(analysis.policy);
  const inputs = await bundleInputs(result);
  const rulesDigest = sha256Hex(
    canonicalBytes(
      RULES.map((rule) => ({
        id: rule.id,
        severity: analysis.policy.rules[rule.id] ?? rule.severity,
        controls: rule.controls,
      })),
    ),
  );
  const summary = {
    tool: { name: 'dora-evidence', version: VERSION },
    period: { since: period.since, until: period.until },
    asOf: period.asOf,
    ...analysis.summary,
    unresolvedIdentities: analysis.summary.unresolvedIdentities.map(view.personId),
    pseudonymized: view.pseudonymized,
    inputs: inputs.length,
    records: totals(result.accounting),
    unrecognizedFiles: result.unrecognized.map((u) => u.file),
  };

  let reportBytes: Buffer | null = null;
  let bundle: BundleResult;
  try {
    bundle = await timed('bundle', () =>
      writeBundle(
        {
          grants: view.grants,
          gaps: view.gaps,
          timeline: view.lines(),
          accounting: result.accounting,
          rejected: view.rejected,
          policy,
          summary,
          inputs,
          period: { since: period.since, until: period.until },
          asOf: period.asOf,
          toolVersion: VERSION,
          rulesDigest,
          lateMembers: async ({ evidenceDigest, signerFingerprint }) => {
            const started = performance.now();
            const ruleTitles = Object.fromEntries(RULES.map((rule) => [rule.id, rule.title]));
            // The OSCAL results are made while the member is written, in chunks: as one
            // string they were the largest thing the bundle stage held.
            const oscal: OscalInput = {
              grants: view.grants,
              gaps: view.gaps,
              period,
              asOf: period.asOf,
              toolVersion: VERSION,
              evidenceDigest,
              ruleTitles,
              ruleControls: Object.fromEntries(RULES.map((rule) => [rule.id, rule.controls])),
            };
            reportBytes = await renderReport({
              grants: view.grants,
              gaps: view.gaps,
              events: view.citedEvents(),
              accounting: result.accounting,
              rejected: view.rejected,
              policy,
              period,
              asOf: period.asOf,
              toolVersion: VERSION,
              evidenceDigest,
              signerFingerprint,
              ruleTitles,
              daysWithData: tap.daysWithData(),
              policyStatements: policyStatements(analysis.policy.policy),
            });
            stages.report = Math.round(performance.now() - started) / 1000;
            return [
              { path: 'report.pdf', content: reportBytes },
              {
                path: 'oscal/assessment-results.json',
                content: () => assessmentResultsChunks(oscal),
              },
            ];
          },
        },
        {
          out: options.out,
          force: options.force === true,
          keyPath: options.key,
          requireSignature: options.requireSignature,
          includeSources: options.sources !== false && !view.pseudonymized,
          baselinePath: options.baseline,
        },
      ),
    );
  } catch (error) {
    if (
      error instanceof BundleError ||
      error instanceof OutputExistsError ||
      error instanceof KeyError
    ) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  for (const warning of bundle.warnings) logger.warn(warning);

  if (options.pdf && reportBytes) {
    await writeFileAtomically(options.pdf, reportBytes, options.force === true);
    if (options.key) await writeDetachedSignature(options.pdf, options.key, options.force === true);
  }
  if (options.junit) await writeJunit(view.grants, bundle.gaps, options.junit);

  const bySeverity = countBy(bundle.gaps.map((gap) => gap.severity));
  const byRule = countBy(bundle.gaps.map((gap) => gap.rule));
  if (options.json) {
    const output = {
      bundle: bundle.bundlePath,
      grants: analysis.grants.length,
      gaps: bundle.gaps.length,
      bySeverity,
      byRule,
      inputs: inputs.length,
      signed: bundle.signed,
      manifestSha256: bundle.manifestSha256,
      ...(bundle.baseline
        ? {
            baseline: {
              new: bundle.baseline.new,
              persisting: bundle.baseline.persisting,
              resolved: bundle.baseline.resolved,
            },
          }
        : {}),
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  }
  logger.info(
    `${path.relative(process.cwd(), bundle.bundlePath) || bundle.bundlePath}: ${analysis.grants.length} grants, ` +
      `${bundle.gaps.length} gaps (${
        Object.entries(bySeverity)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ') || 'none'
      }), ` +
      `${bundle.signed ? 'signed' : 'UNSIGNED'}, manifest sha256 ${bundle.manifestSha256}`,
  );
  for (const gap of bundle.gaps)
    logger.info(`  ${gap.severity.padEnd(8)} ${gap.rule}: ${gap.message}`);

  if (process.env.DORA_REPORT_RSS) {
    process.stderr.write(
      `peak-rss-kb ${process.resourceUsage().maxRSS}\nstages ${JSON.stringify(stages)}\n`,
    );
  }
  return failOnExit(bundle.gaps, options.failOn);
}

function emptyStore(): ActivityStore {
  const store = new ActivityStore();
  store.finish();
  return store;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined || a <= b ? a : b;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined || a >= b ? a : b;
}

/** An output path may not be a directory, a device, or one of the inputs (or a link to one). */
function checkOutputPath(out: string, paths: readonly string[], flag: string): void {
  const resolved = path.resolve(out);
  let stat;
  try {
    stat = statSync(resolved);
  } catch {
    return;
  }
  if (stat.isDirectory())
    throw new UsageError(`${flag} ${out} is a directory; give a file name such as evidence.zip`);
  if (!stat.isFile()) throw new UsageError(`${flag} ${out} is not a regular file`);
  for (const input of paths) {
    const inputStat = (() => {
      try {
        return statSync(input);
      } catch {
        return undefined;
      }
    })();
    const same =
      path.resolve(input) === resolved ||
      (inputStat?.isFile() && inputStat.ino === stat.ino && inputStat.dev === stat.dev);
    if (same) throw new UsageError(`${flag} ${out} is also an input; choose another file name`);
  }
}

function totals(
  accounting: { read: number; normalized: number; ignored: number; rejected: number }[],
) {
  return accounting.reduce(
    (sum, file) => ({
      read: sum.read + file.read,
      normalized: sum.normalized + file.normalized,
      ignored: sum.ignored + file.ignored,
      rejected: sum.rejected + file.rejected,
    }),
    { read: 0, normalized: 0, ignored: 0, rejected: 0 },
  );
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of [...values].sort()) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * What the bundle shows of the analysis: as it is, or with people replaced by keyed pseudonyms
 * (--pseudonymize). A pseudonymized bundle leaves sources/ out: the inputs hold the real names.
 */
async function shareable(
  options: BuildOptions,
  analysis: { grants: Grant[]; gaps: Gap[]; timeline: { core: readonly TimelineEvent[] } },
  tap: TimelineTap,
  rejected: RejectedRecord[],
  logger: Logger,
) {
  if (!options.pseudonymize) {
    return {
      pseudonymized: false,
      grants: analysis.grants,
      gaps: analysis.gaps,
      rejected,
      lines: () => tap.lines(),
      citedEvents: () => tap.citedEvents(),
      personId: (id: string) => id,
      policy: (policy: EffectivePolicy) => policy,
    };
  }
  let key: Buffer;
  try {
    key = await loadPseudonymKey(options.pseudonymize);
  } catch (error) {
    throw new UsageError(`--pseudonymize: ${(error as Error).message}`);
  }
  if (options.sources !== false)
    logger.warn(
      '--pseudonymize leaves the input files out of the bundle (they hold the real names)',
    );
  const p = createPseudonymizer(
    { events: analysis.timeline.core, grants: analysis.grants, gaps: analysis.gaps },
    key,
  );
  return {
    pseudonymized: true,
    grants: analysis.grants.map(p.grant),
    gaps: analysis.gaps.map(p.gap),
    rejected: rejected.map((record) => ({ ...record, reason: p.text(record.reason) })),
    lines: function* () {
      for (const line of tap.lines()) {
        const event = p.event(line.event ?? (JSON.parse(line.json) as TimelineEvent));
        yield { ...line, event, json: JSON.stringify(event) };
      }
    },
    citedEvents: () => new Map([...tap.citedEvents()].map(([id, event]) => [id, p.event(event)])),
    personId: p.personId,
    // Configured approvers are people: the same pseudonyms as their approvals in grants.json.
    policy: (policy: EffectivePolicy): EffectivePolicy => ({
      ...policy,
      targets: policy.targets.map((target) => ({
        ...target,
        approvers: target.approvers?.map((id) => pseudonymOf(id, key)) ?? null,
      })),
    }),
  };
}
