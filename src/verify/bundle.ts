// Offline bundle verification: signature, attestation, every listed file, nothing unlisted.
import type { KeyObject } from 'node:crypto';
import { canonicalBytes } from '../export/canonical-json.js';
import { verifyEnvelope } from '../export/dsse.js';
import {
  ATTESTATION_PATH,
  MANIFEST_PATH,
  ManifestError,
  SIGNATURE_PATH,
  SIGNER_PATH,
  UNLISTED_MEMBERS,
  evidenceDigestOf,
  parseManifest,
  type Manifest,
} from '../export/manifest.js';
import { KeyError, fingerprintOf, parsePublicKey, verifyBytes } from '../export/signing.js';
import { sha256Hex } from '../util/hash.js';
import { MemberReadError, SafeZip, type StructuralKind, type ZipMember } from './zip-reader.js';

export type ProblemKind =
  | StructuralKind
  | 'changed'
  | 'missing'
  | 'extra'
  | 'corrupt'
  | 'bad-signature'
  | 'wrong-key'
  | 'unsigned'
  | 'signer-key-invalid'
  | 'attestation-invalid'
  | 'manifest-missing'
  | 'manifest-invalid';

export interface VerifyProblem {
  kind: ProblemKind;
  path?: string;
  message: string;
}

export interface SignatureReport {
  status: 'valid' | 'invalid' | 'absent';
  /** Which key the signature was checked against. */
  checkedWith: 'given-key' | 'bundled-signer' | null;
  /** True only when checked against a key the verifier supplied (--key). */
  signerProven: boolean;
  /** Fingerprint (sha256 of SPKI DER) of the key the signature verifies under, if any. */
  fingerprint: string | null;
}

export interface VerifyReport {
  target: string;
  kind: 'bundle' | 'pdf';
  valid: boolean;
  manifestSha256: string | null;
  signature: SignatureReport;
  files: { listed: number; intact: number };
  problems: VerifyProblem[];
  notes: string[];
}

/** A member larger than this cannot be manifest.json, manifest.sig, signer.pub or the DSSE. */
const SMALL_MEMBER_LIMIT = 256 << 20;

async function readSmall(zip: SafeZip, member: ZipMember | undefined): Promise<Buffer | null> {
  if (!member || member.unreadable) return null;
  return zip.read(member, SMALL_MEMBER_LIMIT);
}

function problem(kind: ProblemKind, path: string, message: string): VerifyProblem {
  return { kind, path, message };
}

interface SignatureInputs {
  manifestBytes: Buffer;
  signature: Buffer | null;
  signerPem: Buffer | null;
  givenKey: KeyObject | null;
}

