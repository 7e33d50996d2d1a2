// --fail-on thresholds.
import { describe, expect, it } from 'vitest';
import { failOnExit, parseFailOn } from '../../src/export/fail-on.js';
import { sampleGaps } from './fixtures.js';

describe('failOnExit', () => {
  const gaps = sampleGaps(); // high, medium, low

  it('fails at or above the level and never for none', () => {
    expect(failOnExit(gaps, 'high')).toBe(1);
    expect(failOnExit(gaps, 'critical')).toBe(0);
    expect(failOnExit(gaps, 'low')).toBe(1);
    expect(failOnExit(gaps, 'none')).toBe(0);
    expect(failOnExit([], 'low')).toBe(0);
    expect(failOnExit(gaps.slice(2), 'medium')).toBe(0);
  });

  it('can count only new gaps under a baseline', () => {
    const marked = gaps.map((g, i) => ({
      ...g,
      baseline: i === 0 ? ('persisting' as const) : ('new' as const),
    }));
    expect(failOnExit(marked, 'high', true)).toBe(0);
    expect(failOnExit(marked, 'medium', true)).toBe(1);
  });

  it('rejects an unknown level', () => {
    expect(() => parseFailOn('severe')).toThrow(/none, low, medium, high, critical/);
    expect(parseFailOn('HIGH')).toBe('high');
  });
});
