// Conformance over the public CyberArk samples and no claim on any other vendor's sample.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importers } from '../../../src/importers/index.js';
import { cyberarkCsv, cyberarkLines } from '../../../src/importers/pam/cyberark/index.js';
import { detectionSample, readText, repoRoot, runImporter, sharedDir } from '../common/harness.js';

const samples = path.join(sharedDir, 'samples');
const dir = path.join(samples, 'cyberark');

function bestImporter(file: string, content: string): string | undefined {
  const sample = detectionSample(file, content);
  let best: { id: string; score: number } | undefined;
  for (const importer of importers.values()) {
    const score = importer.detect(sample);
    if (score > 0 && (!best || score > best.score)) best = { id: importer.meta.id, score };
  }
  return best?.id;
}

describe.skipIf(!existsSync(dir))('cyberark samples', () => {
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  const expected: Record<string, { importer: string; read: number }> = {
    'elastic-pta-suspected_cred_theft_syslog.log': { importer: 'cyberark', read: 1 },
    'elastic-sample-302-psm-disconnect.first6.log': { importer: 'cyberark', read: 6 },
    'elastic-test-273-remove-owner.log': { importer: 'cyberark', read: 1 },
    'elastic-test-300-psm-connect.first6.log': { importer: 'cyberark', read: 6 },
    'elastic-test-32-add-owner.log': { importer: 'cyberark', read: 16 },
    'sentinel-CyberArk_Audit_Authentication_IngestedLogs.csv': {
      importer: 'cyberark-csv',
      read: 19,
    },
  };

  it('covers the sample files we know', () => {
    expect(files).toEqual(Object.keys(expected).sort());
  });

  for (const file of files) {
    it(`${file}: detected by the right importer, fully accounted, nothing rejected`, () => {
      const content = readText(path.join(dir, file));
      const id = bestImporter(file, content);
      expect(id).toBe(expected[file].importer);

      const importer = id === 'cyberark-csv' ? cyberarkCsv : cyberarkLines;
      // No zone is declared: every sample carries UTC (IsoTimestamp, RFC 5424, epoch, ISO Z).
      const { accounting, rejected } = runImporter(importer, file, content);
      expect(rejected).toEqual([]);
      expect(accounting.read).toBe(expected[file].read);
      expect(accounting.normalized + accounting.ignored + accounting.rejected).toBe(
        accounting.read,
      );
      expect(accounting.normalized).toBe(accounting.read);
    });
  }

  it('pairs PSM connect and disconnect of the samples by session id', () => {
    const connect = runImporter(
      cyberarkLines,
      'c',
      readText(path.join(dir, 'elastic-test-300-psm-connect.first6.log')),
    );
    const disconnect = runImporter(
      cyberarkLines,
      'd',
      readText(path.join(dir, 'elastic-sample-302-psm-disconnect.first6.log')),
    );
    const starts = connect.events.map((e) => e.sessionId).sort();
    const ends = disconnect.events.map((e) => e.sessionId).sort();
    expect(starts).toHaveLength(6);
    expect(new Set(starts).size).toBe(6);
    expect(ends).toEqual(starts);
  });
});

describe.skipIf(!existsSync(samples))('cyberark importers claim no other vendor sample', () => {
  const others = existsSync(samples)
    ? readdirSync(samples, { withFileTypes: true }).filter(
        (d) => d.isDirectory() && d.name !== 'cyberark',
      )
    : [];
  for (const other of others) {
    it(`detect() is 0 on samples/${other.name}`, () => {
      for (const file of readdirSync(path.join(samples, other.name))) {
        const sample = detectionSample(file, readText(path.join(samples, other.name, file)));
        expect([file, cyberarkLines.detect(sample), cyberarkCsv.detect(sample)]).toEqual([
          file,
          0,
          0,
        ]);
      }
    });
  }
});

describe('cyberark fixtures are detected by their importer', () => {
  const cases = [
    ['fixtures/cyberark/vault-elastic-lifecycle.log', 'cyberark'],
    ['fixtures/cyberark/vault-cef-syslog.log', 'cyberark'],
    ['fixtures/cyberark/sentinel-audit-events.csv', 'cyberark-csv'],
  ] as const;
  for (const [file, id] of cases) {
    it(file, () => {
      expect(bestImporter(file, readText(path.join(repoRoot, file)))).toBe(id);
    });
  }
});
