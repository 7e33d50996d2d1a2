// The README's importer reference must match the importers' metadata.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withImporterSection } from '../../src/importers/docs.js';
import { importers } from '../../src/importers/index.js';
import { repoRoot } from '../helpers/paths.js';

describe('README importer reference', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('is up to date (run npm run readme after changing importer metadata)', () => {
    expect(withImporterSection(readme)).toBe(readme);
  });

  it('names every importer with its export steps and limitations', () => {
    for (const { meta } of importers.values()) {
      expect(readme).toContain(`### \`${meta.id}\``);
      expect(readme).toContain(meta.howToExport);
      for (const limitation of meta.limitations) expect(readme).toContain(limitation);
    }
  });
});
