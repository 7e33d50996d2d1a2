// Output safety and failure safety of `build`: hostile text stays inert in CSV and PDF, input
// names are cleaned in sources/, output paths are checked, and a killed build leaves no debris.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixturesDir, repoRoot, runCli, tempDir } from './helpers.js';

const bin = path.join(repoRoot, 'bin', 'dora-evidence.js');
const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
const FORMULA = /^[=+\-@\t\r]/;
const HOSTILE_NAME = '=HYPERLINK("http://attacker.example/x","click")';
const PDF_MARKUP = ') Tj ET /JavaScript << /S /JavaScript /JS (app.alert(1)) >> /OpenAction BT (';

function member(zip: string, name: string): Buffer {
  return execFileSync('unzip', ['-p', zip, name], { maxBuffer: 1 << 28 });
}

function members(zip: string): string[] {
  return execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Okta grants whose people and privileges carry formula and PDF-operator text. */
function hostileOkta(): string {
  const lines = readFileSync(path.join(fixturesDir, 'okta', 'admin-roles-tokens.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 3);
  return `${lines
    .map((line) => {
      const record = JSON.parse(line);
      record.actor.displayName = '+SUM(1,2)';
      record.target[0].displayName = HOSTILE_NAME;
      record.target[0].alternateId = '@evil@bank.example';
      record.debugContext.debugData.privilegeGranted = `-2+3 ${PDF_MARKUP}`;
      return JSON.stringify(record);
    })
    .join('\n')}\n`;
}

beforeAll(() => ensureBuilt());

describe('output safety', () => {
  const dir = tempDir('dora-out-');
  const inputs = path.join(dir, 'in');
  const bundle = path.join(dir, 'evidence.zip');
  const weirdName = 'okta "audit"\tlog\u0001.ndjson';
  let build: ReturnType<typeof runCli>;

  beforeAll(() => {
    mkdirSync(inputs);
    writeFileSync(path.join(inputs, weirdName), hostileOkta());
    build = runCli(['build', inputs, '--out', bundle, '--as-of', '2026-03-31T00:00:00Z', '--json']);
  });

  it('builds the bundle from the hostile inputs', () => {
    expect(build.code, build.stderr).toBe(0);
    expect(JSON.parse(build.stdout).grants).toBeGreaterThan(0);
  });

  it('neutralizes every formula-like text cell of every CSV in the bundle', () => {
    const csvs = members(bundle).filter(
      (name) => name.endsWith('.csv') && !name.startsWith('sources/'),
    );
    expect(csvs.sort()).toEqual(['gaps.csv', 'grants.csv']);
    let hostileCells = 0;
    for (const name of csvs) {
      const rows: string[][] = parse(member(bundle, name), { bom: true });
      for (const cell of rows.flat()) {
        expect(cell, `${name}: ${cell}`).not.toMatch(FORMULA);
        if (cell.startsWith("'")) hostileCells += 1;
      }
    }
    expect(hostileCells).toBeGreaterThan(0);
    expect(member(bundle, 'grants.json').toString()).toContain('@evil@bank.example');
  });

  it('keeps PDF-operator text as text: no script or action objects, the string printed literally', () => {
    const pdf = member(bundle, 'report.pdf');
    const raw = pdf.toString('latin1');
    for (const marker of ['/JavaScript', '/JS ', '/OpenAction', '/Launch', '/AA '])
      expect(raw.includes(marker), marker).toBe(false);
    if (!hasPoppler) return;
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, ' ')).toContain('@evil@bank.example');
  });

  it('cleans input names in sources/: no control characters or quotes, nothing outside sources/', () => {
    const sources = members(bundle).filter((name) => name.startsWith('sources/'));
    // The path as given (absolute here) without its root; the tab, quotes and U+0001 replaced.
    expect(sources).toEqual([`sources/${inputs.slice(1)}/okta _audit__log_.ndjson`]);
    const manifest = JSON.parse(member(bundle, 'manifest.json').toString());
    for (const file of manifest.files as { path: string }[]) {
      expect(file.path).not.toMatch(/[\u0000-\u001f"]|(^|\/)\.\.(\/|$)/);
    }
  });
});

describe('output paths build refuses', () => {
  const dir = tempDir('dora-paths-');
  const input = path.join(dir, 'okta.ndjson');
  const original = hostileOkta();
  beforeAll(() => writeFileSync(input, original));

  it.each([
    ['a directory as --out', ['--out', dir], `--out ${dir} is a directory`],
    ['a device as --out', ['--out', '/dev/null'], '--out /dev/null is not a regular file'],
    ['the input as --out', ['--out', input, '--force'], `--out ${input} is also an input`],
    [
      'the input as --pdf',
      ['--out', path.join(dir, 'a.zip'), '--pdf', input, '--force'],
      `--pdf ${input} is also an input`,
    ],
    [
      'a directory as --junit',
      ['--out', path.join(dir, 'b.zip'), '--junit', dir],
      `--junit ${dir} is a directory`,
    ],
    [
      'one file for two outputs',
      ['--out', path.join(dir, 'c.zip'), '--pdf', path.join(dir, 'c.zip')],
      '--out and --pdf name the same file',
    ],
  ])('%s: exit 2, the input untouched, nothing written', (_name, args, message) => {
    const result = runCli(['build', input, '--as-of', '2026-03-31T00:00:00Z', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(readFileSync(input, 'utf8')).toBe(original);
    expect(readdirSync(dir).sort()).toEqual(['okta.ndjson']);
  });
});

describe('a build killed with SIGKILL (slow: ~15 s)', () => {
  const dir = tempDir('dora-kill-');
  const out = path.join(dir, 'out');
  const input = path.join(dir, 'okta-many.ndjson');
  const bundle = path.join(out, 'evidence.zip');

  beforeAll(() => {
    mkdirSync(out);
    const line = readFileSync(
      path.join(fixturesDir, 'okta', 'admin-roles-tokens.ndjson'),
      'utf8',
    ).split('\n')[0];
    const record = JSON.parse(line);
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      record.uuid = `kill-${i}`;
      record.published = new Date(Date.UTC(2026, 1, 1) + i * 60_000).toISOString();
      record.target[0].alternateId = `user${i % 500}@bank.example`;
      lines.push(JSON.stringify(record));
    }
    writeFileSync(input, `${lines.join('\n')}\n`);
  });

  function startBuild(extra: string[] = []) {
    return spawn(
      process.execPath,
      [
        bin,
        'build',
        input,
        '--out',
        bundle,
        '--as-of',
        '2026-03-31T00:00:00Z',
        '--quiet',
        ...extra,
      ],
      {
        stdio: 'ignore',
      },
    );
  }

  function finished(child: ReturnType<typeof startBuild>): Promise<number | null> {
    return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  function debris(): string[] {
    return readdirSync(out).filter((name) => name !== 'evidence.zip');
  }

  it('never leaves a partial bundle or a temp file outside the temp directory, and keeps an old bundle', async () => {
    const started = Date.now();
    expect(await finished(startBuild())).toBe(0);
    const fullMs = Date.now() - started;
    const complete = readFileSync(bundle);
    expect(runCli(['verify', bundle]).code).toBe(0);

    for (const fraction of [0.15, 0.4, 0.65, 0.85, 0.97]) {
      const child = startBuild(['--force']);
      const exited = finished(child);
      await new Promise((resolve) => setTimeout(resolve, Math.round(fullMs * fraction)));
      child.kill('SIGKILL');
      await exited;
      expect(debris(), `after a kill at ${fraction} of the run`).toEqual([]);
      // The old bundle is replaced only whole: either it is untouched or the new one is complete.
      const now = readFileSync(bundle);
      if (!now.equals(complete))
        expect(runCli(['verify', bundle]).code, `bundle after a kill at ${fraction}`).toBe(0);
    }
    // What the killed runs left is in the system temp directory only; tidy it.
    for (const name of readdirSync(tmpdir()).filter((n) =>
      n.startsWith('dora-evidence.evidence.zip.'),
    )) {
      rmSync(path.join(tmpdir(), name), { force: true });
    }
  }, 120_000);
});
