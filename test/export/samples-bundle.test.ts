// Every shared sample file bundled as a source at once: verify passes, sources are byte-exact.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBundle } from '../../src/export/bundle.js';
import { parseManifest } from '../../src/export/manifest.js';
import { sha256Hex } from '../../src/util/hash.js';
import { verifyBundle } from '../../src/verify/bundle.js';
import { SafeZip } from '../../src/verify/zip-reader.js';
import { scenario } from './fixtures.js';

const repoRoot = resolve(__dirname, '../..');
const samples = resolve(repoRoot, '../shared/samples');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

describe.skipIf(!existsSync(samples))('a bundle over every shared sample', () => {
  it('carries each sample byte for byte and verifies', async () => {
    const s = scenario();
    const files = walk(samples);
    const inputs = files.map((path) => ({
      name: relative(repoRoot, path),
      path,
      sha256: sha256Hex(readFileSync(path)),
      size: statSync(path).size,
      importer: null,
      counts: { read: 0, normalized: 0, ignored: 0, rejected: 0 },
      coverage: { from: null, to: null },
    }));
    const out = join(s.dir, 'real.zip');
    await writeBundle(
      { ...s.input(), inputs },
      { out, force: false, keyPath: s.keyPath, includeSources: true },
    );

    const report = await verifyBundle(out, null);
    expect(report.problems).toEqual([]);
    const zip = await SafeZip.open(out);
    const members = zip.byName();
    const manifest = parseManifest(await zip.read(members.get('manifest.json')!, 1 << 24));
    expect(manifest.inputs).toHaveLength(files.length);
    for (const [i, input] of manifest.inputs.entries()) {
      expect(input.bundlePath).toBe(`sources/${input.name.replace(/^(\.\.\/)+/, '')}`);
      const bytes = await zip.read(members.get(input.bundlePath!)!, 1 << 24);
      expect(bytes.equals(readFileSync(files[i]))).toBe(true);
    }
    zip.close();
  });
});
