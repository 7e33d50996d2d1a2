// Detached Ed25519 signatures for files written outside the bundle (the --pdf report).
import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from './atomic-file.js';
import { loadSigningKey, signBytes, type SigningKey } from './signing.js';

/** Where the detached signature of `file` lives: `<file>.sig`. */
export function detachedSignaturePath(file: string): string {
  return `${file}.sig`;
}

/**
 * Writes `<file>.sig`: the raw 64-byte Ed25519 signature over the file's bytes, the same form
 * as manifest.sig, so `openssl pkeyutl -verify -rawin` checks it too.
 */
export async function writeDetachedSignature(
  file: string,
  key: SigningKey | string,
  force: boolean,
): Promise<string> {
  const signingKey = typeof key === 'string' ? loadSigningKey(key) : key;
  const signature = signBytes(signingKey, await readFile(file));
  const target = detachedSignaturePath(file);
  await writeFileAtomically(target, signature, force);
  return target;
}
