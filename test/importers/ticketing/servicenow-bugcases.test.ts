// Bug cases bug-01 (display values across a US DST change) and bug-04 (BOM + CRLF list CSV).
import { createReadStream, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../../src/pipeline/import.js';
import { readCsvRecords } from '../../../src/read/csv-stream.js';
import { csvGet, type RawRecord } from '../../../src/read/record.js';
import { bugcase } from '../../helpers/paths.js';

const bug01 = bugcase('bug-01');
const bug04 = bugcase('bug-04');

// Instants from bug-01/expect.md.
const EXPECTED_UTC = {
  sys_created_on: '2024-03-09T17:20:00.000Z',
  approval_set: '2024-03-10T06:45:00.000Z',
  work_start: '2024-03-10T07:15:00.000Z',
  work_end: '2024-03-10T08:00:00.000Z',
};

describe.skipIf(!existsSync(bug01))(
  'bug-01: ServiceNow display values across the US DST start',
  () => {
    const expected = [
      ['2024-03-09T17:20:00.000Z', 'request', 'change_request.opened'],
      ['2024-03-10T06:45:00.000Z', 'approval', 'change_request.approval.approved'],
      ['2024-03-10T07:15:00.000Z', 'context', 'change_request.work_start'],
      ['2024-03-10T08:00:00.000Z', 'context', 'change_request.work_end'],
    ];
    const project = (events: { at: string; stage: string; action: string }[]) =>
      events.map((e) => [e.at, e.stage, e.action]);

    it('uses value, never display_value, when both are there', async () => {
      const result = await importPaths([`${bug01}/change_request_display_all.json`]);
      expect(result.accounting[0]).toMatchObject({
        importer: 'servicenow',
        read: 1,
        normalized: 1,
        rejected: 0,
      });
      expect(project(result.events)).toEqual(expected);
      expect(result.events.every((e) => e.tickets[0] === 'CHG0051207')).toBe(true);
    });

    it('reads the display-only file in the declared zone and 12-hour format: 30 minutes to work start', async () => {
      const result = await importPaths([
        `${bug01}/export-context.json`,
        `${bug01}/change_request_display_only.json`,
      ]);
      expect(result.accounting[0]).toMatchObject({ read: 1, normalized: 1, rejected: 0 });
      expect(project(result.events)).toEqual(expected);

      const at = (action: string) => Date.parse(result.events.find((e) => e.action === action)!.at);
      expect(at('change_request.work_start') - at('change_request.approval.approved')).toBe(
        30 * 60_000,
      );
      expect(result.events[0].at).toBe(EXPECTED_UTC.sys_created_on); // 12:20:00 PM is 12:20, not 00:20
    });

    it('flags the display-only file as timezone unknown when no zone is declared, never appending Z', async () => {
      const result = await importPaths([`${bug01}/change_request_display_only.json`]);
      expect(result.accounting[0]).toMatchObject({ read: 1, normalized: 0, rejected: 1 });
      expect(result.rejected[0].reason).toMatch(
        /^timezone unknown: sys_created_on "2024-03-09 12:20:00 PM"/,
      );
      expect(result.events).toEqual([]);
    });

    it('gives the same instants from explicit importer settings as from the export context', async () => {
      const result = await importPaths([`${bug01}/change_request_display_only.json`], {
        importerOptions: {
          servicenow: {
            displayTimezone: 'America/New_York',
            displayDateFormat: 'yyyy-MM-dd hh:mm:ss a',
          },
        },
      });
      expect(project(result.events).map(([at]) => at)).toEqual(Object.values(EXPECTED_UTC));
    });
  },
);

describe.skipIf(!existsSync(bug04))('bug-04: UTF-8 BOM and CRLF in a ServiceNow list CSV', () => {
  const file = `${bug04}/change_request_excel_utf8.csv`;

  it('reads the header without the BOM and cells without a trailing CR', async () => {
    const records: RawRecord[] = [];
    for await (const item of readCsvRecords(createReadStream(file), ',')) records.push(item.record);
    const rows = records.map((r) => (r.data.kind === 'csv' ? r.data.row : null));
    expect(rows[0]?.headers[0]).toBe('number');
    expect(rows.map((row) => csvGet(row!, 'number'))).toEqual(['CHG0040017', 'CHG0040018']);
    expect(csvGet(rows[1]!, 'requested_for')).toBe('Tomás Ibarra');
    expect(rows.flatMap((row) => row!.cells).some((cell) => cell.endsWith('\r'))).toBe(false);
  });

  it('imports both rows with the zone of the export context (UTC)', async () => {
    const result = await importPaths([`${bug04}/export-context.json`, file]);
    expect(result.accounting[0]).toMatchObject({
      importer: 'servicenow-csv',
      read: 2,
      normalized: 2,
      rejected: 0,
    });
    expect(result.events.map((e) => [e.at, e.stage, e.tickets, e.subject?.id])).toEqual([
      ['2024-06-03T14:22:10.000Z', 'request', ['CHG0040017'], 'Lena Brandt'],
      ['2024-06-04T09:05:47.000Z', 'request', ['CHG0040018'], 'Tomás Ibarra'],
    ]);
  });
});
