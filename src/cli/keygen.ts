// `keygen --out <prefix>`: a new Ed25519 pair, <prefix>.key (0600, PKCS#8) and <prefix>.pub.
import { existsSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { generateSigningKeyPair } from '../export/signing.js';

interface Out {
  write(text: string): unknown;
}

export interface KeygenOptions {
  out: string;
  stdout?: Out;
  stderr?: Out;
}

/** Creates `path` exclusively with `mode` from the start: the key is never briefly readable. */
async function createExclusive(path: string, data: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function run(options: KeygenOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const keyPath = `${options.out}.key`;
  const pubPath = `${options.out}.pub`;

  const existing = [keyPath, pubPath].filter((p) => existsSync(p));
  if (existing.length > 0) {
    const verb = existing.length === 1 ? 'exists' : 'exist';
    stderr.write(
      `keygen: ${existing.join(' and ')} already ${verb}; refusing to overwrite a key\n`,
    );
    return 2;
  }

  const pair = generateSigningKeyPair();
  try {
    await createExclusive(keyPath, pair.privatePem, 0o600);
  } catch (error) {
    stderr.write(`keygen: cannot create ${keyPath}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    await createExclusive(pubPath, pair.publicPem, 0o644);
  } catch (error) {
    await unlink(keyPath).catch(() => undefined);
    stderr.write(`keygen: cannot create ${pubPath}: ${(error as Error).message}\n`);
    return 2;
  }

  stderr.write(`keygen: wrote ${keyPath} (private, mode 0600) and ${pubPath} (public)\n`);
  stdout.write(`${pair.fingerprint}\n`);
  return 0;
}
