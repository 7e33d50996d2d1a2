// Conformance over the shared ServiceNow samples, and no claim on any other vendor's samples.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvMapped } from '../../../src/importers/generic/csv-mapped/index.js';
import {
  servicenowCsv,
  servicenowJson,
  servicenowXml,
} from '../../../src/importers/ticketing/servicenow/index.js';
import { importPaths } from '../../../src/pipeline/import.js';
import { buildSample, HEAD_BYTES } from '../../../src/read/detect-sample.js';
import { repoRoot } from '../../helpers/paths.js';

const samples = path.resolve(repoRoot, '../shared/samples');
const servicenowSamples = path.join(samples, 'servicenow');
const ours = [servicenowJson, servicenowCsv, servicenowXml, csvMapped];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe.skipIf(!existsSync(servicenowSamples))('servicenow: shared samples', () => {
  it('detects every file, balances the accounting and rejects only rows without any time', async () => {
    const result = await importPaths([servicenowSamples]);
    const byName = Object.fromEntries(result.accounting.map((a) => [path.basename(a.file), a]));
    expect(result.unrecognized).toEqual([]);

    for (const file of result.accounting) {
      expect(file.importer).toBe('servicenow');
      expect(file.read).toBe(file.normalized + file.ignored + file.rejected);
    }
    // The Elastic test log is Table API rows (sysparm_display_value=all) with a table_name key:
    // an alm_hardware row (not ours) and change CHG0000024.
    expect(byName['elastic-test-event.first2.log']).toMatchObject({
      read: 2,
      normalized: 1,
      ignored: 1,
      rejected: 0,
      ignoredByKind: { alm_hardware: 1 },
    });
    expect(byName['vmware-fake-request-1.json']).toMatchObject({
      read: 1,
      ignored: 1,
      ignoredByKind: { sc_request: 1 },
    });

    // The connector's fakes are field-restricted API answers with placeholder values and no
    // date-time at all (no sys_created_on, no sys_updated_on): they cannot be placed in time.
    for (const name of [
      'vmware-fake-approval-requests.json',
      'vmware-fake-approve.json',
      'vmware-fake-reject.json',
      'vmware-fake-requested-items-1.json',
    ]) {
      expect(byName[name].normalized).toBe(0);
      expect(byName[name].rejected).toBe(byName[name].read);
    }
    expect(new Set(result.rejected.map((r) => r.reason.split(':')[0]))).toEqual(
      new Set([
        'no date-time field (opened_at, sys_created_on, sys_updated_on, approval_set, closed_at)',
      ]),
    );
  });

  it('reads change CHG0000024 of the Elastic log with stored UTC values', async () => {
    const result = await importPaths([
      path.join(servicenowSamples, 'elastic-test-event.first2.log'),
    ]);
    expect(result.events.map((e) => [e.at, e.stage, e.action, e.source.locator])).toEqual([
      ['2015-07-06T18:56:04.000Z', 'context', 'change_request.work_start', 'line 2'],
      ['2015-07-06T18:56:10.000Z', 'context', 'change_request.work_end', 'line 2'],
      ['2015-07-06T18:56:23.000Z', 'context', 'change_request.closed', 'line 2'],
      // opened_at holds `10/24/2023 7:07:31` even in `value` in this test data; read as UTC.
      ['2023-10-24T07:07:31.000Z', 'request', 'change_request.opened', 'line 2'],
    ]);
    // approval=approved with an empty approval_set: no approval event, but the summary says so.
    expect(result.events[3].summary).toBe(
      'CHG0000024 (change request) opened: Clear BGP sessions on a Cisco router; ' +
        'approval approved with no approval_set time',
    );
    expect(result.events[0]).toMatchObject({
      subject: { id: 'System Administrator', kind: 'human' },
      tickets: ['CHG0000024'],
      breakGlass: false,
    });
  });
});

describe.skipIf(!existsSync(samples))(
  'servicenow and csv-mapped claim no other vendor sample',
  () => {
    const others = existsSync(samples)
      ? readdirSync(samples).filter(
          (name) => name !== 'servicenow' && statSync(path.join(samples, name)).isDirectory(),
        )
      : [];

    it.each(others)('%s', (vendor) => {
      const files = filesUnder(path.join(samples, vendor));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const sample = buildSample(file, readFileSync(file).subarray(0, HEAD_BYTES));
        for (const importer of ours) {
          expect({
            file: path.basename(file),
            importer: importer.meta.id,
            score: importer.detect(sample),
          }).toEqual({
            file: path.basename(file),
            importer: importer.meta.id,
            score: 0,
          });
        }
      }
    });
  },
);
