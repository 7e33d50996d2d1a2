// Conformance over the shared public samples: right importer, balanced accounting, nothing
// valid rejected, and no claim on another vendor's files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { azureActivityImporter } from '../../../src/importers/cloud/azure-activity/index.js';
import { gcpAuditImporter } from '../../../src/importers/cloud/gcp-audit/index.js';
import { entraIdCsvImporter, entraIdImporter } from '../../../src/importers/idp/entra-id/index.js';
import { importPaths } from '../../../src/pipeline/import.js';
import { buildSample, HEAD_BYTES } from '../../../src/read/detect-sample.js';
import { sharedDir } from './helpers.js';

const samplesDir = path.join(sharedDir, 'samples');
const OWN: Record<string, string[]> = {
  'entra-id': ['entra-id', 'entra-id-csv'],
  'azure-activity': ['azure-activity'],
  'gcp-audit': ['gcp-audit'],
};
const MINE = [entraIdImporter, entraIdCsvImporter, azureActivityImporter, gcpAuditImporter];

function sampleFiles(folder: string): string[] {
  const dir = path.join(samplesDir, folder);
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .map((name) => path.join(dir, name));
}

describe.skipIf(!existsSync(samplesDir))('cloud/IdP samples conformance', () => {
  for (const folder of Object.keys(OWN)) {
    test(`${folder}: every file detected by its importer, accounting balanced, nothing rejected`, async () => {
      const files = sampleFiles(folder);
      const result = await importPaths(files);
      expect(result.unrecognized).toEqual([]);
      expect(result.accounting).toHaveLength(files.length);
      for (const file of result.accounting) {
        expect(OWN[folder], file.file).toContain(file.importer);
        expect(file.read, file.file).toBeGreaterThan(0);
        expect(file.read, file.file).toBe(file.normalized + file.ignored + file.rejected);
        expect(file.rejected, `${file.file}: ${JSON.stringify(result.rejected)}`).toBe(0);
      }
    });
  }

  test("none of these importers claims another vendor's sample", () => {
    const others = readdirSync(samplesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    for (const folder of others) {
      for (const file of sampleFiles(folder)) {
        let bytes = readFileSync(file);
        if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
        const sample = buildSample(file, bytes.subarray(0, HEAD_BYTES));
        for (const importer of MINE) {
          const own = OWN[folder]?.includes(importer.meta.id) ?? false;
          const score = importer.detect(sample);
          if (own) continue;
          expect(score, `${importer.meta.id} on ${folder}/${path.basename(file)}`).toBe(0);
        }
      }
    }
  });
});
