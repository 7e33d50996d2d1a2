// Ed25519 keys and signatures on node:crypto: loading, signing, fingerprints, key-file hygiene.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { sha256Hex } from '../util/hash.js';

export class KeyError extends Error {}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key, as written to signer.pub. */
  publicPem: string;
  /** sha256 (hex) of the SPKI DER encoding of the public key. */
  fingerprint: string;
}

/** sha256 (hex) of the SPKI DER of a public key: `openssl pkey -pubin -outform DER | sha256sum`. */
export function fingerprintOf(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
}

export function publicPemOf(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Reads a PKCS#8 PEM Ed25519 private key; anything else is refused with the reason. */
export function loadSigningKey(path: string): SigningKey {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    throw new KeyError(`cannot read signing key ${path}: ${(error as Error).message}`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    const reason = (error as Error).message;
    throw new KeyError(`${path} is not an unencrypted PEM private key (${reason})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new KeyError(
      `${path} holds a ${privateKey.asymmetricKeyType} key; an Ed25519 key is needed`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicPem: publicPemOf(publicKey),
    fingerprint: fingerprintOf(publicKey),
  };
}

/** Parses an SPKI PEM Ed25519 public key (signer.pub or the auditor's --key). */
export function parsePublicKey(pem: string | Buffer, label: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new KeyError(`${label} is not a PEM public key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new KeyError(`${label} holds a ${key.asymmetricKeyType} key; an Ed25519 key is needed`);
  }
  return key;
}

export function loadPublicKey(path: string): KeyObject {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    throw new KeyError(`cannot read public key ${path}: ${(error as Error).message}`);
  }
  return parsePublicKey(pem, path);
}

/** Raw 64-byte Ed25519 signature (deterministic: the same key and bytes give the same value). */
export function signBytes(key: SigningKey, data: Buffer): Buffer {
  return sign(null, data, key.privateKey);
}

export function verifyBytes(publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}

export interface GeneratedKeyPair {
  privatePem: string;
  publicPem: string;
  fingerprint: string;
}

export function generateSigningKeyPair(): GeneratedKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicPemOf(publicKey),
    fingerprint: fingerprintOf(publicKey),
  };
}

/**
 * A warning when a private key file is readable (or writable) by group or others, or null.
 * POSIX mode bits say nothing on Windows, where ACLs decide, so no warning is given there.
 */
export function keyFilePermissionWarning(path: string, platform = process.platform): string | null {
  if (platform === 'win32') return null;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  const octal = mode.toString(8).padStart(4, '0');
  return `signing key ${path} is accessible to group or others (mode ${octal}); run chmod 600 ${path}`;
}
