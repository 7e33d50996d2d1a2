// Conformance over the shared public samples: detection, honest accounting, no foreign claims.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCloudTrail } from '../../../../src/importers/cloud/aws-cloudtrail/index.js';
import { getImporter } from '../../../../src/importers/index.js';
import { detectionSample, fixturesDir, loadFile, runFiles, sharedDir, walk } from './support.js';

const samplesRoot = path.join(sharedDir, 'samples');
const ownDir = path.join(samplesRoot, 'aws-cloudtrail');

describe('aws-cloudtrail registry entry', () => {
  it('is registered under its id with its metadata', () => {
    expect(getImporter('aws-cloudtrail')).toBe(awsCloudTrail);
    expect(awsCloudTrail.meta.limitations.join(' ')).toContain('S3 object metadata');
  });
});

describe.skipIf(!existsSync(ownDir))(
  'aws-cloudtrail conformance over shared/samples/aws-cloudtrail',
  () => {
    // vitest runs a skipped describe's body to collect it: list only when the samples exist.
    const names = existsSync(ownDir) ? readdirSync(ownDir).sort() : [];
    const { files } = runFiles(names.map((n) => loadFile(path.join(ownDir, n))));

    it.each(names)('detects %s with a score above 50', (name) => {
      expect(awsCloudTrail.detect(detectionSample(path.join(ownDir, name)))).toBeGreaterThan(50);
    });

    it('conserves the accounting and rejects nothing valid', () => {
      for (const { accounting } of files) {
        expect(accounting.read).toBe(
          accounting.normalized + accounting.ignored + accounting.rejected,
        );
        expect(accounting.rejected, accounting.file).toBe(0);
      }
      const counts = Object.fromEntries(
        files.map(({ accounting: a }) => [
          path.basename(a.file),
          [a.read, a.normalized, a.ignored],
        ]),
      );
      expect(counts).toEqual({
        '111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz': [2, 2, 0],
        'awsdocs_cloudtrail_console-signin-records.json': [1, 1, 0],
        'awsdocs_cloudtrail_digest-file-example.json': [1, 0, 1],
        'awsdocs_iam_sts-assumerole-sourceidentity-tags.json': [1, 1, 0],
        'ec2_proxy_s3_exfiltration_2020-09-14011940.json': [103, 103, 0],
        'stratus_aws.execution.ssm-start-session.json': [29, 29, 0],
        'stratus_aws.initial-access.console-login-without-mfa.json': [1, 1, 0],
        'stratus_aws.persistence.iam-create-admin-user.json': [3, 3, 0],
        'stratus_aws.persistence.iam-create-backdoor-role.json': [2, 2, 0],
        'stratus_aws.persistence.iam-create-user-login-profile.json': [3, 3, 0],
        'stratus_aws.persistence.sts-federation-token.json': [2, 2, 0],
      });
    });

    it('maps the sample lifecycle records to their stages', () => {
      const stages = (name: string) =>
        files
          .find((f) => f.accounting.file.endsWith(name))!
          .events.map((e) => `${e.action}:${e.stage}:${e.outcome}`);
      expect(stages('iam-create-user-login-profile.json')).toEqual([
        'GetCallerIdentity:activity:success',
        'DeleteLoginProfile:activity:failure',
        'CreateLoginProfile:issuance:success',
      ]);
      expect(stages('iam-create-admin-user.json')).toEqual([
        'AttachUserPolicy:issuance:success',
        'CreateAccessKey:issuance:success',
        'CreateUser:activity:success',
      ]);
      const ssm = stages('ssm-start-session.json');
      expect(ssm.filter((s) => s.startsWith('StartSession'))).toEqual(
        Array(3).fill('StartSession:session-start:success'),
      );
      expect(ssm.filter((s) => s.startsWith('TerminateSession'))).toEqual(
        Array(3).fill('TerminateSession:session-end:success'),
      );
      const ec2 = files.find((f) => f.accounting.file.includes('ec2_proxy'))!.events;
      expect(ec2.filter((e) => e.stage === 'issuance').map((e) => e.grantKey)).toEqual([
        'ASIA5FLZVX4OLY6BJN4L',
        'ASIA5FLZVX4OK6HMTKWY',
        'ASIA5FLZVX4OAET5K4P5',
        'ASIA5FLZVX4OO3RUSEX6',
        'ASIA5FLZVX4OPVKKVBMX',
      ]);
      // The stolen instance credentials are used by S3 calls tied to their issuance by the key.
      expect(
        ec2.filter((e) => e.grantKey === 'ASIA5FLZVX4OPVKKVBMX' && e.stage === 'activity').length,
      ).toBeGreaterThan(0);
    });

    it('never copies session tokens or hidden-value placeholders into events', () => {
      const text = JSON.stringify(files.flatMap((f) => f.events));
      expect(text).not.toContain('IQoJb3JpZ2lu');
      expect(text).not.toContain('someSessionToken');
      expect(text).not.toContain('HIDDEN_DUE_TO_SECURITY_REASONS');
    });
  },
);

describe.skipIf(!existsSync(samplesRoot))("aws-cloudtrail claims no other vendor's sample", () => {
  const foreign = (existsSync(samplesRoot) ? readdirSync(samplesRoot, { withFileTypes: true }) : [])
    .filter((d) => d.isDirectory() && d.name !== 'aws-cloudtrail')
    .flatMap((d) => walk(path.join(samplesRoot, d.name)));

  it.each(foreign.map((f) => [path.relative(samplesRoot, f), f]))('%s scores 0', (_name, file) => {
    expect(awsCloudTrail.detect(detectionSample(file))).toBe(0);
  });
});

describe('aws-cloudtrail detection of our own fixtures', () => {
  it.each(
    walk(fixturesDir)
      .filter((f) => /\.(json|gz|ndjson)$/.test(f))
      .map((f) => [path.relative(fixturesDir, f), f]),
  )('%s scores above 50', (_name, file) => {
    expect(awsCloudTrail.detect(detectionSample(file))).toBeGreaterThan(50);
  });

  it('claims broken CloudTrail text only from unmistakable markers, so the reader can report it', () => {
    const sample = (head: string) => ({
      path: 'x/doc-example.json',
      head,
      jsonRecords: [],
      csvHeaders: null,
      lines: [],
    });
    expect(
      awsCloudTrail.detect(sample('{ "eventVersion": "1.08" "eventSource": "sts.amazonaws.com" }')),
    ).toBe(70);
    expect(awsCloudTrail.detect(sample('{ "eventSource": "sts.amazonaws.com" }'))).toBe(0);
  });
});
