// End-to-end import tests: detection, forcing, accounting balance and stable ids.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../src/pipeline/import.js';
import type { Importer } from '../../src/importers/types.js';
import { echoImporter } from '../helpers/echo-importer.js';

function registryOf(...list: Importer[]): ReadonlyMap<string, Importer> {
  return new Map(list.map((importer) => [importer.meta.id, importer]));
}

function fixtureDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dora-import-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('importPaths', () => {
  const picky: Importer = {
    ...echoImporter('json', 'picky'),
    detect: (sample) =>
      sample.jsonRecords.some((r) => (r as { kind?: string }).kind === 'mine') ? 90 : 0,
  };

  it('detects, balances the accounting and lists what it does not recognize', async () => {
    const dir = fixtureDir({
      'a.json': '[{"kind":"mine"},{"kind":"mine"},{"kind":"mine", broken}]',
      'b.txt': 'hello\n',
    });
    const result = await importPaths([dir], { registry: registryOf(picky) });
    const [a, b] = result.accounting;
    expect(a).toMatchObject({ importer: 'picky', read: 3, normalized: 2, ignored: 0, rejected: 1 });
    expect(b).toMatchObject({ importer: null, read: 0, error: 'no importer recognized this file' });
    expect(result.unrecognized[0]).toEqual({
      file: `${dir}/b.txt`,
      tried: [{ importer: 'picky', score: 0 }],
    });
    expect(result.rejected[0]).toMatchObject({ locator: '/2' });
    expect(result.rejected[0].reason).toMatch(/invalid JSON in record starting at byte 33/);
  });

  it('forces an importer for a folder and derives ids from file hash and locator', async () => {
    const dir = fixtureDir({ 'x.log': 'one\ntwo\n' });
    const options = {
      registry: registryOf(echoImporter('lines', 'lines-echo')),
      forced: [{ path: dir, importer: 'lines-echo' }],
    };
    const first = await importPaths([dir], options);
    const second = await importPaths([dir], options);
    expect(first.events.map((e) => e.source.locator).sort()).toEqual(['line 1', 'line 2']);
    expect(first.events.map((e) => e.id)).toEqual(second.events.map((e) => e.id));
    expect(new Set(first.events.map((e) => e.id)).size).toBe(2);
    expect(first.events[0].source.sha256).toBe(first.accounting[0].sha256);
    expect(first.accounting[0].detection).toBe('forced');
  });
});

describe('importerSettings', () => {
  it('gives a product form the product block, overridden by its own block', async () => {
    const { importerSettings } = await import('../../src/pipeline/import.js');
    const blocks = {
      jira: { dateFormat: 'd/MMM/yy h:mm a', approvedValues: ['Approved'] },
      'jira-csv': { dateFormat: 'dd.MM.yyyy HH:mm' },
    };
    expect(importerSettings('jira-csv', blocks)).toEqual({
      dateFormat: 'dd.MM.yyyy HH:mm',
      approvedValues: ['Approved'],
    });
    expect(importerSettings('jira', blocks)).toEqual(blocks.jira);
    expect(importerSettings('okta', blocks)).toEqual({});
  });
});
