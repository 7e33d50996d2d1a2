// The importer through the real readers and import stage: gzip trees, digests, notes, sample dirs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../../../src/pipeline/import.js';
import { fixturesDir, sharedDir } from './support.js';

describe('aws-cloudtrail through importPaths', () => {
  it('checks the tampered S3 tree with hashes of the decompressed log files', async () => {
    const result = await importPaths([path.join(fixturesDir, 's3-tampered')]);
    const kinds = result.notes.map((n) => [n.kind, path.basename(n.file)]);
    expect(kinds.filter(([kind]) => kind !== 'info')).toEqual([
      [
        'integrity-verified',
        '204060801234_CloudTrail_eu-central-1_20260115T0905Z_FictTamperKeep01.json.gz',
      ],
      [
        'integrity-failed',
        '204060801234_CloudTrail_eu-central-1_20260115T0910Z_FictTamperEdit02.json.gz',
      ],
      [
        'integrity-failed',
        '204060801234_CloudTrail_eu-central-1_20260115T0915Z_FictTamperGone03.json.gz',
      ],
      [
        'integrity-verified',
        '204060801234_CloudTrail_eu-central-1_20260115T1105Z_FictTamperKeep05.json.gz',
      ],
      [
        'integrity-failed',
        '204060801234_CloudTrail-Digest_eu-central-1_bank-trail_eu-central-1_20260115T110012Z.json.gz',
      ],
      [
        'integrity-unverified',
        '204060801234_CloudTrail_eu-central-1_20260115T1005Z_FictTamperOrph04.json.gz',
      ],
      [
        'integrity-unverified',
        '204060801234_CloudTrail_us-east-1_20260115T0905Z_FictNoDigest0001.json.gz',
      ],
    ]);
    expect(
      result.accounting.every((a) => a.importer === 'aws-cloudtrail' && a.rejected === 0),
    ).toBe(true);
  });

  it('reads the NDJSON and event-history fixtures and de-duplicates across the whole run', async () => {
    const result = await importPaths([
      path.join(fixturesDir, 's3-intact'),
      path.join(fixturesDir, 'event-history.json'),
      path.join(fixturesDir, 'siem-export.ndjson'),
    ]);
    const history = result.accounting.find((a) => a.file.endsWith('event-history.json'));
    expect(history).toMatchObject({
      read: 4,
      normalized: 3,
      ignored: 1,
      ignoredByKind: { duplicate: 1 },
    });
    expect(result.accounting.reduce((n, a) => n + a.rejected, 0)).toBe(0);
  });

  const samples = path.resolve(sharedDir, 'samples/aws-cloudtrail');
  it.skipIf(!existsSync(samples))('detects every shared sample and rejects none', async () => {
    const result = await importPaths([samples]);
    expect(result.unrecognized).toEqual([]);
    for (const a of result.accounting) {
      expect(a.importer, a.file).toBe('aws-cloudtrail');
      expect(a.read).toBe(a.normalized + a.ignored + a.rejected);
      expect(a.rejected, a.file).toBe(0);
    }
  });
});
