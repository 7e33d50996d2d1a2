// keygen: 0600 key created with that mode, refuses to overwrite, prints the SPKI fingerprint.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/keygen.js';
import {
  keyFilePermissionWarning,
  loadPublicKey,
  loadSigningKey,
  fingerprintOf,
} from '../../src/export/signing.js';
import { tempDir } from '../export/fixtures.js';

function capture() {
  let text = '';
  return { text: () => text, write: (s: string) => ((text += s), true) };
}

describe.skipIf(process.platform === 'win32')('keygen', () => {
  it('writes a 0600 PKCS#8 key and a public key, and prints the fingerprint', async () => {
    const prefix = join(tempDir(), 'signer');
    const stdout = capture();
    const previous = process.umask(0o000); // the mode must come from open(), not from the umask
    try {
      expect(await run({ out: prefix, stdout, stderr: capture() })).toBe(0);
    } finally {
      process.umask(previous);
    }
    expect(statSync(`${prefix}.key`).mode & 0o777).toBe(0o600);
    expect(statSync(`${prefix}.pub`).mode & 0o777).toBe(0o644);
    expect(readFileSync(`${prefix}.key`, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(`${prefix}.pub`, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);

    const key = loadSigningKey(`${prefix}.key`);
    expect(stdout.text()).toBe(`${key.fingerprint}\n`);
    expect(fingerprintOf(loadPublicKey(`${prefix}.pub`))).toBe(key.fingerprint);
    expect(keyFilePermissionWarning(`${prefix}.key`)).toBeNull();
  });

  it('refuses to overwrite either file and leaves them as they were', async () => {
    const prefix = join(tempDir(), 'signer');
    writeFileSync(`${prefix}.pub`, 'old public');
    const stderr = capture();
    expect(await run({ out: prefix, stdout: capture(), stderr })).toBe(2);
    expect(stderr.text()).toMatch(/refusing to overwrite/);
    expect(readFileSync(`${prefix}.pub`, 'utf8')).toBe('old public');
    expect(() => statSync(`${prefix}.key`)).toThrow();
  });

  it('warns about a key file readable by group or others', async () => {
    const prefix = join(tempDir(), 'signer');
    await run({ out: prefix, stdout: capture(), stderr: capture() });
    chmodSync(`${prefix}.key`, 0o644);
    expect(keyFilePermissionWarning(`${prefix}.key`)).toMatch(/mode 0644.*chmod 600/);
    chmodSync(`${prefix}.key`, 0o640);
    expect(keyFilePermissionWarning(`${prefix}.key`)).toMatch(/mode 0640/);
    expect(keyFilePermissionWarning(`${prefix}.key`, 'win32')).toBeNull();
  });

  it('refuses a key that is not Ed25519', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const path = join(tempDir(), 'rsa.key');
    writeFileSync(path, rsa);
    expect(() => loadSigningKey(path)).toThrow(/rsa key; an Ed25519 key is needed/);
  });
});
