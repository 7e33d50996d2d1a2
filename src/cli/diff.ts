// `diff <old.zip> <new.zip> [--json]`: grants added/ended, gaps new/resolved/persisting.
import { BaselineError } from '../export/baseline.js';
import { parseFailOn, type FailOnLevel } from '../export/fail-on.js';
import { SEVERITY_ORDER, type Severity } from '../model/gap.js';
import { diffBundles, type BundleDiff } from '../verify/diff.js';

interface Out {
  write(text: string): unknown;
}

export interface DiffOptions {
  old: string;
  new: string;
  json?: boolean;
  /** Optional: exit 1 when a NEW gap at or above this severity appears (for CI). */
  failOn?: FailOnLevel | string;
  stdout?: Out;
  stderr?: Out;
}

function line(gap: Record<string, unknown>): string {
  const who = [gap.subject, gap.target].filter((v) => v !== null && v !== undefined).join(' -> ');
  const head = `[${String(gap.severity)}] ${String(gap.rule)} ${who}`;
  return `    ${head} at ${String(gap.at)}: ${String(gap.message)}`;
}

export function formatDiff(diff: BundleDiff): string {
  const c = diff.counts;
  const out = [
    `old ${diff.old.path} (as of ${diff.old.asOf})`,
    `new ${diff.new.path} (as of ${diff.new.asOf})`,
    `grants: ${c.grantsAdded} added, ${c.grantsEnded} ended, ${c.grantsDropped} no longer present`,
    `gaps: ${c.gapsNew} new, ${c.gapsResolved} resolved, ${c.gapsPersisting} persisting`,
  ];
  if (diff.gaps.new.length) out.push('  new gaps:', ...diff.gaps.new.map(line));
  if (diff.gaps.resolved.length) out.push('  resolved gaps:', ...diff.gaps.resolved.map(line));
  for (const g of diff.grants.added) out.push(`  grant added ${g.id} ${g.subject} -> ${g.target}`);
  for (const g of diff.grants.ended) {
    out.push(`  grant ended ${g.id} ${g.subject} -> ${g.target} (${g.endReason})`);
  }
  return `${out.join('\n')}\n`;
}

export async function run(options: DiffOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let level: FailOnLevel = 'none';
  try {
    if (options.failOn !== undefined) level = parseFailOn(options.failOn);
  } catch (error) {
    stderr.write(`diff: ${(error as Error).message}\n`);
    return 2;
  }

  let diff: BundleDiff;
  try {
    diff = await diffBundles(options.old, options.new);
  } catch (error) {
    if (!(error instanceof BaselineError)) throw error;
    stderr.write(`diff: ${error.message}\n`);
    return 2;
  }
  stdout.write(options.json ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff));

  if (level === 'none') return 0;
  const threshold = SEVERITY_ORDER.indexOf(level);
  const rank = (g: Record<string, unknown>) => SEVERITY_ORDER.indexOf(g.severity as Severity);
  const failing = diff.gaps.new.filter((g) => rank(g) >= threshold);
  return failing.length > 0 ? 1 : 0;
}
