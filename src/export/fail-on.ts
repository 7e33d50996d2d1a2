// --fail-on: the exit code a CI job sees for the gaps found.
import { SEVERITY_ORDER, type Gap, type Severity } from '../model/gap.js';

export type FailOnLevel = 'none' | Severity;

export const FAIL_ON_LEVELS: readonly FailOnLevel[] = ['none', ...SEVERITY_ORDER];

export function parseFailOn(value: string): FailOnLevel {
  const level = value.trim().toLowerCase() as FailOnLevel;
  if (!FAIL_ON_LEVELS.includes(level)) {
    throw new Error(`--fail-on ${value}: expected one of ${FAIL_ON_LEVELS.join(', ')}`);
  }
  return level;
}

/** The gaps at or above `level` (none for `none`). */
export function gapsAtOrAbove(gaps: Gap[], level: FailOnLevel): Gap[] {
  if (level === 'none') return [];
  const threshold = SEVERITY_ORDER.indexOf(level);
  return gaps.filter((gap) => SEVERITY_ORDER.indexOf(gap.severity) >= threshold);
}

/** 1 when a gap at or above `level` exists, else 0. `onlyNew` counts baseline-new gaps only. */
export function failOnExit(gaps: Gap[], level: FailOnLevel | string, onlyNew = false): 0 | 1 {
  const parsed = parseFailOn(level);
  const considered = onlyNew ? gaps.filter((gap) => gap.baseline === 'new') : gaps;
  return gapsAtOrAbove(considered, parsed).length > 0 ? 1 : 0;
}
