// The bundle manifest (design.md section 5): every other member with size and sha256, and context.
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { canonicalBytes } from './canonical-json.js';

export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig';
export const SIGNER_PATH = 'signer.pub';
export const ATTESTATION_PATH = 'attestation.dsse.json';
/** Members the manifest cannot list: itself and what is computed from its bytes. */
export const UNLISTED_MEMBERS: ReadonlySet<string> = new Set([
  MANIFEST_PATH,
  SIGNATURE_PATH,
  ATTESTATION_PATH,
]);

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 as 64 lower-case hex digits');
const Count = z.number().int().nonnegative();

export const ManifestFile = z.object({ path: z.string().min(1), size: Count, sha256: Sha256 });
export type ManifestFile = z.infer<typeof ManifestFile>;

export const ManifestInput = z.object({
  name: z.string(),
  sha256: Sha256,
  size: Count,
  importer: z.string().nullable(),
  counts: z.object({ read: Count, normalized: Count, ignored: Count, rejected: Count }),
  coverage: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  /** Where the file sits inside the bundle (sources/...), or null with --no-sources. */
  bundlePath: z.string().nullable(),
});
export type ManifestInput = z.infer<typeof ManifestInput>;

export const Manifest = z.object({
  manifestVersion: z.literal(1),
  tool: z.object({ name: z.string(), version: z.string() }),
  period: z.object({ since: z.string(), until: z.string() }),
  asOf: z.string(),
  inputs: z.array(ManifestInput),
  /** sha256 of the canonical JSON of the effective policy (policy.json holds it readable). */
  policySha256: Sha256,
  /** sha256 of the canonical rule set (ids, severities, control mappings). */
  rulesSha256: Sha256,
  /** sha256 of the baseline bundle's manifest.json bytes with --baseline, else null. */
  previousManifestSha256: Sha256.nullable(),
  sourcesIncluded: z.boolean(),
  files: z.array(ManifestFile),
  /**
   * sha256 of this manifest's canonical bytes with `evidenceDigest` and `evidenceDigestExcludes`
   * removed and without the files they name: the members (report.pdf, the OSCAL results) that
   * print the digest and so cannot be hashed before it exists.
   */
  evidenceDigest: Sha256.optional(),
  evidenceDigestExcludes: z.array(z.string()).optional(),
});
export type Manifest = z.infer<typeof Manifest>;

export class ManifestError extends Error {}

function byPath(a: ManifestFile, b: ManifestFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The exact manifest bytes: canonical JSON, files sorted by path, no trailing newline. */
export function manifestBytes(manifest: Manifest): Buffer {
  return canonicalBytes({ ...manifest, files: [...manifest.files].sort(byPath) });
}

/** The evidence digest of a manifest (see Manifest.evidenceDigest). */
export function evidenceDigestOf(manifest: Manifest): string {
  const { evidenceDigest: _digest, evidenceDigestExcludes, ...rest } = manifest;
  const excluded = new Set(evidenceDigestExcludes ?? []);
  const core = { ...rest, files: rest.files.filter((f) => !excluded.has(f.path)) };
  return createHash('sha256').update(manifestBytes(core)).digest('hex');
}

/** Parses and checks manifest bytes; the error names the first field that is wrong. */
export function parseManifest(bytes: Buffer): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ManifestError(`manifest.json is not JSON: ${(error as Error).message}`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new ManifestError(`manifest.json ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