function checkSignature(
  inputs: SignatureInputs,
  problems: VerifyProblem[],
  notes: string[],
): { report: SignatureReport; trustedKey: KeyObject | null } {
  const { manifestBytes, signature, signerPem, givenKey } = inputs;
  const absent: SignatureReport = {
    status: 'absent',
    checkedWith: null,
    signerProven: false,
    fingerprint: null,
  };

  let bundledKey: KeyObject | null = null;
  if (signerPem) {
    try {
      bundledKey = parsePublicKey(signerPem, SIGNER_PATH);
    } catch (error) {
      problems.push(problem('signer-key-invalid', SIGNER_PATH, (error as Error).message));
    }
  }

  if (!signature) {
    if (givenKey) {
      problems.push(problem('unsigned', SIGNATURE_PATH, 'bundle is unsigned but --key was given'));
    } else if (signerPem) {
      problems.push(
        problem('missing', SIGNATURE_PATH, 'signer.pub present but manifest.sig missing'),
      );
    } else {
      notes.push(
        'bundle is unsigned: the hashes show it is internally consistent, not who made it',
      );
    }
    return { report: absent, trustedKey: null };
  }

  const invalid: SignatureReport = {
    status: 'invalid',
    checkedWith: givenKey ? 'given-key' : 'bundled-signer',
    signerProven: false,
    fingerprint: null,
  };
  if (signature.length !== 64) {
    problems.push({
      kind: 'bad-signature',
      path: SIGNATURE_PATH,
      message: `manifest.sig is ${signature.length} bytes; a raw Ed25519 signature has 64`,
    });
    return { report: invalid, trustedKey: null };
  }

  if (givenKey) {
    const givenPrint = fingerprintOf(givenKey);
    if (verifyBytes(givenKey, manifestBytes, signature)) {
      if (bundledKey && fingerprintOf(bundledKey) !== givenPrint) {
        problems.push({
          kind: 'signer-key-invalid',
          path: SIGNER_PATH,
          message: 'signer.pub is not the key that signed the manifest',
        });
      }
      const report: SignatureReport = {
        status: 'valid',
        checkedWith: 'given-key',
        signerProven: true,
        fingerprint: givenPrint,
      };
      return { report, trustedKey: givenKey };
    }
    if (bundledKey && verifyBytes(bundledKey, manifestBytes, signature)) {
      problems.push({
        kind: 'wrong-key',
        path: SIGNATURE_PATH,
        message: `signed by key ${fingerprintOf(bundledKey)}, not by the --key given (${givenPrint})`,
      });
    } else {
      problems.push({
        kind: 'bad-signature',
        path: SIGNATURE_PATH,
        message: 'signature does not match manifest.json under the --key given',
      });
    }
    return { report: invalid, trustedKey: null };
  }

  if (!signerPem) {
    problems.push(problem('missing', SIGNER_PATH, 'manifest.sig present but signer.pub missing'));
    return { report: invalid, trustedKey: null };
  }
  if (!bundledKey) return { report: invalid, trustedKey: null };
  if (!verifyBytes(bundledKey, manifestBytes, signature)) {
    problems.push({
      kind: 'bad-signature',
      path: SIGNATURE_PATH,
      message: 'signature does not match manifest.json under the bundled signer.pub',
    });
    return { report: invalid, trustedKey: null };
  }
  const print = fingerprintOf(bundledKey);
  notes.push(
    `signature checked against the signer.pub inside the bundle (fingerprint ${print}): this ` +
      'proves the bundle is unchanged since that key signed it, not who holds the key; pass ' +
      "--key with the signer's public key to prove the signer",
  );
  const report: SignatureReport = {
    status: 'valid',
    checkedWith: 'bundled-signer',
    signerProven: false,
    fingerprint: print,
  };
  return { report, trustedKey: bundledKey };
}

function checkAttestation(
  envelope: Buffer,
  key: KeyObject,
  manifest: Manifest,
  manifestSha256: string,
  problems: VerifyProblem[],
): void {
  const result = verifyEnvelope(envelope, key);
  if (!result.ok) {
    problems.push(problem('attestation-invalid', ATTESTATION_PATH, result.reason));
    return;
  }
  // The subjects must be exactly the manifest's files plus manifest.json itself.
  const expected = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  expected.set(MANIFEST_PATH, manifestSha256);
  const actual = new Map(result.statement.subject.map((s) => [s.name, s.digest?.sha256]));
  const differing = [...new Set([...expected.keys(), ...actual.keys()])]
    .filter((name) => expected.get(name) !== actual.get(name))
    .sort();
  if (differing.length > 0) {
    problems.push({
      kind: 'attestation-invalid',
      path: ATTESTATION_PATH,
      message: `attestation subjects differ from the manifest for ${differing.slice(0, 5).join(', ')}`,
    });
  }
}

async function checkFiles(
  zip: SafeZip,
  manifest: Manifest,
  problems: VerifyProblem[],
): Promise<number> {
  const members = zip.byName();
  let intact = 0;
  const listed = new Set<string>();

  for (const file of manifest.files) {
    listed.add(file.path);
    const member = members.get(file.path);
    if (!member) {
      problems.push(problem('missing', file.path, 'listed in the manifest, not in the ZIP'));
      continue;
    }
    if (member.unreadable) continue; // already reported as a structural problem
    if (member.size !== file.size) {
      problems.push({
        kind: 'changed',
        path: file.path,
        message: `size ${member.size} bytes, manifest says ${file.size}`,
      });
      continue;
    }
    try {
      const actual = await zip.digest(member);
      if (actual.sha256 !== file.sha256) {
        problems.push({
          kind: 'changed',
          path: file.path,
          message: `sha256 ${actual.sha256}, manifest says ${file.sha256}`,
        });
        continue;
      }
      intact += 1;
    } catch (error) {
      const kind = error instanceof MemberReadError ? error.kind : 'corrupt';
      problems.push({ kind, path: file.path, message: (error as Error).message });
    }
  }

  for (const member of zip.members) {
    if (listed.has(member.name) || UNLISTED_MEMBERS.has(member.name)) continue;
    problems.push(problem('extra', member.name, 'in the ZIP but not in the manifest'));
  }
  return intact;
}

