// verify: a fresh bundle passes; each kind of tampering fails with the right problem named.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { run as verifyCli } from '../../src/cli/verify.js';
import { writeBundle } from '../../src/export/bundle.js';
import { canonicalBytes } from '../../src/export/canonical-json.js';
import { buildStatement, signStatement } from '../../src/export/dsse.js';
import { evidenceDigestOf, parseManifest } from '../../src/export/manifest.js';
import { loadPublicKey, loadSigningKey, signBytes } from '../../src/export/signing.js';
import { sha256Hex } from '../../src/util/hash.js';
import { verifyBundle, type VerifyReport } from '../../src/verify/bundle.js';
import { scenario, type Scenario } from '../export/fixtures.js';
import { rawZip, readMembers, rewrite } from './helpers.js';

function capture(): { text: () => string; write: (s: string) => boolean } {
  let buffer = '';
  return { text: () => buffer, write: (s: string) => ((buffer += s), true) };
}

async function cli(
  target: string,
  key?: string,
  json = false,
): Promise<{ code: number; out: string; err: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await verifyCli({ target, key, json, stdout, stderr });
  return { code, out: stdout.text(), err: stderr.text() };
}

const kinds = (report: VerifyReport) => report.problems.map((p) => `${p.kind}:${p.path ?? ''}`);

let s: Scenario;
let bundle: string;
let unsigned: string;
let n = 0;
const next = () => join(s.dir, `t${(n += 1)}.zip`);

beforeAll(async () => {
  s = scenario();
  bundle = join(s.dir, 'evidence.zip');
  unsigned = join(s.dir, 'unsigned.zip');
  await writeBundle(s.input(), {
    out: bundle,
    force: false,
    keyPath: s.keyPath,
    includeSources: true,
  });
  await writeBundle(s.input(), { out: unsigned, force: false, includeSources: true });
});

