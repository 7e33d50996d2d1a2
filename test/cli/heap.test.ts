// The heap growth setting of the command-line program: it keeps a heap that allocates fast near
// its live data, and leaves a setting given to node alone.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const heapModule = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/cli/heap.js')).href;

/**
 * Peak heap size (MB) of a child that keeps 300k objects alive while making 6M: each survives
 * long enough to be promoted, as the build's keys and events do, then becomes garbage.
 */
function peakHeapMb(tuning: 'none' | 'tuned' | 'given'): number {
  const script = `
    const { tuneHeapGrowth } = await import(${JSON.stringify(heapModule)});
    if (${JSON.stringify(tuning)} === 'tuned') tuneHeapGrowth([]);
    if (${JSON.stringify(tuning)} === 'given') tuneHeapGrowth(['--heap-growing-percent=0']);
    const window = new Array(300000);
    let peak = 0;
    for (let i = 0; i < 6000000; i += 1) {
      window[i % window.length] = { id: 'e' + i, at: i, tags: [i, i + 1] };
      if ((i & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(peak / 1048576);
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  expect(child.status, child.stderr).toBe(0);
  return Number(child.stdout.trim());
}

describe('tuneHeapGrowth', () => {
  it('keeps the heap well below what V8 grows to by itself, unless node was given a setting', () => {
    const untuned = peakHeapMb('none');
    // Measured on Node 20: about 230 MB left to V8, 135 MB tuned.
    expect(peakHeapMb('tuned')).toBeLessThan(untuned * 0.8);
    expect(peakHeapMb('given')).toBeGreaterThan(untuned * 0.9);
  });
});
