// Digest checks: log file hashes, the previousDigestHashValue chain, trails without digests.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { s3KeyOf } from '../../../../src/importers/cloud/aws-cloudtrail/digest.js';
import { fixturesDir, loadFile, runFiles, walk } from './support.js';

const KEY_PREFIX =
  'AWSLogs/204060801234/CloudTrail/eu-central-1/2026/01/15/204060801234_CloudTrail_eu-central-1_';
const DIGEST_PREFIX =
  'AWSLogs/204060801234/CloudTrail-Digest/eu-central-1/2026/01/15/204060801234_CloudTrail-Digest_eu-central-1_bank-trail_eu-central-1_';

function runTree(tree: string) {
  const root = path.join(fixturesDir, tree);
  return runFiles(walk(root).map((f) => loadFile(f, path.relative(fixturesDir, f))));
}

describe('aws-cloudtrail integrity: an intact tree', () => {
  const { notes, files } = runTree('s3-intact');

  it('verifies every log file against its digest and raises nothing else', () => {
    const verified = notes
      .filter((n) => n.kind === 'integrity-verified')
      .map((n) => path.basename(n.file));
    expect(verified).toEqual([
      '204060801234_CloudTrail_eu-central-1_20260115T0905Z_Fict0000Intact01.json.gz',
      '204060801234_CloudTrail_eu-central-1_20260115T0910Z_Fict0000Intact02.json.gz',
      '204060801234_CloudTrail_eu-central-1_20260115T1010Z_Fict0000Intact03.json.gz',
      '204060801234_CloudTrail_us-east-1_20260115T1025Z_Fict0000IamUse01.json.gz',
    ]);
    expect(
      notes.filter((n) => n.kind === 'integrity-failed' || n.kind === 'integrity-unverified'),
    ).toEqual([]);
  });

  it('states once per chain that the newest digest signature cannot be checked offline', () => {
    const info = notes.filter((n) => n.kind === 'info');
    expect(info.map((n) => path.basename(n.file))).toEqual([
      '204060801234_CloudTrail-Digest_eu-central-1_bank-trail_eu-central-1_20260115T120012Z.json.gz',
      '204060801234_CloudTrail-Digest_us-east-1_bank-trail_eu-central-1_20260115T110015Z.json.gz',
    ]);
    expect(info[0].message).toContain('S3 object metadata');
  });

  it('counts digest records as ignored kind "digest"', () => {
    expect(files[0].accounting).toMatchObject({
      read: 1,
      ignored: 1,
      ignoredByKind: { digest: 1 },
    });
  });
});

describe('aws-cloudtrail integrity: one log file altered, one removed, one digest missing', () => {
  const { notes } = runTree('s3-tampered');
  const find = (kind: string, fragment: string) =>
    notes.filter(
      (n) => n.kind === kind && (n.file.includes(fragment) || n.message.includes(fragment)),
    );

  it('names exactly the altered file, the removed file, the missing digest and what it hid', () => {
    const problems = notes
      .filter((n) => n.kind !== 'integrity-verified' && n.kind !== 'info')
      .map((n) => [n.kind, n.file]);
    expect(problems).toEqual([
      ['integrity-failed', `s3-tampered/${KEY_PREFIX}20260115T0910Z_FictTamperEdit02.json.gz`],
      ['integrity-failed', `${KEY_PREFIX}20260115T0915Z_FictTamperGone03.json.gz`],
      ['integrity-failed', `${DIGEST_PREFIX}20260115T110012Z.json.gz`],
      ['integrity-unverified', `s3-tampered/${KEY_PREFIX}20260115T1005Z_FictTamperOrph04.json.gz`],
      [
        'integrity-unverified',
        `s3-tampered/AWSLogs/204060801234/CloudTrail/us-east-1/2026/01/15/204060801234_CloudTrail_us-east-1_20260115T0905Z_FictNoDigest0001.json.gz`,
      ],
    ]);
  });

  it('the altered file: its hash differs from the digest entry', () => {
    const [altered] = find('integrity-failed', 'FictTamperEdit02');
    expect(altered.message).toMatch(
      /has SHA-256 [0-9a-f]{64} but digest .*20260115T100012Z\.json\.gz lists [0-9a-f]{64}/,
    );
    expect(altered.message).toContain('changed after CloudTrail delivered it');
  });

  it('the removed file: listed in its digest, missing from the input', () => {
    const [removed] = find('integrity-failed', 'FictTamperGone03');
    expect(removed.message).toBe(
      `log file ${KEY_PREFIX}20260115T0915Z_FictTamperGone03.json.gz is listed in digest ` +
        `s3-tampered/${DIGEST_PREFIX}20260115T100012Z.json.gz but is missing from the input`,
    );
  });

  it('the missing digest breaks the chain and leaves its log file unverified', () => {
    const [missing] = find('integrity-failed', '20260115T110012Z');
    expect(missing.message).toContain(
      `${DIGEST_PREFIX}20260115T120012Z.json.gz names it as its predecessor`,
    );
    const [orphan] = find('integrity-unverified', 'FictTamperOrph04');
    expect(orphan.message).toContain(
      'is not listed in any digest of account 204060801234 region eu-central-1',
    );
  });

  it('a region without any digests is reported once, not per file', () => {
    const noDigest = find('integrity-unverified', 'us-east-1');
    expect(noDigest).toHaveLength(1);
    expect(noDigest[0].message).toContain(
      '1 CloudTrail log file(s) of account 204060801234 region us-east-1',
    );
  });

  it('the untouched files still verify', () => {
    const verified = notes
      .filter((n) => n.kind === 'integrity-verified')
      .map((n) => path.basename(n.file));
    expect(verified).toEqual([
      '204060801234_CloudTrail_eu-central-1_20260115T0905Z_FictTamperKeep01.json.gz',
      '204060801234_CloudTrail_eu-central-1_20260115T1105Z_FictTamperKeep05.json.gz',
    ]);
  });
});

