// diff: grants added/ended, gaps new/resolved/persisting between two bundles.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/diff.js';
import { writeBundle } from '../../src/export/bundle.js';
import { scenario } from '../export/fixtures.js';

function capture() {
  let text = '';
  return { text: () => text, write: (s: string) => ((text += s), true) };
}

describe('diff', () => {
  it('lists what changed between two runs', async () => {
    const s = scenario();
    const oldZip = join(s.dir, 'old.zip');
    const newZip = join(s.dir, 'new.zip');
    await writeBundle(s.input(), { out: oldZip, force: false, includeSources: false });

    const next = s.input();
    next.grants[1] = {
      ...next.grants[1],
      id: 'grant-bbbb-2',
      endReason: 'revoked',
      endedAt: '2026-03-05T00:00:00.000Z',
    };
    next.grants.push({ ...next.grants[0], id: 'grant-cccc', issuedAt: '2026-03-20T10:00:00.000Z' });
    next.gaps = [
      next.gaps[0],
      { ...next.gaps[2], id: 'gap-3b' },
      { ...next.gaps[0], id: 'gap-5', rule: 'self-approval', severity: 'critical' },
    ];
    await writeBundle(next, { out: newZip, force: false, includeSources: false });

    const stdout = capture();
    expect(await run({ old: oldZip, new: newZip, json: true, stdout, stderr: capture() })).toBe(0);
    const diff = JSON.parse(stdout.text());
    expect(diff.counts).toEqual({
      grantsAdded: 1,
      grantsEnded: 1,
      grantsDropped: 0,
      gapsNew: 1,
      gapsResolved: 1,
      gapsPersisting: 2,
    });
    expect(diff.grants.added[0].id).toBe('grant-cccc');
    expect(diff.grants.ended[0]).toMatchObject({ id: 'grant-bbbb-2', endReason: 'revoked' });
    expect(diff.gaps.new[0].rule).toBe('self-approval');
    expect(diff.gaps.resolved[0].rule).toBe('never-revoked');

    const text = capture();
    await run({ old: oldZip, new: newZip, stdout: text, stderr: capture() });
    expect(text.text()).toContain('gaps: 1 new, 1 resolved, 2 persisting');
    expect(text.text()).toContain('[critical] self-approval');

    expect(
      await run({ old: oldZip, new: newZip, failOn: 'high', stdout: capture(), stderr: capture() }),
    ).toBe(1);
    expect(
      await run({ old: newZip, new: newZip, failOn: 'low', stdout: capture(), stderr: capture() }),
    ).toBe(0);
  });

  it('exits 2 when a bundle cannot be read', async () => {
    const s = scenario();
    const stderr = capture();
    expect(
      await run({
        old: join(s.dir, 'none.zip'),
        new: join(s.dir, 'none.zip'),
        stdout: capture(),
        stderr,
      }),
    ).toBe(2);
    expect(stderr.text()).toMatch(/not a readable ZIP/);
  });
});