/**
 * Verifies a bundle. Throws UnreadableZipError when the file is no readable ZIP (exit 2);
 * everything else becomes a named problem in the report (exit 1 when there is any).
 */
export async function verifyBundle(
  path: string,
  givenKey: KeyObject | null,
): Promise<VerifyReport> {
  const zip = await SafeZip.open(path);
  const problems: VerifyProblem[] = zip.problems.map((p) => ({ ...p }));
  const notes: string[] = [];
  const report = (fields: Partial<VerifyReport>): VerifyReport => ({
    target: path,
    kind: 'bundle',
    manifestSha256: null,
    signature: { status: 'absent', checkedWith: null, signerProven: false, fingerprint: null },
    files: { listed: 0, intact: 0 },
    ...fields,
    problems,
    notes,
    valid: problems.length === 0,
  });

  try {
    const members = zip.byName();
    const manifestMember = members.get(MANIFEST_PATH);
    if (!manifestMember) {
      problems.push(problem('manifest-missing', MANIFEST_PATH, 'no manifest.json'));
      return report({});
    }
    let manifestBytes: Buffer;
    let manifest: Manifest;
    try {
      manifestBytes = (await readSmall(zip, manifestMember)) ?? Buffer.alloc(0);
      manifest = parseManifest(manifestBytes);
    } catch (error) {
      const message = error instanceof ManifestError ? error.message : (error as Error).message;
      problems.push({ kind: 'manifest-invalid', path: MANIFEST_PATH, message });
      return report({});
    }
    const manifestSha256 = sha256Hex(manifestBytes);
    if (
      manifest.evidenceDigest !== undefined &&
      evidenceDigestOf(manifest) !== manifest.evidenceDigest
    ) {
      problems.push({
        kind: 'manifest-invalid',
        path: MANIFEST_PATH,
        message: `evidenceDigest ${manifest.evidenceDigest} does not match the manifest it summarizes (${evidenceDigestOf(manifest)})`,
      });
    }
    if (!canonicalBytes(JSON.parse(manifestBytes.toString('utf8'))).equals(manifestBytes)) {
      notes.push('manifest.json is not in canonical form (the signature still covers its bytes)');
    }

    const readOptional = async (name: string): Promise<Buffer | null> => {
      try {
        return await readSmall(zip, members.get(name));
      } catch (error) {
        problems.push(problem('corrupt', name, (error as Error).message));
        return null;
      }
    };
    const signature = await readOptional(SIGNATURE_PATH);
    const signerPem = await readOptional(SIGNER_PATH);
    const { report: signatureReport, trustedKey } = checkSignature(
      { manifestBytes, signature, signerPem, givenKey },
      problems,
      notes,
    );

    const envelope = await readOptional(ATTESTATION_PATH);
    if (signature && !envelope && !members.has(ATTESTATION_PATH)) {
      problems.push(problem('missing', ATTESTATION_PATH, 'signed bundle without attestation'));
    } else if (envelope && trustedKey) {
      checkAttestation(envelope, trustedKey, manifest, manifestSha256, problems);
    } else if (envelope) {
      notes.push('attestation.dsse.json not checked: no key verified the manifest signature');
    }

    const intact = await checkFiles(zip, manifest, problems);
    return report({
      manifestSha256,
      signature: signatureReport,
      files: { listed: manifest.files.length, intact },
    });
  } finally {
    zip.close();
  }
}

export { KeyError };
