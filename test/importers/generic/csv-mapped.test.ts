// csv-mapped: an invented tool's export read through a YAML mapping, bad rows and bad configs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { csvMapped } from '../../../src/importers/generic/csv-mapped/index.js';
import { importPaths } from '../../../src/pipeline/import.js';
import { importRecords } from '../../../src/pipeline/run-importer.js';
import { buildSample } from '../../../src/read/detect-sample.js';
import { repoRoot } from '../../helpers/paths.js';

const dir = path.join(repoRoot, 'fixtures/csv-mapped');
const csvFile = path.join(dir, 'gatekeep-access-log.csv');
const config = parseYaml(readFileSync(path.join(dir, 'dora-evidence.yaml'), 'utf8')) as {
  importers: Record<string, Record<string, unknown>>;
};
const fileInfo = { path: 'x.csv', sha256: 'b'.repeat(64), size: 1 };

async function importGatekeep(options: Record<string, unknown> = config.importers['csv-mapped']) {
  return importPaths([csvFile], {
    forced: [{ path: csvFile, importer: 'csv-mapped' }],
    importerOptions: { 'csv-mapped': options },
  });
}

describe('csv-mapped: GateKeep access log', () => {
  it('maps every good row to its stage, ignores COMMENTED, rejects the bad rows by row number', async () => {
    const result = await importGatekeep();
    expect(result.accounting[0]).toMatchObject({
      importer: 'csv-mapped',
      detection: 'forced',
      read: 10,
      normalized: 7,
      ignored: 1,
      rejected: 2,
      ignoredByKind: { COMMENTED: 1 },
    });
    expect(result.rejected.map((r) => [r.locator, r.reason])).toEqual([
      ['row 8', 'column "Event Time": impossible date or time: "31.02.2026 11:00"'],
      [
        'row 9',
        'value "ESCALATED" of column "Event" is not in stages.values ' +
          '(SUBMITTED, APPROVED, DENIED, GRANTED, REVOKED, EXPIRED, COMMENTED)',
      ],
    ]);

    const events = result.events.map((e) => [
      e.at,
      e.stage,
      e.action,
      e.actor?.id,
      e.subject?.id,
      e.target?.id,
      e.grantKey,
      e.tickets,
      e.expiresAt,
      e.breakGlass,
    ]);
    expect(events).toEqual([
      [
        '2026-03-02T08:12:00.000Z',
        'request',
        'SUBMITTED',
        'nina.berg@example.com',
        'nina.berg@example.com',
        'prod-db-admin',
        'GK-REQ-1001',
        ['CHG0030110'],
        undefined,
        false,
      ],
      [
        '2026-03-02T08:40:00.000Z',
        'approval',
        'APPROVED',
        'omar.haddad@example.com',
        'nina.berg@example.com',
        'prod-db-admin',
        'GK-REQ-1001',
        ['CHG0030110'],
        undefined,
        false,
      ],
      [
        '2026-03-02T08:41:00.000Z',
        'issuance',
        'GRANTED',
        'gatekeep-bot',
        'nina.berg@example.com',
        'prod-db-admin',
        'GK-REQ-1001',
        ['CHG0030110'],
        '2026-03-02T12:41:00.000Z',
        false,
      ],
      [
        '2026-03-02T11:58:00.000Z',
        'revocation',
        'REVOKED',
        'gatekeep-bot',
        'nina.berg@example.com',
        'prod-db-admin',
        'GK-REQ-1001',
        ['CHG0030110'],
        undefined,
        false,
      ],
      // 29.03.2026 is the Berlin DST start: 01:50 CET and 03:10 CEST are 80 minutes apart.
      [
        '2026-03-29T00:50:00.000Z',
        'request',
        'SUBMITTED',
        'li.wei@example.com',
        'li.wei@example.com',
        'payments-root',
        'GK-REQ-1002',
        ['INC0040031', 'CHG0030111'],
        undefined,
        true,
      ],
      [
        '2026-03-29T01:10:00.000Z',
        'issuance',
        'GRANTED',
        'gatekeep-bot',
        'li.wei@example.com',
        'payments-root',
        'GK-REQ-1002',
        ['INC0040031', 'CHG0030111'],
        '2026-03-29T03:10:00.000Z',
        true,
      ],
      [
        '2026-03-29T03:10:00.000Z',
        'expiry',
        'EXPIRED',
        'gatekeep-bot',
        'li.wei@example.com',
        'payments-root',
        'GK-REQ-1002',
        ['INC0040031'],
        undefined,
        true,
      ],
    ]);
    const first = result.events[0];
    expect(first).toMatchObject({
      subject: { raw: 'nina.berg@example.com', kind: 'human' },
      target: { kind: 'role' },
      reason: 'Index rebuild on LEDGERDB01',
      summary:
        'GateKeep SUBMITTED by nina.berg@example.com for nina.berg@example.com on prod-db-admin',
      source: { locator: 'row 1' },
    });
    expect(result.events[1].actor).toEqual({
      id: 'omar.haddad@example.com',
      raw: 'Omar.Haddad@example.com',
      kind: 'unknown',
    });
  });

  it('rejects every row as timezone unknown when the mapping and the run give no zone', async () => {
    const mapping = { ...config.importers['csv-mapped'], time: { format: 'dd.MM.yyyy HH:mm' } };
    const result = await importGatekeep(mapping);
    expect(result.accounting[0]).toMatchObject({ normalized: 0, ignored: 1, rejected: 9 });
    expect(result.rejected[0].reason).toMatch(/^column "Event Time": timezone unknown/);
  });

  it('rejects rows when a mapped column is not in the header', () => {
    const run = csvMapped.createRun({ options: { columns: { at: 'When' }, stage: 'approval' } });
    const row = { headers: ['Time'], cells: ['2026-01-01T00:00:00Z'] };
    const { rejected } = importRecords(csvMapped, run, fileInfo, [
      { locator: 'row 1', data: { kind: 'csv', row } },
    ]);
    expect(rejected[0].reason).toBe('column "When" not in the header');
  });

  it('reads ISO times with offsets and epoch seconds, with a fixed stage and per-file mappings', () => {
    const options = {
      mappings: [
        {
          files: ['approvals-*.csv'],
          columns: { at: 'ts', actor: 'who' },
          stage: 'approval',
          time: { format: 'epoch-s' },
        },
        { columns: { at: 'When' }, stage: 'revocation' },
      ],
    };
    const run = csvMapped.createRun({ options });
    const approvals = importRecords(
      csvMapped,
      run,
      { ...fileInfo, path: 'in/approvals-2026.csv' },
      [
        {
          locator: 'row 1',
          data: { kind: 'csv', row: { headers: ['ts', 'who'], cells: ['1767225600', 'Bob'] } },
        },
      ],
    );
    expect(approvals.events.map((e) => [e.at, e.stage, e.actor?.id])).toEqual([
      ['2026-01-01T00:00:00.000Z', 'approval', 'Bob'],
    ]);
    const other = importRecords(csvMapped, run, { ...fileInfo, path: 'in/other.csv' }, [
      {
        locator: 'row 1',
        data: { kind: 'csv', row: { headers: ['When'], cells: ['2026-01-01T01:00:00+01:00'] } },
      },
    ]);
    expect(other.events.map((e) => [e.at, e.stage])).toEqual([
      ['2026-01-01T00:00:00.000Z', 'revocation'],
    ]);
  });

  it('refuses a bad mapping with the path of each bad key', () => {
    const attempt = (options: Record<string, unknown>) => () => csvMapped.createRun({ options });
    expect(attempt({})).toThrow(/importers\.csv-mapped: expected a mapping/);
    expect(attempt({ columns: {}, stage: 'approval' })).toThrow(
      /importers\.csv-mapped\.columns\.at: /,
    );
    expect(attempt({ columns: { at: 'x' }, stage: 'approved' })).toThrow(
      /importers\.csv-mapped\.stage: /,
    );
    expect(attempt({ columns: { at: 'x' } })).toThrow(
      /importers\.csv-mapped\.stages: expected exactly one of stage or stages/,
    );
    expect(
      attempt({ columns: { at: 'x' }, stage: 'approval', time: { format: 'dd.MM HH:mm' } }),
    ).toThrow(
      /importers\.csv-mapped\.time\.format: expected iso, epoch-s, epoch-ms or a date pattern/,
    );
    expect(
      attempt({ columns: { at: 'x' }, stage: 'approval', time: { timezone: 'Berlin' } }),
    ).toThrow(/importers\.csv-mapped\.time\.timezone: expected an IANA time zone/);
    expect(attempt({ columns: { at: 'x', whom: 'y' }, stage: 'approval' })).toThrow(
      /importers\.csv-mapped\.columns/,
    );
    expect(attempt({ mappings: [{ columns: { at: 'x' }, stages: { values: {} } }] })).toThrow(
      /importers\.csv-mapped\.mappings\.0\.stages\.column: expected stages\.column or columns\.action/,
    );
  });

  it('is never chosen by detection', () => {
    const sample = buildSample(csvFile, readFileSync(csvFile));
    expect(sample.csvHeaders).toContain('Event Time');
    expect(csvMapped.detect(sample)).toBe(0);
  });
});