describe('verify a bundle', () => {
  it('passes a fresh bundle, proving the signer only with --key', async () => {
    const withKey = await cli(bundle, s.pubPath);
    expect(withKey.code).toBe(0);
    expect(withKey.out).toMatch(/^VALID /);
    expect(withKey.out).toMatch(/files: 13 listed, 13 intact/);

    const report = await verifyBundle(bundle, null);
    expect(report.valid).toBe(true);
    expect(report.signature).toMatchObject({
      status: 'valid',
      checkedWith: 'bundled-signer',
      signerProven: false,
    });
    expect(report.notes.join(' ')).toMatch(/not who holds the key/);
    const json = JSON.parse((await cli(bundle, undefined, true)).out);
    expect(json.valid).toBe(true);
    expect(json.signature.signerProven).toBe(false);
  });

  it('names the changed member when any one byte of any listed member changes', async () => {
    const members = await readMembers(bundle);
    const manifest = parseManifest(members.find(([n]) => n === 'manifest.json')![1]);
    for (const file of manifest.files) {
      const out = next();
      await rewrite(bundle, out, (list) =>
        list.map(([name, content]) => {
          if (name !== file.path) return [name, content];
          const copy = Buffer.from(content);
          copy[Math.floor(copy.length / 2)] ^= 0x01;
          return [name, copy];
        }),
      );
      const report = await verifyBundle(out, loadPublicKey(s.pubPath));
      expect(kinds(report)).toContain(`changed:${file.path}`);
      expect((await cli(out, s.pubPath)).code).toBe(1);
    }
  });

  it('catches a byte flipped inside the ZIP file itself (CRC not trusted)', async () => {
    const out = next();
    const bytes = readFileSync(bundle);
    const at = bytes.indexOf('-----BEGIN PUBLIC KEY-----') + 40; // signer.pub is stored
    bytes[at] ^= 0x01;
    writeFileSync(out, bytes);
    const report = await verifyBundle(out, null);
    expect(kinds(report)).toContain('changed:signer.pub');
  });

  it('names a removed member, an added member, an edited manifest and a replaced signature', async () => {
    const removed = next();
    await rewrite(bundle, removed, (list) => list.filter(([name]) => name !== 'grants.csv'));
    expect(kinds(await verifyBundle(removed, null))).toEqual(['missing:grants.csv']);

    const added = next();
    await rewrite(bundle, added, (list) => [...list, ['notes.txt', Buffer.from('hi')]]);
    const addedReport = await verifyBundle(added, null);
    expect(kinds(addedReport)).toEqual(['extra:notes.txt']);
    const addedCli = await cli(added, s.pubPath);
    expect(addedCli.code).toBe(1);
    expect(addedCli.out).toContain('problem [extra] notes.txt');

    const edited = next();
    await rewrite(bundle, edited, (list) =>
      list.map(([name, content]) => [
        name,
        name === 'manifest.json'
          ? Buffer.from(content.toString().replace('2026-03-31T23:59:59', '2026-03-30T23:59:59'))
          : content,
      ]),
    );
    expect(kinds(await verifyBundle(edited, loadPublicKey(s.pubPath)))).toContain(
      'bad-signature:manifest.sig',
    );
    expect(kinds(await verifyBundle(edited, null))).toContain('bad-signature:manifest.sig');

    const replaced = next();
    const other = loadSigningKey(s.otherKeyPath);
    await rewrite(bundle, replaced, (list) => {
      const manifest = list.find(([name]) => name === 'manifest.json')![1];
      return list.map(([name, content]) => [
        name,
        name === 'manifest.sig' ? signBytes(other, manifest) : content,
      ]);
    });
    expect(kinds(await verifyBundle(replaced, null))).toEqual(['bad-signature:manifest.sig']);
    expect(kinds(await verifyBundle(replaced, loadPublicKey(s.pubPath)))).toEqual([
      'bad-signature:manifest.sig',
    ]);

    const truncated = next();
    await rewrite(bundle, truncated, (list) =>
      list.map(([name, content]) => [
        name,
        name === 'manifest.sig' ? content.subarray(0, 63) : content,
      ]),
    );
    expect(kinds(await verifyBundle(truncated, null))).toEqual(['bad-signature:manifest.sig']);
  });

  it('says wrong key when verified with another key, even for a fully re-signed bundle', async () => {
    const result = await cli(bundle, s.otherPubPath);
    expect(result.code).toBe(1);
    expect(result.out).toContain('problem [wrong-key]');

    // An attacker re-signs everything with their own key: consistent inside, wrong signer.
    const attacker = loadSigningKey(s.otherKeyPath);
    const out = next();
    await rewrite(bundle, out, (list) => {
      const map = new Map(list);
      map.set('signer.pub', Buffer.from(attacker.publicPem));
      const manifest = parseManifest(map.get('manifest.json')!);
      manifest.files = manifest.files.map((f) =>
        f.path === 'signer.pub'
          ? { ...f, size: map.get('signer.pub')!.length, sha256: sha256Hex(map.get('signer.pub')!) }
          : f,
      );
      // A careful attacker also recomputes the evidence digest, which covers signer.pub.
      manifest.evidenceDigest = evidenceDigestOf(manifest);
      const bytes = canonicalBytes(manifest);
      map.set('manifest.json', bytes);
      map.set('manifest.sig', signBytes(attacker, bytes));
      const subjects = [...manifest.files, { path: 'manifest.json', sha256: sha256Hex(bytes) }].map(
        (f) => ({ name: f.path, digest: { sha256: f.sha256 } }),
      );
      map.set(
        'attestation.dsse.json',
        canonicalBytes(signStatement(buildStatement(subjects, {}), attacker)),
      );
      return [...map.entries()];
    });
    const unproven = await verifyBundle(out, null);
    expect(unproven.valid).toBe(true);
    expect(unproven.signature.signerProven).toBe(false);
    expect(unproven.signature.fingerprint).toBe(attacker.fingerprint);
    expect(kinds(await verifyBundle(out, loadPublicKey(s.pubPath)))).toEqual([
      'wrong-key:manifest.sig',
    ]);
  });

  it('checks the DSSE attestation and its subjects', async () => {
    const out = next();
    const key = loadSigningKey(s.keyPath);
    await rewrite(bundle, out, (list) =>
      list.map(([name, content]) => {
        if (name !== 'attestation.dsse.json') return [name, content];
        const subjects = [{ name: 'grants.json', digest: { sha256: '0'.repeat(64) } }];
        return [name, canonicalBytes(signStatement(buildStatement(subjects, {}), key))];
      }),
    );
    const report = await verifyBundle(out, loadPublicKey(s.pubPath));
    expect(kinds(report)).toEqual(['attestation-invalid:attestation.dsse.json']);

    const members = new Map(await readMembers(bundle));
    const envelope = JSON.parse(members.get('attestation.dsse.json')!.toString());
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    const manifestSha = sha256Hex(members.get('manifest.json')!);
    expect(statement.subject).toContainEqual({
      name: 'manifest.json',
      digest: { sha256: manifestSha },
    });
    expect(statement.subject).toHaveLength(14);
  });

  it('treats an unsigned bundle as consistent, but as a problem when --key is given', async () => {
    const plain = await cli(unsigned);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/signature: absent/);
    expect(plain.out).toMatch(/unsigned/);
    const keyed = await cli(unsigned, s.pubPath);
    expect(keyed.code).toBe(1);
    expect(keyed.out).toContain('problem [unsigned]');
  });

  it('exits 2 for a file that is no ZIP, a missing file or an unreadable key', async () => {
    const junk = join(s.dir, 'junk.zip');
    writeFileSync(junk, 'not a zip at all');
    const result = await cli(junk);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/not a readable ZIP/);
    expect((await cli(join(s.dir, 'absent.zip'))).code).toBe(2);
    expect((await cli(bundle, join(s.dir, 'absent.pub'))).code).toBe(2);
  });
});

