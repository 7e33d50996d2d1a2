// verify <report.pdf>: the detached <file>.sig checked against --key.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/verify.js';
import { writeDetachedSignature } from '../../src/export/detached.js';
import { scenario } from '../export/fixtures.js';

function capture() {
  let text = '';
  return { text: () => text, write: (s: string) => ((text += s), true) };
}

describe('verify report.pdf', () => {
  it('passes the signed PDF and fails a changed one, another key or a missing signature', async () => {
    const s = scenario();
    const pdf = join(s.dir, 'report.pdf');
    writeFileSync(pdf, '%PDF-1.7\nfictional report\n%%EOF\n');
    const sig = await writeDetachedSignature(pdf, s.keyPath, false);
    expect(sig).toBe(`${pdf}.sig`);

    const ok = capture();
    expect(await run({ target: pdf, key: s.pubPath, stdout: ok, stderr: capture() })).toBe(0);
    expect(ok.text()).toMatch(/^VALID /);
    expect(
      await run({ target: pdf, key: s.otherPubPath, stdout: capture(), stderr: capture() }),
    ).toBe(1);

    if (spawnSync('openssl', ['version']).status === 0) {
      const r = spawnSync('openssl', [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        s.pubPath,
        '-rawin',
        '-in',
        pdf,
        '-sigfile',
        sig,
      ]);
      expect(r.status).toBe(0);
    }

    writeFileSync(pdf, '%PDF-1.7\nfictional report, edited\n%%EOF\n');
    const bad = capture();
    expect(await run({ target: pdf, key: s.pubPath, stdout: bad, stderr: capture() })).toBe(1);
    expect(bad.text()).toContain('problem [bad-signature]');

    const unsignedPdf = join(s.dir, 'other.pdf');
    writeFileSync(unsignedPdf, '%PDF-1.7\n');
    const missing = capture();
    expect(
      await run({ target: unsignedPdf, key: s.pubPath, stdout: missing, stderr: capture() }),
    ).toBe(1);
    expect(missing.text()).toContain('problem [unsigned]');

    const stderr = capture();
    expect(await run({ target: pdf, stdout: capture(), stderr })).toBe(2);
    expect(stderr.text()).toMatch(/pass --key/);
  });
});
