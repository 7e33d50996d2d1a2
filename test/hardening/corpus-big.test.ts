// Bad-input corpus, size: a 200 MB single-line JSON array is streamed, never held whole.
//
// Memory is judged in two ways that do not depend on when V8 chooses to collect: the peak RSS
// stays well below the file's size (holding its bytes as a Buffer would exceed it), and the
// import completes under a JS heap limit far below the file's size (holding its records or its
// text as strings would run out of heap). A bound on RSS growth alone measured V8's heap sizing,
// which moved by 15 MB between identical runs.
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixturesDir, runCli, tempDir } from './helpers.js';

const MB = 1024 * 1024;
/** Old-space limit for the import of the 200 MB file: the CLI itself needs about 30 MB. */
const HEAP_LIMIT_MB = 64;
const dir = tempDir('dora-big-');

// Printed by the CLI child on exit: the kernel's peak resident set (VmHWM) of that process.
const PEAK_PROBE = `import { readFileSync } from 'node:fs';
process.on('exit', () => {
  const kb = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  process.stderr.write('peak-rss-kb ' + kb + '\\n');
});
`;

/** Okta records of an event type no importer maps, padded to ~16 KB each, on one line. */
function writeBigArray(file: string, targetBytes: number): { records: number } {
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
  while (bytes < targetBytes) {
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

/** Writes a file of about `targetBytes`, inspects it and checks every record is accounted. */
function inspectBig(file: string, targetBytes: number, nodeArgs: string[]) {
  const { records } = writeBigArray(file, targetBytes);
  const started = Date.now();
  const cli = runCli(['inspect', file, '--json'], { nodeArgs });
  const seconds = (Date.now() - started) / 1000;
  expect(cli.code, cli.stderr).toBe(0);

  const [accounting] = JSON.parse(cli.stdout).files;
  expect(accounting).toMatchObject({
    importer: 'okta',
    read: records,
    normalized: 0,
    ignored: records,
    rejected: 0,
  });
  expect(accounting.ignoredByKind).toEqual({ 'system.never.seen.before': records });
  expect(accounting.size).toBeGreaterThanOrEqual(targetBytes);
  rmSync(file);
  return { peak: peakRssBytes(cli.stderr), size: accounting.size as number, seconds };
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
    const small = path.join(dir, 'okta-small.json');
    writeFileSync(
      small,
      `[${readFileSync(path.join(fixturesDir, 'okta', 'admin-roles-tokens.ndjson'), 'utf8').split('\n')[0]}]`,
    );
    const baseline = runCli(['inspect', small, '--json'], { nodeArgs: ['--import', probe] });
    expect(baseline.code).toBe(0);
    const base = peakRssBytes(baseline.stderr);

    const whole = inspectBig(path.join(dir, 'okta-200.json'), 200 * MB, [
      '--import',
      probe,
      `--max-old-space-size=${HEAP_LIMIT_MB}`,
    ]);
    process.stderr.write(
      `200 MB array: ${whole.seconds.toFixed(1)} s, peak RSS ${(whole.peak / 1e6).toFixed(0)} MB ` +
        `(a one-record file: ${(base / 1e6).toFixed(0)} MB), JS heap limit ${HEAP_LIMIT_MB} MB\n`,
    );

    // Holding the file would cost its bytes at least once more (a Buffer, then a string).
    expect(whole.peak).toBeLessThan(whole.size * 0.75);
  });
});