describe('verify refuses ZIP tricks', () => {
  async function trick(
    extra: Parameters<typeof rawZip>[1],
    drop: string[] = [],
  ): Promise<VerifyReport> {
    const out = next();
    const members = (await readMembers(bundle)).filter(([name]) => !drop.includes(name));
    rawZip(out, [...members.map(([name, content]) => ({ name, content })), ...extra]);
    return verifyBundle(out, loadPublicKey(s.pubPath));
  }

  it('passes the honest members through the raw writer unchanged', async () => {
    expect((await trick([])).valid).toBe(true);
  });

  it('reports duplicate names, traversal, absolute names, links, directories', async () => {
    const members = new Map(await readMembers(bundle));
    const report = await trick([
      { name: 'grants.json', content: Buffer.from('{"grants":[]}') },
      { name: '../evil.sh', content: Buffer.from('echo pwned') },
      { name: '/etc/cron.d/x', content: Buffer.from('x') },
      { name: 'sources/link', content: Buffer.from('/etc/passwd'), mode: 0o120777 },
      { name: 'empty/', content: Buffer.alloc(0), mode: 0o040755 },
    ]);
    expect(members.has('grants.json')).toBe(true);
    expect(kinds(report)).toEqual(
      expect.arrayContaining([
        'duplicate-entry:grants.json',
        'unsafe-entry-name:../evil.sh',
        'unsafe-entry-name:/etc/cron.d/x',
        'symlink-entry:sources/link',
        'directory-entry:empty/',
        'extra:../evil.sh',
      ]),
    );
    expect(report.valid).toBe(false);
  });

  it('reports entries claiming to expand beyond what deflate can produce, and never reads them', async () => {
    const report = await trick([
      {
        name: 'bomb.bin',
        content: Buffer.alloc(10),
        deflated: deflateRawSync(Buffer.alloc(10)),
        claimedSize: 0xfffffff0,
      },
    ]);
    expect(kinds(report)).toEqual(
      expect.arrayContaining(['implausible-compression:bomb.bin', 'extra:bomb.bin']),
    );
  });

  it('reports a listed member whose data inflates past its declared size', async () => {
    const members = new Map(await readMembers(bundle));
    const original = members.get('grants.json')!;
    const bigger = Buffer.concat([original, Buffer.alloc(5000, 0x20)]);
    const report = await trick(
      [
        {
          name: 'grants.json',
          content: bigger,
          deflated: deflateRawSync(bigger),
          claimedSize: original.length,
        },
      ],
      ['grants.json'],
    );
    expect(kinds(report)).toEqual(['corrupt:grants.json']);
  });

  it('reports a local header that names another file than the central directory', async () => {
    const members = new Map(await readMembers(bundle));
    const report = await trick(
      [{ name: 'gaps.csv', content: members.get('gaps.csv')!, localName: 'gaps.cs_' }],
      ['gaps.csv'],
    );
    expect(kinds(report)).toEqual(['local-header-mismatch:gaps.csv']);
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const hasSha256sum = spawnSync('sha256sum', ['--version']).status === 0;

describe.skipIf(!hasOpenssl || !hasUnzip || !hasSha256sum)(
  'the README recipe with openssl and sha256sum',
  () => {
    const doc = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const recipe = /<!-- recipe:verify-offline -->\n```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';

    function runRecipe(zip: string): { status: number | null; output: string } {
      const dir = join(s.dir, `recipe-${(n += 1)}`);
      execFileSync('mkdir', ['-p', dir]);
      copyFileSync(zip, join(dir, 'evidence.zip'));
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', recipe], {
        cwd: dir,
        encoding: 'utf8',
      });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    }

    it('verifies a real bundle exactly as documented', () => {
      expect(recipe).toContain(
        'openssl pkeyutl -verify -pubin -inkey signer.pub -rawin -in manifest.json -sigfile manifest.sig',
      );
      const result = runRecipe(bundle);
      expect(result.output).toContain('Signature Verified Successfully');
      expect(result.output).toContain('no unlisted members');
      expect(result.status).toBe(0);
    });

    it('fails on a changed member, an extra member and an edited manifest', async () => {
      const changed = next();
      await rewrite(bundle, changed, (list) =>
        list.map(([name, content]) => [
          name,
          name === 'gaps.json' ? Buffer.concat([content, Buffer.from(' ')]) : content,
        ]),
      );
      const changedRun = runRecipe(changed);
      expect(changedRun.status).not.toBe(0);
      expect(changedRun.output).toMatch(/gaps.json: FAILED/);

      const extra = next();
      await rewrite(bundle, extra, (list) => [...list, ['x.txt', Buffer.from('x')]]);
      expect(runRecipe(extra).status).not.toBe(0);

      const edited = next();
      await rewrite(bundle, edited, (list) =>
        list.map(([name, content]) => [
          name,
          name === 'manifest.json'
            ? Buffer.from(content.toString().replace('"0.1.0"', '"0.1.1"'))
            : content,
        ]),
      );
      const editedRun = runRecipe(edited);
      expect(editedRun.status).not.toBe(0);
      expect(editedRun.output).toMatch(/Signature Verification Failure/);
    });

    it('gives the same fingerprint as keygen with openssl pkey | sha256sum', () => {
      const der = execFileSync('openssl', ['pkey', '-pubin', '-in', s.pubPath, '-outform', 'DER']);
      expect(sha256Hex(der)).toBe(loadSigningKey(s.keyPath).fingerprint);
    });
  },
);
