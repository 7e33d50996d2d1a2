// Whether the sources of given families covered a time window, from the accounting's coverage.
import type { FileAccounting } from '../model/accounting.js';
import { familyOf, type Family } from './families.js';

export type Coverage = 'covered' | 'partial' | 'not-covered';

export class CoverageIndex {
  private readonly byFamily = new Map<Family, [number, number][]>();

  /** `slackMs` widens every file's window (the clock skew), so edge events count as covered. */
  constructor(accounting: readonly FileAccounting[], slackMs: number) {
    const raw = new Map<Family, [number, number][]>();
    for (const file of accounting) {
      if (!file.coverage.from || !file.coverage.to) continue;
      const family = familyOf(file.importer);
      const list = raw.get(family) ?? [];
      list.push([Date.parse(file.coverage.from) - slackMs, Date.parse(file.coverage.to) + slackMs]);
      raw.set(family, list);
    }
    for (const [family, list] of raw) this.byFamily.set(family, merge(list));
  }

  /** covered: the union of the families' windows contains [from, to]; partial: overlaps it. */
  of(families: readonly Family[], from: number, to: number): Coverage {
    const windows = merge(families.flatMap((f) => this.byFamily.get(f) ?? []));
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    let overlap = false;
    for (const [start, end] of windows) {
      if (start <= lo && end >= hi) return 'covered';
      if (start <= hi && end >= lo) overlap = true;
    }
    return overlap ? 'partial' : 'not-covered';
  }
}

function merge(intervals: [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
