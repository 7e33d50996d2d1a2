// Bad-input corpus, size: a 200 MB single-line JSON array is streamed, never held whole.
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixturesDir, runCli, tempDir } from './helpers.js';

const TARGET_BYTES = 200 * 1024 * 1024;
const dir = tempDir('dora-big-');

// Printed by the CLI child on exit: the kernel's peak resident set (VmHWM) of that process.
const PEAK_PROBE = `import { readFileSync } from 'node:fs';
process.on('exit', () => {
  const kb = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  process.stderr.write('peak-rss-kb ' + kb + '\\n');
});
`;

/** Okta records of an event type no importer maps, padded to ~16 KB each, on one line. */
function writeBigArray(file: string): { records: number } {
  const record = JSON.parse(
    readFileSync(path.join(fixturesDir, 'okta', 'admin-roles-tokens.ndjson'), 'utf8').split(
      '\n',
    )[0],
  );
  record.eventType = 'system.never.seen.before';
  record.debugContext = { debugData: { note: 'z'.repeat(16_000) } };
  const fd = openSync(file, 'w');
  let bytes = writeSync(fd, '[');
  let records = 0;
  let batch: string[] = [];
  while (bytes < TARGET_BYTES) {
    record.uuid = `big-${records}`;
    const text = `${records === 0 ? '' : ','}${JSON.stringify(record)}`;
    batch.push(text);
    bytes += text.length;
    records += 1;
    if (batch.length === 500) {
      writeSync(fd, batch.join(''));
      batch = [];
    }
  }
  writeSync(fd, `${batch.join('')}]`);
  closeSync(fd);
  return { records };
}

function peakRssBytes(stderr: string): number {
  const match = /peak-rss-kb (\d+)/.exec(stderr);
  if (!match) throw new Error(`no peak RSS reported: ${stderr}`);
  return Number(match[1]) * 1024;
}

beforeAll(() => ensureBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a 200 MB single-line JSON array (slow: ~5 s)', () => {
  it('is streamed: every record counted, peak RSS far below what loading it would take', () => {
    const probe = path.join(dir, 'peak-probe.mjs');
    writeFileSync(probe, PEAK_PROBE);
    const big = path.join(dir, 'okta-big.json');
    const { records } = writeBigArray(big);
    const small = path.join(dir, 'okta-small.json');
    writeFileSync(
      small,
      `[${readFileSync(path.join(fixturesDir, 'okta', 'admin-roles-tokens.ndjson'), 'utf8').split('\n')[0]}]`,
    );

    const baseline = runCli(['inspect', small, '--json'], { nodeArgs: ['--import', probe] });
    expect(baseline.code).toBe(0);
    const started = Date.now();
    const cli = runCli(['inspect', big, '--json'], { nodeArgs: ['--import', probe] });
    const seconds = (Date.now() - started) / 1000;
    expect(cli.code).toBe(0);

    const [file] = JSON.parse(cli.stdout).files;
    expect(file).toMatchObject({
      importer: 'okta',
      read: records,
      normalized: 0,
      ignored: records,
      rejected: 0,
    });
    expect(file.ignoredByKind).toEqual({ 'system.never.seen.before': records });
    expect(file.size).toBeGreaterThanOrEqual(TARGET_BYTES);

    // Holding the file would cost its bytes at least once more (a Buffer, then a string).
    const peak = peakRssBytes(cli.stderr);
    const growth = peak - peakRssBytes(baseline.stderr);
    process.stderr.write(
      `200 MB array: ${seconds.toFixed(1)} s, peak RSS ${(peak / 1e6).toFixed(0)} MB, growth ${(growth / 1e6).toFixed(0)} MB\n`,
    );
    expect(peak).toBeLessThan(file.size * 0.75);
    expect(growth).toBeLessThan(file.size * 0.25);
  });
});
