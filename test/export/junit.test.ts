// JUnit: a case per grant with a failure per gap; source-level gaps as their own cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitXml, writeJunit } from '../../src/export/junit.js';
import { sampleGaps, sampleGrants, tempDir } from './fixtures.js';

describe('junit', () => {
  it('has one case per grant, a failure per gap and the source gap on its own', async () => {
    const grants = sampleGrants();
    const gaps = sampleGaps();
    gaps.push({ ...gaps[0], id: 'gap-4', rule: 'self-approval', message: 'a <b> & "c"\u0001' });
    const file = join(tempDir(), 'junit.xml');
    await writeJunit(grants, gaps, file);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toBe(junitXml(grants, gaps));

    expect(xml).toContain('<testsuites name="dora-evidence" tests="3" failures="3" errors="0">');
    expect(xml).toContain('<testsuite name="dora-evidence.grants" tests="2" failures="2"');
    expect(xml).toContain('<testsuite name="dora-evidence.sources" tests="1" failures="1"');
    expect(xml.match(/<failure /g)).toHaveLength(4);
    const first = xml.slice(xml.indexOf('grant-aaaa'), xml.indexOf('grant-bbbb'));
    expect(first.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('name="coverage-gap sources 2026-03-04T00:00:00.000Z gap-3"');
    expect(xml).toContain('a &lt;b&gt; &amp; &quot;c&quot;\ufffd');
    expect(xml).not.toContain('\u0001');
  });

  it('passes every case when there are no gaps', () => {
    const xml = junitXml(
      sampleGrants().map((g) => ({ ...g, gapIds: [] })),
      [],
    );
    expect(xml).toContain('tests="2" failures="0"');
    expect(xml).not.toContain('<failure');
  });
});