describe('aws-cloudtrail integrity: chain and key details', () => {
  it("a digest whose bytes differ from the next digest's previousDigestHashValue breaks the chain", () => {
    const root = path.join(fixturesDir, 's3-intact');
    const loaded = walk(root).map((f) => loadFile(f, path.relative(fixturesDir, f)));
    const first = loaded[0];
    // Pretend the first digest was rewritten after the next one was signed.
    first.contentSha256 = '0'.repeat(64);
    const { notes } = runFiles(loaded);
    const broken = notes.filter((n) => n.kind === 'integrity-failed');
    expect(broken.map((n) => path.basename(n.file))).toEqual([
      '204060801234_CloudTrail-Digest_eu-central-1_bank-trail_eu-central-1_20260115T100012Z.json.gz',
    ]);
    expect(broken[0].message).toContain('the digest chain is broken');
  });

  it('derives S3 keys from AWSLogs/ in the path, else from the delivered file name', () => {
    expect(
      s3KeyOf(
        'exports/bucket/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/01/02/x.json.gz',
      ),
    ).toBe('AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/01/02/x.json.gz');
    expect(
      s3KeyOf(
        'downloads/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz',
      ),
    ).toBe(
      'AWSLogs/111111111111/CloudTrail/eu-central-1/2017/12/11/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz',
    );
    expect(s3KeyOf('exports/events.ndjson')).toBeUndefined();
  });

  it('exports outside S3 log files are marked unverified once per file', () => {
    const { notes } = runFiles([loadFile(path.join(fixturesDir, 'siem-export.ndjson'))]);
    expect(notes).toEqual([
      expect.objectContaining({
        kind: 'integrity-unverified',
        file: 'fixtures/aws-cloudtrail/siem-export.ndjson',
      }),
    ]);
  });
});

describe('a log file not named as CloudTrail delivers it', () => {
  it('is unverified, and the note spells out the name CloudTrail gives its log files', async () => {
    const { IntegrityLedger } =
      await import('../../../../src/importers/cloud/aws-cloudtrail/digest.js');
    const ledger = new IntegrityLedger();
    const file = 'exports/111122223333_CloudTrail_eu-central-1_20260301T1000Z_esc.json.gz';
    ledger.fileEnded(file, 'a'.repeat(64), true);
    expect(ledger.notes()).toEqual([
      {
        kind: 'integrity-unverified',
        file,
        message:
          `${file} is not a CloudTrail log file as delivered to S3 (its name does not follow ` +
          '<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 letters or digits>.json.gz), so ' +
          'no digest can cover it: its events cannot be checked against CloudTrail log file ' +
          'validation',
      },
    ]);
  });
});
