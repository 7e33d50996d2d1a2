// Verifies a file against its detached signature (<file>.sig), e.g. the report PDF.
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { detachedSignaturePath } from '../export/detached.js';
import { fingerprintOf, verifyBytes } from '../export/signing.js';
import type { VerifyProblem, VerifyReport } from './bundle.js';

export class UnreadableFileError extends Error {}

export async function verifyDetached(file: string, key: KeyObject): Promise<VerifyReport> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new UnreadableFileError(`cannot read ${file}: ${(error as Error).message}`);
  }

  const sigPath = detachedSignaturePath(file);
  const problems: VerifyProblem[] = [];
  let signature: Buffer | null = null;
  try {
    signature = await readFile(sigPath);
  } catch {
    problems.push({ kind: 'unsigned', path: sigPath, message: `no detached signature ${sigPath}` });
  }

  let valid = false;
  if (signature && signature.length !== 64) {
    problems.push({
      kind: 'bad-signature',
      path: sigPath,
      message: `${sigPath} is ${signature.length} bytes; a raw Ed25519 signature has 64`,
    });
  } else if (signature) {
    valid = verifyBytes(key, content, signature);
    if (!valid) {
      problems.push({
        kind: 'bad-signature',
        path: sigPath,
        message:
          'signature does not match the file under the --key given ' +
          '(the file changed, or another key signed it)',
      });
    }
  }
  return {
    target: file,
    kind: 'pdf',
    valid: problems.length === 0,
    manifestSha256: null,
    signature: {
      status: signature ? (valid ? 'valid' : 'invalid') : 'absent',
      checkedWith: 'given-key',
      signerProven: valid,
      fingerprint: valid ? fingerprintOf(key) : null,
    },
    files: { listed: 1, intact: valid ? 1 : 0 },
    problems,
    notes: [],
  };
}
