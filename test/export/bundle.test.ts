// writeBundle: determinism, manifest contents, CSV neutralization, atomic output, baseline.
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleError, sourceMemberPaths, writeBundle } from '../../src/export/bundle.js';
import { OutputExistsError } from '../../src/export/atomic-file.js';
import { gapsCsv, grantsCsv } from '../../src/export/csv.js';
import { assessmentResultsChunks, assessmentResultsJson } from '../../src/export/oscal/index.js';
import type { Gap } from '../../src/model/gap.js';
import type { Grant } from '../../src/model/grant.js';
import { parseManifest } from '../../src/export/manifest.js';
import type { TimelineEvent } from '../../src/model/event.js';
import { sha256Hex } from '../../src/util/hash.js';
import { SafeZip } from '../../src/verify/zip-reader.js';
import { scenario, tempDir } from './fixtures.js';

async function members(path: string): Promise<Map<string, Buffer>> {
  const zip = await SafeZip.open(path);
  try {
    const out = new Map<string, Buffer>();
    for (const m of zip.members) out.set(m.name, await zip.read(m, 1 << 30));
    return out;
  } finally {
    zip.close();
  }
}

const fileSha = (path: string) => sha256Hex(readFileSync(path));

describe('writeBundle', () => {
  it('writes byte-identical bundles for the same input, asOf and key', async () => {
    const s = scenario();
    const a = join(s.dir, 'a.zip');
    const b = join(s.dir, 'b.zip');
    const ra = await writeBundle(s.input(), {
      out: a,
      force: false,
      keyPath: s.keyPath,
      includeSources: true,
    });
    const rb = await writeBundle(s.input(), {
      out: b,
      force: false,
      keyPath: s.keyPath,
      includeSources: true,
    });
    expect(fileSha(a)).toBe(fileSha(b));
    expect(ra.manifestSha256).toBe(rb.manifestSha256);
    expect(ra.signed).toBe(true);
    expect(ra.size).toBe(readFileSync(a).length);
  });

  it('gives a different manifest when one input byte changes', async () => {
    const s = scenario();
    const a = join(s.dir, 'a.zip');
    const b = join(s.dir, 'b.zip');
    const ra = await writeBundle(s.input(), { out: a, force: false, includeSources: true });
    const text = readFileSync(s.okta);
    text[10] = text[10] ^ 1;
    writeFileSync(s.okta, text);
    const rb = await writeBundle(s.input(), { out: b, force: false, includeSources: true });
    expect(rb.manifestSha256).not.toBe(ra.manifestSha256);
    const mb = parseManifest((await members(b)).get('manifest.json')!);
    expect(mb.inputs[0].sha256).toBe(fileSha(s.okta));
  });

  it('writes the fixed members in order with a manifest listing all but itself and signatures', async () => {
    const s = scenario();
    const out = join(s.dir, 'e.zip');
    await writeBundle(s.input(), { out, force: false, keyPath: s.keyPath, includeSources: true });
    const zip = await SafeZip.open(out);
    const names = zip.members.map((m) => m.name);
    zip.close();
    expect(names).toEqual([
      'summary.json',
      'grants.json',
      'grants.csv',
      'gaps.json',
      'gaps.csv',
      'timeline.jsonl',
      'accounting.json',
      'rejected.jsonl',
      'policy.json',
      'sources/exports/okta.ndjson',
      'sources/exports/jira.csv',
      'signer.pub',
      'report.pdf',
      'manifest.json',
      'manifest.sig',
      'attestation.dsse.json',
    ]);

    const content = await members(out);
    const manifestBytes = content.get('manifest.json')!;
    const manifest = parseManifest(manifestBytes);
    expect(manifest.files.map((f) => f.path)).toEqual(
      names
        .filter((n) => !['manifest.json', 'manifest.sig', 'attestation.dsse.json'].includes(n))
        .sort(),
    );
    for (const f of manifest.files) {
      expect(f.sha256).toBe(sha256Hex(content.get(f.path)!));
      expect(f.size).toBe(content.get(f.path)!.length);
    }
    // Canonical: sorted keys, no whitespace outside strings.
    expect(manifestBytes.toString()).toMatch(
      /^\{"asOf":"2026-03-31T23:59:59.000Z","evidenceDigest":"[0-9a-f]{64}","evidenceDigestExcludes":\["report.pdf"\],"files":\[\{"path":"accounting.json","sha256":"/,
    );
    expect(manifest.tool).toEqual({ name: 'dora-evidence', version: '0.1.0' });
    expect(manifest.period.since).toBe('2026-01-01T00:00:00.000Z');
    expect(manifest.sourcesIncluded).toBe(true);
    expect(manifest.previousManifestSha256).toBeNull();
    expect(manifest.rulesSha256).toBe(sha256Hex('rules-v1'));
    expect(manifest.policySha256).toBe(
      sha256Hex('{"clockSkew":"2m","maxTtl":"8h","requireTicket":true}'),
    );
    expect(manifest.inputs[1]).toMatchObject({
      name: 'exports/jira.csv',
      importer: 'jira',
      bundlePath: 'sources/exports/jira.csv',
      counts: { read: 1, normalized: 0, ignored: 0, rejected: 1 },
    });
    expect(content.get('sources/exports/okta.ndjson')!.equals(readFileSync(s.okta))).toBe(true);
    expect(content.get('manifest.sig')!.length).toBe(64);
    expect(content.get('signer.pub')!.toString()).toBe(readFileSync(s.pubPath, 'utf8'));

    const timeline = content.get('timeline.jsonl')!.toString().trimEnd().split('\n');
    expect(timeline.map((l) => JSON.parse(l).id)).toEqual(['ev-1', 'ev-2', 'ev-3']);
    expect(content.get('rejected.jsonl')!.toString()).toBe(
      '{"file":"exports/jira.csv","locator":"row 1","reason":"Created missing"}\n',
    );
    const summary = JSON.parse(content.get('summary.json')!.toString());
    expect(summary).toMatchObject({
      grants: 2,
      signed: true,
      sourcesIncluded: true,
      baseline: null,
    });
  });

  it('streams long members with the bytes of their whole form, late OSCAL results too', async () => {
    const s = scenario();
    const base = s.input();
    // Enough grants and gaps that every JSON and CSV member passes the 1 MiB the ZIP writer
    // gathers before it streams.
    const grants: Grant[] = [];
    const gaps: Gap[] = [];
    for (let n = 0; n < 4000; n++) {
      for (const grant of base.grants) grants.push({ ...grant, id: `${grant.id}-${n}` });
      for (const gap of base.gaps)
        gaps.push({ ...gap, id: `${gap.id}-${n}`, message: `${gap.message} Tomás 😀 ${n}` });
    }
    const out = join(s.dir, 'long.zip');
    let digest = '';
    const oscalInput = (evidenceDigest: string) => ({
      grants,
      gaps,
      period: base.period,
      asOf: base.asOf,
      toolVersion: base.toolVersion,
      evidenceDigest,
      ruleTitles: {},
    });
    await writeBundle(
      {
        ...base,
        grants,
        gaps,
        lateMembers: async ({ evidenceDigest }) => {
          digest = evidenceDigest;
          return [
            {
              path: 'oscal/assessment-results.json',
              content: () => assessmentResultsChunks(oscalInput(evidenceDigest)),
            },
          ];
        },
      },
      { out, force: false, keyPath: s.keyPath, includeSources: true },
    );

    const content = await members(out);
    const text = (path: string) => content.get(path)!.toString('utf8');
    expect(text('grants.json')).toBe(`${JSON.stringify({ grants }, null, 2)}\n`);
    expect(text('gaps.json')).toBe(`${JSON.stringify({ gaps }, null, 2)}\n`);
    expect(content.get('grants.csv')!.equals(grantsCsv(grants))).toBe(true);
    expect(content.get('gaps.csv')!.equals(gapsCsv(gaps))).toBe(true);
    expect(text('oscal/assessment-results.json')).toBe(assessmentResultsJson(oscalInput(digest)));
    for (const path of ['grants.json', 'gaps.json', 'grants.csv', 'gaps.csv']) {
      expect(content.get(path)!.length).toBeGreaterThan(1 << 20);
    }
    const manifest = parseManifest(content.get('manifest.json')!);
    for (const f of manifest.files) expect(f.sha256).toBe(sha256Hex(content.get(f.path)!));
    expect(manifest.evidenceDigestExcludes).toEqual(['oscal/assessment-results.json']);
  });

  it('neutralizes formula cells in the CSVs and keeps the JSON strings intact', async () => {
    const s = scenario();
    const out = join(s.dir, 'n.zip');
    await writeBundle(s.input(), { out, force: false, includeSources: false });
    const content = await members(out);
    const gapsJson = JSON.parse(content.get('gaps.json')!.toString());
    expect(gapsJson.gaps[1].subject).toBe('=HYPERLINK("https://example.invalid","x")');
    expect(gapsJson.gaps[1].message).toBe('@SUM(1+1) still open at as-of');

    const gapsCsv = content.get('gaps.csv')!.toString();
    expect(gapsCsv).toContain('"\'=HYPERLINK(""https://example.invalid"",""x"")"');
    expect(gapsCsv).toContain('"\'+danger"');
    expect(gapsCsv).toContain('"\'@SUM(1+1) still open at as-of"');
    expect(gapsCsv).toContain('"\'-6h without okta events"');
    expect(gapsCsv).not.toMatch(/(^|,)"[=+@-]/m);
    const grantsCsv = content.get('grants.csv')!.toString();
    expect(grantsCsv).toContain('"\'@ops-oncall"');
    expect(grantsCsv).toContain('"\'=cmd|calc"');
    expect(grantsCsv).toContain('"\'-bob 2026-03-03T08:00:00.000Z"');
    // Tool-computed numbers stay bare: one session, three activity events.
    expect(grantsCsv.split('\n')[2]).toMatch(/,1,3,/);
  });

  it('says so when unsigned, leaves signature members out and omits sources with --no-sources', async () => {
    const s = scenario();
    const out = join(s.dir, 'u.zip');
    const result = await writeBundle(s.input(), { out, force: false, includeSources: false });
    expect(result.signed).toBe(false);
    const content = await members(out);
    expect(
      [...content.keys()].filter(
        (n) =>
          n.startsWith('sources/') || n.includes('sig') || n === 'signer.pub' || n.includes('dsse'),
      ),
    ).toEqual([]);
    const summary = JSON.parse(content.get('summary.json')!.toString());
    expect(summary.signed).toBe(false);
    expect(summary.unsignedNote).toMatch(/not signed/);
    const manifest = parseManifest(content.get('manifest.json')!);
    expect(manifest.sourcesIncluded).toBe(false);
    expect(manifest.inputs.map((i) => i.bundlePath)).toEqual([null, null]);
  });

  it('refuses --require-signature without a key, and an existing output without force', async () => {
    const s = scenario();
    const out = join(s.dir, 'r.zip');
    await expect(
      writeBundle(s.input(), { out, force: false, includeSources: true, requireSignature: true }),
    ).rejects.toThrow(BundleError);
    expect(existsSync(out)).toBe(false);

    writeFileSync(out, 'previous bundle');
    await expect(
      writeBundle(s.input(), { out, force: false, includeSources: true }),
    ).rejects.toThrow(OutputExistsError);
    expect(readFileSync(out, 'utf8')).toBe('previous bundle');
    await writeBundle(s.input(), { out, force: true, includeSources: true });
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses the report or OSCAL results as early members: they print the evidence digest', async () => {
    const s = scenario();
    for (const path of ['report.pdf', 'oscal/assessment-results.json']) {
      const out = join(s.dir, 'early.zip');
      const input = { ...s.input(), extraMembers: [{ path, content: Buffer.from('x') }] };
      await expect(writeBundle(input, { out, force: true, includeSources: false })).rejects.toThrow(
        `extra member ${path} prints the evidence digest: a late member`,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it('leaves no temporary or partial file when the build fails midway', async () => {
    const s = scenario();
    const out = join(s.dir, 'fail.zip');
    writeFileSync(out, 'old');
    async function* failing(): AsyncGenerator<TimelineEvent> {
      const events = s.input().timeline as TimelineEvent[];
      yield events[0];
      throw new Error('reader failed');
    }
    const before = readdirSync(s.dir).sort();
    await expect(
      writeBundle(
        { ...s.input(), timeline: failing() },
        { out, force: true, includeSources: true },
      ),
    ).rejects.toThrow('reader failed');
    expect(readdirSync(s.dir).sort()).toEqual(before);
    expect(readFileSync(out, 'utf8')).toBe('old');

    // An input that changed since it was read is refused, not silently bundled.
    const input = s.input();
    writeFileSync(s.jira, 'tampered\n');
    await expect(
      writeBundle(input, { out: join(s.dir, 'x.zip'), force: false, includeSources: true }),
    ).rejects.toThrow(/changed since it was read/);
    expect(readdirSync(s.dir).sort()).toEqual(before);
  });

  it('writes every timeline line whole across chunk borders: multi-byte text, very long lines', async () => {
    const s = scenario();
    const [first] = s.input().timeline as TimelineEvent[];
    const items = Array.from({ length: 4000 }, (_, n) => {
      const at = new Date(Date.parse(first.at) + n * 1000).toISOString();
      const summary =
        n === 1500 ? 'x'.repeat(400_000) : n === 2500 ? '名前😀'.repeat(60_000) : `Tomás ${n} 😀`;
      const event: TimelineEvent = {
        ...first,
        id: `ev-${String(n).padStart(5, '0')}`,
        at,
        summary,
      };
      // Half come as objects, half already serialized, as the activity store hands them on.
      return n % 2 ? event : { at, id: event.id, json: JSON.stringify(event) };
    });
    const out = join(s.dir, 'timeline.zip');
    await writeBundle(
      { ...s.input(), timeline: items },
      { out, force: false, includeSources: false },
    );
    const expected = items.map((item) => `${'json' in item ? item.json : JSON.stringify(item)}\n`);
    expect((await members(out)).get('timeline.jsonl')!.toString('utf8')).toBe(expected.join(''));
  });

  it('rejects a timeline out of (at, id) order', async () => {
    const s = scenario();
    const events = [...(s.input().timeline as TimelineEvent[])].reverse();
    await expect(
      writeBundle(
        { ...s.input(), timeline: events },
        { out: join(s.dir, 't.zip'), force: false, includeSources: false },
      ),
    ).rejects.toThrow(/not sorted/);
  });

  it('marks gaps against a baseline, lists resolved ones and chains the manifests', async () => {
    const s = scenario();
    const first = join(s.dir, 'first.zip');
    const r1 = await writeBundle(s.input(), { out: first, force: false, includeSources: true });

    // Unchanged rerun, with ids that changed (as one more line in an export would do).
    const rerun = s.input();
    rerun.gaps = rerun.gaps.map((g) => ({ ...g, id: `${g.id}-rerun` }));
    const second = join(s.dir, 'second.zip');
    const r2 = await writeBundle(rerun, {
      out: second,
      force: false,
      includeSources: true,
      baselinePath: first,
    });
    expect(r2.baseline).toMatchObject({
      new: 0,
      persisting: 3,
      resolved: 0,
      previousManifestSha256: r1.manifestSha256,
    });
    expect(r2.gaps.every((g) => g.baseline === 'persisting')).toBe(true);
    expect(r1.manifestSha256).toBe(sha256Hex((await members(first)).get('manifest.json')!));
    const m2 = parseManifest((await members(second)).get('manifest.json')!);
    expect(m2.previousManifestSha256).toBe(r1.manifestSha256);

    // One gap fixed, one new: the summary names the resolved one.
    const changed = s.input();
    changed.gaps = [
      changed.gaps[0],
      changed.gaps[2],
      { ...changed.gaps[1], rule: 'ttl-exceeded', id: 'gap-9' },
    ];
    const third = join(s.dir, 'third.zip');
    const r3 = await writeBundle(changed, {
      out: third,
      force: false,
      includeSources: true,
      baselinePath: second,
    });
    expect(r3.baseline).toMatchObject({ new: 1, persisting: 2, resolved: 1 });
    expect(r3.gaps.map((g) => g.baseline)).toEqual(['persisting', 'persisting', 'new']);
    const content = await members(third);
    const summary = JSON.parse(content.get('summary.json')!.toString());
    expect(summary.baseline.resolvedGaps.map((g: { rule: string }) => g.rule)).toEqual([
      'never-revoked',
    ]);
    const gaps = JSON.parse(content.get('gaps.json')!.toString()).gaps;
    expect(gaps.map((g: { baseline: string }) => g.baseline)).toEqual([
      'persisting',
      'persisting',
      'new',
    ]);

    // --baseline may name the output that --force replaces.
    const r4 = await writeBundle(s.input(), {
      out: third,
      force: true,
      includeSources: true,
      baselinePath: third,
    });
    expect(r4.baseline?.previousManifestSha256).toBe(r3.manifestSha256);
  });

  it('refuses a baseline whose gaps do not match its own manifest', async () => {
    const s = scenario();
    const notZip = join(s.dir, 'not.zip');
    writeFileSync(notZip, 'hello');
    await expect(
      writeBundle(s.input(), {
        out: join(s.dir, 'o.zip'),
        force: false,
        includeSources: true,
        baselinePath: notZip,
      }),
    ).rejects.toThrow(BundleError);
    expect(existsSync(join(s.dir, 'o.zip'))).toBe(false);
  });

  it('maps input names to safe, distinct sources/ paths', () => {
    expect(
      sourceMemberPaths([
        '../shared/a.json',
        '/tmp/a.json',
        'C:\\x\\b.csv',
        'shared/a.json',
        'q"\u0001.log',
      ]),
    ).toEqual([
      'sources/shared/a.json',
      'sources/tmp/a.json',
      'sources/x/b.csv',
      'sources/shared/a~2.json',
      'sources/q__.log',
    ]);
  });

  it('reports a missing output directory as a bundle error and warns about an open key file', async () => {
    const s = scenario();
    await expect(
      writeBundle(s.input(), {
        out: join(s.dir, 'no', 'such', 'dir.zip'),
        force: false,
        includeSources: false,
      }),
    ).rejects.toThrow(/cannot create/);
    chmodSync(s.keyPath, 0o644);
    const result = await writeBundle(s.input(), {
      out: join(s.dir, 'w.zip'),
      force: false,
      keyPath: s.keyPath,
      includeSources: false,
    });
    expect(result.warnings.join('\n')).toMatch(/accessible to group or others/);
    chmodSync(s.keyPath, 0o600);
    const clean = await writeBundle(s.input(), {
      out: join(s.dir, 'w2.zip'),
      force: false,
      keyPath: s.keyPath,
      includeSources: false,
    });
    expect(clean.warnings).toEqual([]);
  });

  it('does not depend on the output file name or directory', async () => {
    const s = scenario();
    const other = tempDir();
    await writeBundle(s.input(), {
      out: join(s.dir, 'one.zip'),
      force: false,
      keyPath: s.keyPath,
      includeSources: true,
    });
    await writeBundle(s.input(), {
      out: join(other, 'two.zip'),
      force: false,
      keyPath: s.keyPath,
      includeSources: true,
    });
    expect(fileSha(join(s.dir, 'one.zip'))).toBe(fileSha(join(other, 'two.zip')));
  });
});
