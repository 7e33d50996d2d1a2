// End-to-end tests of the CLI as a user runs it: the demo bundle, determinism, verify, gating.
import { execFileSync, spawnSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasShared, repoRoot, samplesDir } from '../helpers/paths.js';

const bin = path.join(repoRoot, 'bin', 'dora-evidence.js');
const demoConfig = path.join(repoRoot, 'fixtures', 'demo', 'dora-evidence.yaml');
const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;

function cli(args: string[], cwd = repoRoot) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function member(zip: string, name: string): Buffer {
  return execFileSync('unzip', ['-p', zip, name], { maxBuffer: 1 << 28 });
}

describe('build on the demo exports', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dora-e2e-'));
  const keyPrefix = path.join(dir, 'signer');
  const first = path.join(dir, 'first.zip');
  let summary: {
    gaps: number;
    grants: number;
    byRule: Record<string, number>;
    manifestSha256: string;
    signed: boolean;
  };

  beforeAll(() => {
    expect(cli(['keygen', '--out', keyPrefix]).code).toBe(0);
    const result = cli([
      'build',
      '-c',
      demoConfig,
      '--out',
      first,
      '--key',
      `${keyPrefix}.key`,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    summary = JSON.parse(result.stdout);
  });

  it('reports exactly the demo gaps in the summary', () => {
    expect(summary.signed).toBe(true);
    expect(summary.grants).toBe(9);
    expect(summary.gaps).toBe(11);
    expect(summary.byRule).toEqual({
      'activity-after-expiry': 1,
      'activity-outside-grant': 1,
      'approver-not-authorized': 1,
      'break-glass-unreviewed': 1,
      'missing-approval': 2,
      'missing-request': 1,
      'never-revoked': 1,
      'self-approval': 1,
      'source-integrity-unverified': 1,
      'unknown-event-type': 1,
    });
    expect(summary.manifestSha256).toBe(
      createHash('sha256').update(member(first, 'manifest.json')).digest('hex'),
    );
  });

  it('deflates timeline.jsonl at level 3 and the other members at level 6', () => {
    const listing = execFileSync('unzip', ['-v', first], { encoding: 'utf8' });
    const compressed = (name: string) => {
      const row = listing.split('\n').find((line) => line.trim().endsWith(` ${name}`));
      return Number(row?.trim().split(/\s+/)[2]);
    };
    const timeline = member(first, 'timeline.jsonl');
    expect(compressed('timeline.jsonl')).toBe(deflateRawSync(timeline, { level: 3 }).length);
    expect(compressed('timeline.jsonl')).not.toBe(deflateRawSync(timeline, { level: 6 }).length);
    const grants = member(first, 'grants.json');
    expect(compressed('grants.json')).toBe(deflateRawSync(grants, { level: 6 }).length);
  });

  it('says in policy.json that the period came from the config, not from flags', () => {
    const policy = JSON.parse(member(first, 'policy.json').toString());
    expect(policy.period.origin).toEqual({
      since: 'the config period.since',
      until: 'the config period.until',
      asOf: 'the end of the period (the config period.until)',
    });
  });

  it('gives byte-identical bundles for the same inputs and key', () => {
    const second = path.join(dir, 'second.zip');
    expect(
      cli(['build', '-c', demoConfig, '--out', second, '--key', `${keyPrefix}.key`, '--quiet'])
        .code,
    ).toBe(0);
    expect(sha256(second)).toBe(sha256(first));
  });

  it('gives a different manifest when one input byte changes', () => {
    const copy = path.join(dir, 'demo-copy');
    cpSync(path.join(repoRoot, 'fixtures', 'demo'), copy, { recursive: true });
    const okta = path.join(copy, 'okta', 'system-log-2026-03.json');
    const text = readFileSync(okta, 'utf8');
    writeFileSync(okta, text.replace('"displayMessage": "', '"displayMessage": "X'));
    const out = path.join(dir, 'changed.zip');
    expect(
      cli(['build', '-c', path.join(copy, 'dora-evidence.yaml'), '--out', out, '--quiet']).code,
    ).toBe(0);
    expect(member(out, 'manifest.json').equals(member(first, 'manifest.json'))).toBe(false);
  });

  it('verifies with the signer key and fails with another key', () => {
    expect(cli(['verify', first, '--key', `${keyPrefix}.pub`]).code).toBe(0);
    const other = path.join(dir, 'other');
    cli(['keygen', '--out', other]);
    const result = cli(['verify', first, '--key', `${other}.pub`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('wrong-key');
  });

  it('exits 1 with --fail-on high, and reports no new gaps against an unchanged baseline', () => {
    expect(
      cli([
        'build',
        '-c',
        demoConfig,
        '--out',
        path.join(dir, 'gate.zip'),
        '--fail-on',
        'high',
        '--quiet',
      ]).code,
    ).toBe(1);
    const rerun = cli([
      'build',
      '-c',
      demoConfig,
      '--out',
      path.join(dir, 'rerun.zip'),
      '--baseline',
      first,
      '--json',
      '--quiet',
    ]);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout).baseline).toEqual({ new: 0, persisting: 11, resolved: 0 });
    const gaps = JSON.parse(member(path.join(dir, 'rerun.zip'), 'gaps.json').toString()).gaps as {
      baseline: string;
    }[];
    expect(gaps.every((gap) => gap.baseline === 'persisting')).toBe(true);
  });

  it('writes a JUnit report and the PDF beside the bundle with its detached signature', () => {
    const junit = path.join(dir, 'junit.xml');
    const pdf = path.join(dir, 'report.pdf');
    const out = path.join(dir, 'with-pdf.zip');
    const result = cli([
      'build',
      '-c',
      demoConfig,
      '--out',
      out,
      '--key',
      `${keyPrefix}.key`,
      '--junit',
      junit,
      '--pdf',
      pdf,
      '--quiet',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(pdf).equals(member(out, 'report.pdf'))).toBe(true);
    expect(cli(['verify', pdf, '--key', `${keyPrefix}.pub`]).code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect((xml.match(/<failure /g) ?? []).length).toBe(11);
  });

  it.skipIf(!hasPoppler)('puts every gap rule id and the evidence digest in the PDF text', () => {
    const pdf = path.join(dir, 'demo.pdf');
    writeFileSync(pdf, member(first, 'report.pdf'));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    const manifest = JSON.parse(member(first, 'manifest.json').toString()) as {
      evidenceDigest: string;
    };
    expect(text).toContain(manifest.evidenceDigest);
    for (const rule of Object.keys(summary.byRule)) expect(text).toContain(rule);
  });

  it('refuses to overwrite without --force and leaves the old bundle intact', () => {
    const before = sha256(first);
    const result = cli(['build', '-c', demoConfig, '--out', first, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/already exists/);
    expect(sha256(first)).toBe(before);
  });
});

describe('--pseudonymize', () => {
  it('replaces people in the bundle, leaves sources out, and reveal finds them again', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dora-e2e-'));
    const key = path.join(dir, 'pseudo.key');
    expect(cli(['reveal', '--new-key', key]).code).toBe(0);
    const plain = path.join(dir, 'plain.zip');
    const hidden = path.join(dir, 'hidden.zip');
    expect(cli(['build', '-c', demoConfig, '--out', plain, '--quiet']).code).toBe(0);
    expect(
      cli(['build', '-c', demoConfig, '--out', hidden, '--pseudonymize', key, '--quiet']).code,
    ).toBe(0);

    const grants = JSON.parse(member(hidden, 'grants.json').toString()) as {
      grants: { subject: { id: string } }[];
    };
    const subjects = grants.grants.map((g) => g.subject.id);
    expect(subjects.every((id) => /^p-[0-9a-f]{16}$/.test(id))).toBe(true);
    for (const name of ['alice', 'dave', 'erin', 'bob.weiss@bank.example']) {
      expect(member(hidden, 'gaps.json').toString()).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
    expect(execFileSync('unzip', ['-Z1', hidden], { encoding: 'utf8' })).not.toContain('sources/');
    const policy = member(hidden, 'policy.json').toString();
    expect(policy).not.toMatch(/"(bob|carol)"/);
    const approver = JSON.parse(member(hidden, 'grants.json').toString()).grants.flatMap(
      (g: { approvals: { by: string }[] }) => g.approvals.map((a) => a.by),
    )[0] as string;
    expect(policy).toContain(approver);
    expect(cli(['verify', hidden]).code).toBe(0);

    const timeline = path.join(dir, 'timeline.jsonl');
    writeFileSync(timeline, member(plain, 'timeline.jsonl'));
    const revealed = cli(['reveal', subjects[0], '--key', key, '--candidates', timeline]);
    expect(revealed.code).toBe(0);
    expect(revealed.stdout).toMatch(/alice|bob|carol|dave|erin/);
  });
});

describe('--fail-on', () => {
  it('exits 0 when no gap reaches the level and 1 when one does', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dora-e2e-'));
    const okta = path.join(repoRoot, 'fixtures', 'okta');
    const run = (level: string) =>
      cli([
        'build',
        okta,
        '--out',
        path.join(dir, `${level}.zip`),
        '--fail-on',
        level,
        '--json',
        '--quiet',
      ]);
    const critical = run('critical');
    expect(JSON.parse(critical.stdout).bySeverity.critical).toBeUndefined();
    expect(critical.code).toBe(0);
    expect(run('high').code).toBe(1);
  });
});

describe('inputs the tool cannot read', () => {
  it('verify --json gives a parseable verdict and exit 2 for a file that is not a ZIP', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dora-e2e-'));
    const file = path.join(dir, 'not.zip');
    writeFileSync(file, 'not a zip');
    const result = cli(['verify', file, '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      target: file,
      valid: false,
      unreadable: true,
    });
  });

  it('exits 2 naming the file and the importers tried when the only input is unrecognized', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dora-e2e-'));
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'just some notes\n');
    const result = cli(['build', file, '--out', path.join(dir, 'x.zip')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(/tried all \d+ importers \(aws-cloudtrail, /);
    expect(spawnSync('ls', [path.join(dir, 'x.zip')]).status).not.toBe(0);
  });

  it('prints non-Latin names in the report', { skip: !hasPoppler }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dora-e2e-'));
    const names = ['Łukasz Müller-Øster', '陈伟', 'Nguyễn Thị Hương'];
    const events = names.map((name, i) => ({
      uuid: `00000000-0000-4000-8000-00000000000${i}`,
      published: `2026-03-0${i + 1}T10:00:00.000Z`,
      eventType: 'group.user_membership.add',
      displayMessage: 'Add user to group membership',
      actor: {
        id: '00uadmin',
        type: 'User',
        alternateId: 'admin@bank.example',
        displayName: 'Admin',
      },
      outcome: { result: 'SUCCESS' },
      target: [
        { id: `00u${i}`, type: 'User', alternateId: name, displayName: name },
        { id: '00g1', type: 'UserGroup', alternateId: 'Prod Admins', displayName: 'Prod Admins' },
      ],
    }));
    const file = path.join(dir, 'okta.json');
    writeFileSync(file, JSON.stringify(events));
    const out = path.join(dir, 'names.zip');
    const result = cli(['build', file, '--out', out, '--as-of', '2026-03-31T00:00:00Z', '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const pdf = path.join(dir, 'names.pdf');
    writeFileSync(pdf, member(out, 'report.pdf'));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    for (const name of names) expect(text).toContain(name);
  });
});

describe.skipIf(!hasShared)('the main job on every shared sample at once', () => {
  it('completes and the bundle verifies', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dora-e2e-'));
    const out = path.join(dir, 'real.zip');
    const result = cli([
      'build',
      samplesDir,
      '--out',
      out,
      '--timezone',
      'UTC',
      '--json',
      '--quiet',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { inputs: number; grants: number };
    expect(summary.inputs).toBeGreaterThan(40);
    expect(cli(['verify', out]).code).toBe(0);
  });
});
