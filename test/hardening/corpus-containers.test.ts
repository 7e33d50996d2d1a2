// Bad-input corpus, containers: damaged or fake gzip, hostile ZIP members, the same file twice.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixturesDir, importFiles, runCli, writeInputs, writeZip } from './helpers.js';

const oktaLines = readFileSync(path.join(fixturesDir, 'okta', 'admin-roles-tokens.ndjson'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .slice(0, 3);
const oktaNdjson = `${oktaLines.join('\n')}\n`;

/** The gaps of a bundle (gaps.json), as text. */
function unzip(zip: string): string {
  const text = execFileSync('unzip', ['-p', zip, 'gaps.json'], { encoding: 'utf8' });
  const parsed = JSON.parse(text);
  return JSON.stringify(Array.isArray(parsed) ? parsed : parsed.gaps);
}

function counts(file: { read: number; normalized: number; ignored: number; rejected: number }) {
  return {
    read: file.read,
    normalized: file.normalized,
    ignored: file.ignored,
    rejected: file.rejected,
  };
}

beforeAll(() => ensureBuilt());

/** 900 distinct Okta events, gzipped: long enough to cut partway through. */
function oktaGzip(): Buffer {
  const unique = oktaNdjson
    .repeat(300)
    .split('\n')
    .filter(Boolean)
    .map((line, i) => line.replace(/"uuid":"[^"]+"/, `"uuid":"u-${i}"`))
    .join('\n');
  return gzipSync(Buffer.from(`${unique}\n`));
}

describe('gzip', () => {
  it('truncated: the records before the cut kept, the damage rejected once, the sum balanced', async () => {
    const many = oktaNdjson.repeat(300).split('\n').filter(Boolean);
    // Unique ids, so the importer's de-duplication does not hide what the reader delivered.
    const unique = many
      .map((line, i) => line.replace(/"uuid":"[^"]+"/, `"uuid":"u-${i}"`))
      .join('\n');
    const whole = gzipSync(Buffer.from(`${unique}\n`));
    const dir = writeInputs({
      'okta.ndjson.gz': whole.subarray(0, Math.floor(whole.length * 0.6)),
    });
    const result = await importFiles([dir]);
    const file = result.accounting[0];
    expect(file.importer).toBe('okta');
    expect(file.normalized).toBeGreaterThan(0);
    expect(file.normalized).toBeLessThan(900);
    expect(file.read).toBe(file.normalized + file.ignored + file.rejected);
    expect(result.rejected.map((r) => [r.locator, r.reason])).toEqual([
      [
        '(end of readable data)',
        'gzip content damaged: unexpected end of file; records before this point were kept',
      ],
    ]);
    expect(result.notes.filter((note) => note.kind === 'integrity-failed')).toEqual([
      {
        kind: 'integrity-failed',
        file: `${dir}/okta.ndjson.gz`,
        message: 'gzip content damaged: unexpected end of file; records after the damage are lost',
      },
    ]);
  });

  it('truncated after some records: a warning, and with --strict exit 2 naming the file', () => {
    const whole = oktaGzip();
    const dir = writeInputs({
      'okta.ndjson.gz': whole.subarray(0, Math.floor(whole.length * 0.6)),
    });
    const file = `${dir}/okta.ndjson.gz`;
    const reason =
      'gzip content damaged: unexpected end of file; records before this point were kept';

    const lenient = runCli(['inspect', file]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain(`warning: ${file}: ${reason} (--strict makes this an error)`);

    const strict = runCli(['inspect', file, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(`--strict: 1 input file(s) are damaged:\n${file}: ${reason}`);
  });

  it('with --strict names a damaged file and an unrecognized one in one run', () => {
    const whole = oktaGzip();
    const dir = writeInputs({
      'okta.ndjson.gz': whole.subarray(0, Math.floor(whole.length * 0.6)),
      'notes.txt': 'nothing an importer reads\n',
    });
    const strict = runCli(['inspect', dir, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(
      `--strict: 1 input file(s) are damaged:\n${dir}/okta.ndjson.gz`,
    );
    expect(strict.stderr).toContain(
      `\n--strict: 1 input file(s) could not be imported:\n${dir}/notes.txt: no importer`,
    );
  });

  it('cut inside its first record: unrecognized, but named damaged and reported as a gap', () => {
    const record = JSON.stringify({
      eventVersion: '1.08',
      eventTime: '2026-03-01T10:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: { roleSessionName: 'x'.repeat(4000) },
    });
    const whole = gzipSync(Buffer.from(`{"Records":[${record}]}`));
    const name = '111122223333_CloudTrail_eu-central-1_20260301T1000Z_AbCd1234EfGh5678.json.gz';
    const dir = writeInputs({ [name]: whole.subarray(0, 60), 'okta.ndjson': oktaNdjson });
    const damaged = `${dir}/${name}`;

    const inspect = runCli(['inspect', damaged]);
    expect(inspect.code).toBe(2);
    expect(inspect.stderr).toContain('gzip content damaged: unexpected end of file');

    const out = path.join(dir, 'out.zip');
    const build = runCli(['build', dir, '--out', out, '--as-of', '2026-04-01T00:00:00Z', '--json']);
    expect(build.code, build.stderr).toBe(0);
    expect(runCli(['verify', out]).code).toBe(0);
    const gaps = JSON.parse(unzip(out));
    const integrity = gaps.filter(
      (gap: { rule: string; message: string }) =>
        gap.rule === 'source-integrity-unverified' && gap.message.includes(damaged),
    );
    expect(integrity).toHaveLength(1);
    expect(integrity[0].severity).toBe('high');
    expect(integrity[0].message).toBe(
      `Integrity check FAILED for ${damaged}: gzip content damaged: unexpected end of file; ` +
        'no record could be read. Its records may have been altered or lost.',
    );
  });

  it('a .gz name on plain content: read by its bytes, not its name, and imported whole', async () => {
    const dir = writeInputs({ 'okta.ndjson.gz': oktaNdjson });
    const result = await importFiles([dir]);
    expect(counts(result.accounting[0])).toEqual({
      read: 3,
      normalized: 3,
      ignored: 0,
      rejected: 0,
    });
  });

  it('gzip magic followed by garbage: unrecognized, exit 2 naming the file', () => {
    const dir = writeInputs({
      'okta.ndjson.gz': Buffer.concat([
        Buffer.from([0x1f, 0x8b]),
        Buffer.from('not deflate at all'),
      ]),
    });
    const cli = runCli(['inspect', path.join(dir, 'okta.ndjson.gz'), '--json']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`${dir}/okta.ndjson.gz: no importer recognized it`);
  });

  it('gzip garbage forced to an importer: one rejection saying the gzip content is damaged', async () => {
    const dir = writeInputs({
      'okta.ndjson.gz': Buffer.concat([
        Buffer.from([0x1f, 0x8b]),
        Buffer.from('not deflate at all'),
      ]),
    });
    const file = `${dir}/okta.ndjson.gz`;
    const result = await importFiles([file], { forced: [{ path: file, importer: 'okta' }] });
    expect(counts(result.accounting[0])).toEqual({
      read: 1,
      normalized: 0,
      ignored: 0,
      rejected: 1,
    });
    expect(result.rejected[0].reason).toMatch(
      /^gzip content damaged: .+; records before this point were kept$/,
    );
  });
});

describe('ZIP archives', () => {
  it('refuses traversal, absolute, link, duplicate and bomb members one by one and imports the rest', async () => {
    const dir = writeInputs({ 'okta.ndjson': oktaNdjson });
    const zip = path.join(dir, 'exports.zip');
    writeZip(zip, [
      `z.write(${JSON.stringify(path.join(dir, 'okta.ndjson'))}, "logs/okta.ndjson")`,
      'z.writestr("../escape.ndjson", "{}")',
      'z.writestr("/etc/absolute.ndjson", "{}")',
      'z.writestr("C:/windows.ndjson", "{}")',
      'info = zipfile.ZipInfo("link.ndjson"); info.external_attr = 0o120777 << 16',
      'z.writestr(info, "/etc/passwd")',
      'import warnings; warnings.simplefilter("ignore")',
      'z.writestr("logs/okta.ndjson", "{\\"second\\": true}")',
      'z.writestr("bomb.json", "[" + " " * 100_000_000 + "]", compress_type=zipfile.ZIP_DEFLATED)',
    ]);
    const result = await importFiles([zip]);
    const display = zip;
    const byFile = new Map(result.accounting.map((file) => [file.file, file]));
    expect(
      counts(
        byFile.get(`${display}!/logs/okta.ndjson`) ?? {
          read: -1,
          normalized: 0,
          ignored: 0,
          rejected: 0,
        },
      ),
    ).toEqual({
      read: 3,
      normalized: 3,
      ignored: 0,
      rejected: 0,
    });
    const refused = Object.fromEntries(
      result.rejected.map((r) => [r.file.slice(display.length + 2), r.reason]),
    );
    expect(refused).toEqual({
      '../escape.ndjson': 'refused ZIP member whose path leaves the archive: "../escape.ndjson"',
      '/etc/absolute.ndjson':
        'refused ZIP member with an absolute or non-portable path: "/etc/absolute.ndjson"',
      'C:/windows.ndjson':
        'refused ZIP member with an absolute or non-portable path: "C:/windows.ndjson"',
      'link.ndjson': 'refused ZIP member that is a symbolic link: "link.ndjson"',
      'logs/okta.ndjson': 'refused duplicate ZIP member name: "logs/okta.ndjson"',
      'bomb.json': expect.stringMatching(
        /^refused ZIP member that expands \d+x \(limit 200x\): possible compression bomb$/,
      ),
    });
    for (const file of result.accounting.filter((f) => f.importer === null)) {
      expect(counts(file)).toEqual({ read: 1, normalized: 0, ignored: 0, rejected: 1 });
    }
    expect(result.events).toHaveLength(3);
  });

  it('a file that is not a ZIP despite its name: refused with the reason, exit 2 when alone', () => {
    const dir = writeInputs({ 'exports.zip': oktaNdjson });
    const cli = runCli(['inspect', path.join(dir, 'exports.zip'), '--json']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`${dir}/exports.zip: not a readable ZIP archive:`);
  });
});

describe('the same file given twice', () => {
  it('one path twice: imported once, the repeat reported as a note', () => {
    const dir = writeInputs({ 'okta.ndjson': oktaNdjson });
    const file = path.join(dir, 'okta.ndjson');
    const cli = runCli(['inspect', file, dir, '--json']);
    expect(cli.code).toBe(0);
    const output = JSON.parse(cli.stdout);
    expect(output.files).toHaveLength(1);
    expect(counts(output.files[0])).toEqual({ read: 3, normalized: 3, ignored: 0, rejected: 0 });
    expect(output.notes).toContainEqual({
      kind: 'info',
      file,
      message: `same file as ${file}, given again; read once`,
    });
  });

  it('the same bytes under two names: the second listed with the first named, no event doubled', async () => {
    const dir = writeInputs({ 'a-okta.ndjson': oktaNdjson });
    copyFileSync(path.join(dir, 'a-okta.ndjson'), path.join(dir, 'b-copy.ndjson'));
    writeFileSync(path.join(dir, 'c-other.ndjson'), `${oktaLines[0]}\n`);
    const result = await importFiles([dir]);
    const [first, copy, other] = result.accounting;
    expect(counts(first)).toEqual({ read: 3, normalized: 3, ignored: 0, rejected: 0 });
    expect(copy).toMatchObject({
      file: `${dir}/b-copy.ndjson`,
      importer: 'okta',
      detection: 'duplicate',
      read: 0,
      error: `same bytes as ${dir}/a-okta.ndjson (sha256 ${first.sha256}); imported once, from there`,
    });
    expect(copy.sha256).toBe(first.sha256);
    expect(other.file).toBe(`${dir}/c-other.ndjson`);
    expect(
      result.events.filter((event) => event.source.file === `${dir}/a-okta.ndjson`),
    ).toHaveLength(3);
    expect(
      result.events.filter((event) => event.source.file === `${dir}/b-copy.ndjson`),
    ).toHaveLength(0);
    expect(new Set(result.events.map((event) => event.id)).size).toBe(result.events.length);
  });
});
