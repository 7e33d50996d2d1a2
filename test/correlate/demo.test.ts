// End to end: the demo exports through the real importers give exactly fixtures/demo/EXPECTED.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { loadConfig } from '../../src/config/load.js';
import { periodEnd, periodStart } from '../../src/config/period.js';
import { importPaths } from '../../src/pipeline/import.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demo = path.join(repoRoot, 'fixtures/demo');

/** Rows of the "Gaps" table in EXPECTED.md: rule, severity, certainty, subject, target, issued. */
function expectedGaps(): string[][] {
  const text = readFileSync(path.join(demo, 'EXPECTED.md'), 'utf8');
  const section = text.slice(text.indexOf('## Gaps'), text.indexOf('Why each one'));
  return section
    .split('\n')
    .filter(
      (line) => line.startsWith('| ') && !line.startsWith('| rule') && !line.startsWith('|---'),
    )
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

async function runDemo() {
  const config = await loadConfig(path.join(demo, 'dora-evidence.yaml'));
  const imported = await importPaths(
    config.sources.map((s) => path.join(demo, s.path)),
    {
      importerOptions: config.importers,
      forced: config.sources.map((s) => ({
        path: path.join(demo, s.path),
        importer: s.importer as string,
      })),
    },
  );
  return {
    imported,
    result: analyze({
      events: imported.events,
      accounting: imported.accounting,
      notes: imported.notes,
      config,
      asOf: '2026-03-31T23:59:59.000Z',
      period: {
        since: periodStart(config.period?.since as string, config.timezone),
        until: periodEnd(config.period?.until as string, config.timezone),
      },
    }),
  };
}

describe('demo scenario', () => {
  test('every record is accounted for and nothing is rejected', async () => {
    const { imported } = await runDemo();
    expect(imported.unrecognized).toEqual([]);
    expect(imported.rejected).toEqual([]);
    const totals = imported.accounting.reduce(
      (sum, a) => ({
        read: sum.read + a.read,
        normalized: sum.normalized + a.normalized,
        ignored: sum.ignored + a.ignored,
      }),
      { read: 0, normalized: 0, ignored: 0 },
    );
    expect(totals).toEqual({ read: 44, normalized: 43, ignored: 1 });
  });

  test('produces exactly the gaps listed in EXPECTED.md', async () => {
    const { result } = await runDemo();
    const issuedOf = new Map(result.grants.map((g) => [g.id, g.issuedAt]));
    const actual = result.gaps.map((g) => [
      g.rule,
      g.severity,
      g.certainty,
      g.subject ?? '-',
      g.target ?? '-',
      g.grantId ? (issuedOf.get(g.grantId) as string) : '-',
    ]);
    const order = (rows: string[][]) => rows.map((r) => r.join('|')).sort();
    expect(order(actual)).toEqual(order(expectedGaps()));
    expect(expectedGaps()).toHaveLength(11);
  });

  test('nine grants, every link explained, no unresolved names', async () => {
    const { result } = await runDemo();
    expect(result.grants.map((g) => [g.subject.id, g.target.id, g.endReason])).toEqual([
      ['alice', 'prod-admin', 'revoked'],
      ['dave', 'prod-readonly', 'revoked'],
      ['dave', 'prod-admin', 'open'],
      ['alice', 'prod-admin', 'revoked'],
      ['bob', 'prod-readonly', 'revoked'],
      ['dave', 'prod-readonly', 'revoked'],
      ['erin', 'prod-admin', 'revoked'],
      ['erin', 'breakglass-admin', 'revoked'],
      ['erin', 'breakglass-admin', 'revoked'],
    ]);
    for (const grant of result.grants) {
      expect(grant.links.map((l) => l.eventId)).toEqual(grant.eventIds);
      expect(grant.links.every((l) => l.reason.length > 0)).toBe(true);
    }
    expect(result.summary.unresolvedIdentities).toEqual([]);
    expect(result.summary.unresolvedTargets).toEqual([]);
    expect(result.summary.linksByReason).toEqual({
      'access-key': 11,
      anchor: 9,
      'subject-target-window': 28,
      'ticket-reference': 1,
    });
  });
});
