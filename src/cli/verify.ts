// `verify <bundle.zip | report.pdf> [--key pub.pem] [--json]`: 0 valid, 1 invalid, 2 unreadable.
import type { KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import { KeyError, loadPublicKey } from '../export/signing.js';
import { verifyBundle, type VerifyReport } from '../verify/bundle.js';
import { UnreadableFileError, verifyDetached } from '../verify/detached.js';
import { UnreadableZipError } from '../verify/zip-reader.js';

interface Out {
  write(text: string): unknown;
}

export interface VerifyOptions {
  target: string;
  key?: string;
  json?: boolean;
  stdout?: Out;
  stderr?: Out;
}

async function looksLikePdf(path: string): Promise<boolean> {
  if (path.toLowerCase().endsWith('.pdf')) return true;
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(5);
    await handle.read(head, 0, 5, 0);
    return head.toString('latin1') === '%PDF-';
  } finally {
    await handle.close();
  }
}

export function formatReport(report: VerifyReport): string {
  const lines: string[] = [];
  const count = report.problems.length;
  lines.push(
    report.valid
      ? `VALID ${report.target}`
      : `INVALID ${report.target}: ${count} problem${count === 1 ? '' : 's'}`,
  );

  const s = report.signature;
  const how =
    s.checkedWith === 'given-key' ? 'checked with --key' : 'checked with the bundled signer.pub';
  const signature =
    s.status === 'absent'
      ? 'absent (unsigned)'
      : `${s.status}, ${how}${s.fingerprint ? ` (fingerprint ${s.fingerprint})` : ''}` +
        (s.status === 'valid' && !s.signerProven ? ', signer unproven' : '');
  lines.push(`  signature: ${signature}`);
  if (report.kind === 'bundle') {
    lines.push(`  files: ${report.files.listed} listed, ${report.files.intact} intact`);
    if (report.manifestSha256) lines.push(`  manifest sha256: ${report.manifestSha256}`);
  }
  for (const p of report.problems) {
    lines.push(`  problem [${p.kind}] ${p.path ? `${p.path}: ` : ''}${p.message}`);
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}

export async function run(options: VerifyOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  try {
    const key: KeyObject | null = options.key ? loadPublicKey(options.key) : null;
    let report: VerifyReport;
    if (await looksLikePdf(options.target)) {
      if (!key) {
        stderr.write(`verify ${options.target}: a PDF carries no key; pass --key <public.pem>\n`);
        return 2;
      }
      report = await verifyDetached(options.target, key);
    } else {
      report = await verifyBundle(options.target, key);
    }
    stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.valid ? 0 : 1;
  } catch (error) {
    const known =
      error instanceof UnreadableZipError ||
      error instanceof UnreadableFileError ||
      error instanceof KeyError ||
      (error as NodeJS.ErrnoException).code !== undefined;
    if (!known) throw error;
    stderr.write(`verify: ${(error as Error).message}\n`);
    // A script reading --json still gets a verdict it can parse.
    if (options.json) {
      const unreadable = {
        target: options.target,
        valid: false,
        unreadable: true,
        error: (error as Error).message,
      };
      stdout.write(`${JSON.stringify(unreadable, null, 2)}\n`);
    }
    return 2;
  }
}
