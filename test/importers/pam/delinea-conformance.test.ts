// Conformance over the public Delinea sample and no claim on any other vendor's sample.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importers } from '../../../src/importers/index.js';
import { delineaJson, delineaLines } from '../../../src/importers/pam/delinea/index.js';
import { detectionSample, readText, repoRoot, runImporter, sharedDir } from '../common/harness.js';

const samples = path.join(sharedDir, 'samples');
const dir = path.join(samples, 'delinea');
const file = 'elastic-thycotic_ss-test-thycotic-ss.json';

describe.skipIf(!existsSync(dir))('delinea sample', () => {
  const content = existsSync(dir) ? readText(path.join(dir, file)) : '';

  it('is the only sample file, and is detected as delinea-json', () => {
    expect(readdirSync(dir)).toEqual([file]);
    const sample = detectionSample(file, content);
    const scores = [...importers.values()]
      .map((i) => [i.meta.id, i.detect(sample)] as const)
      .filter(([, s]) => s > 0);
    expect(scores).toEqual([['delinea-json', 90]]);
  });

  it('with the server zone declared: fully accounted, nothing rejected, the exact VIEW event', () => {
    const { accounting, rejected, events } = runImporter(delineaJson, file, content, {
      timezone: 'UTC',
    });
    expect(rejected).toEqual([]);
    expect(accounting).toMatchObject({ read: 1, normalized: 1, ignored: 0, rejected: 0 });
    const { id: _id, source, ...event } = events[0];
    expect(source.locator).toBe('/events/0');
    expect(event).toEqual({
      at: '2022-11-10T13:13:23.000Z',
      stage: 'activity',
      actor: { id: 'U.Admin', raw: 'U.Admin', kind: 'unknown' },
      subject: { id: 'U.Admin', raw: 'U.Admin', kind: 'unknown' },
      target: {
        id: 'secret/12',
        raw: 'Admin User Personal Admin Account - example\\adminuser',
        kind: 'secret',
        name: 'Admin User Personal Admin Account - example\\adminuser',
      },
      tickets: [],
      grantKey: 'secret/12',
      action: 'SECRET - VIEW',
      outcome: 'success',
      summary:
        'SECRET - VIEW [10004] by U.Admin on Admin User Personal Admin Account - example\\adminuser in folder Admin User',
    });
  });

  it('without a declared zone the record is rejected as zone unknown', () => {
    const { accounting, rejected } = runImporter(delineaJson, file, content);
    expect(accounting).toMatchObject({ read: 1, normalized: 0, rejected: 1 });
    expect(rejected[0].reason).toMatch(/^timezone unknown/);
  });
});

describe.skipIf(!existsSync(samples))('delinea importers claim no other vendor sample', () => {
  const others = existsSync(samples)
    ? readdirSync(samples, { withFileTypes: true }).filter(
        (d) => d.isDirectory() && d.name !== 'delinea',
      )
    : [];
  for (const other of others) {
    it(`detect() is 0 on samples/${other.name}`, () => {
      for (const name of readdirSync(path.join(samples, other.name))) {
        const sample = detectionSample(name, readText(path.join(samples, other.name, name)));
        expect([name, delineaLines.detect(sample), delineaJson.detect(sample)]).toEqual([
          name,
          0,
          0,
        ]);
      }
    });
  }
});

describe('delinea fixtures are detected by their importer', () => {
  const cases = [
    ['fixtures/delinea/secret-server-syslog.log', 'delinea'],
    ['fixtures/delinea/secret-server-elastic.ndjson', 'delinea'],
    ['fixtures/delinea/secret-server-elastic-wrapper.json', 'delinea-json'],
  ] as const;
  for (const [name, id] of cases) {
    it(name, () => {
      const sample = detectionSample(name, readText(path.join(repoRoot, name)));
      const ranked = [...importers.values()]
        .map((i) => ({ id: i.meta.id, score: i.detect(sample) }))
        .filter((r) => r.score > 0)
        .sort((a, b) => b.score - a.score);
      expect(ranked[0]?.id).toBe(id);
    });
  }
});
