// servicenow-csv (list exports) and servicenow-xml (unload): exact events, zone handling, links.
import { describe, expect, it } from 'vitest';
import { servicenowCsv, servicenowXml } from '../../../src/importers/ticketing/servicenow/index.js';
import { readUnloadXml } from '../../../src/importers/ticketing/servicenow/unload-xml.js';
import { importRecords } from '../../../src/pipeline/run-importer.js';
import { fileInfo, importFixture } from './servicenow-helpers.js';

const csvOptions = {
  importerOptions: {
    'servicenow-csv': {
      displayTimezone: 'Europe/Berlin',
      displayDateFormat: 'dd.MM.yyyy HH:mm:ss',
    },
  },
};

describe('servicenow-csv: list exports', () => {
  it('reads display names and Berlin display times (UTC+1) of the change list', async () => {
    const { result, events } = await importFixture(['change_request.csv'], csvOptions);
    expect(result.accounting[0]).toMatchObject({
      importer: 'servicenow-csv',
      read: 4,
      normalized: 4,
      rejected: 0,
    });
    const first = events.filter((e) => e.tickets[0] === 'CHG0030101');
    const common = {
      subject: 'Mara Lindqvist',
      target: 'LEDGERDB01',
      tickets: ['CHG0030101'],
      breakGlass: false,
    };
    expect(first).toEqual([
      {
        ...common,
        at: '2026-02-02T09:15:00.000Z',
        stage: 'request',
        action: 'change_request.opened',
        actor: 'Mara Lindqvist',
      },
      {
        ...common,
        at: '2026-02-02T13:40:00.000Z',
        stage: 'approval',
        action: 'change_request.approval.approved',
      },
      {
        ...common,
        at: '2026-02-03T08:00:00.000Z',
        stage: 'context',
        action: 'change_request.work_start',
      },
      {
        ...common,
        at: '2026-02-03T10:30:00.000Z',
        stage: 'context',
        action: 'change_request.work_end',
      },
      {
        ...common,
        at: '2026-02-03T11:00:00.000Z',
        stage: 'context',
        action: 'change_request.closed',
        actor: 'Mara Lindqvist',
      },
    ]);
    const stages = (ticket: string) =>
      events.filter((e) => e.tickets[0] === ticket).map((e) => e.stage);
    expect(stages('CHG0030102')).toEqual(['request', 'approval', 'context', 'context', 'review']);
    expect(stages('CHG0030103')).toEqual(['request', 'approval', 'context', 'context']);
    expect(stages('CHG0030104')).toEqual(['request', 'denial', 'context']);
  });

  it('reads an approvals list with column labels, links by number, and rejects the bad row alone', async () => {
    const { result, events } = await importFixture(
      ['change_request.csv', 'sysapproval_approver.csv'],
      csvOptions,
    );
    const file = result.accounting.find((a) => a.file.endsWith('sysapproval_approver.csv'));
    expect(file).toMatchObject({ read: 7, normalized: 5, ignored: 1, rejected: 1 });
    expect(result.rejected.map((r) => [r.locator, r.reason])).toEqual([
      [
        'row 7',
        'sys_updated_on "31.02.2026 10:00:00" (zone Europe/Berlin from importers.servicenow-csv.displayTimezone): ' +
          'expected the configured format dd.MM.yyyy HH:mm:ss; impossible date or time: "31.02.2026 10:00:00"',
      ],
    ]);
    const approvals = events.filter((e) => e.action.startsWith('sysapproval_approver'));
    expect(
      approvals.map((e) => [e.at, e.stage, e.actor, e.subject, e.tickets, e.breakGlass]),
    ).toEqual([
      [
        '2026-02-02T13:40:00.000Z',
        'approval',
        'Jonas Weber',
        'Mara Lindqvist',
        ['CHG0030101'],
        false,
      ],
      [
        '2026-02-04T15:10:00.000Z',
        'approval',
        'Elena Costa',
        undefined,
        ['RITM0010201'],
        undefined,
      ],
      ['2026-02-07T02:25:00.000Z', 'approval', 'Jonas Weber', 'Aiko Tanaka', ['CHG0030102'], true],
      ['2026-02-14T22:20:00.000Z', 'approval', 'Jonas Weber', 'Aiko Tanaka', ['CHG0030103'], true],
      [
        '2026-02-21T09:30:00.000Z',
        'denial',
        'Elena Costa',
        'Mara Lindqvist',
        ['CHG0030104'],
        false,
      ],
    ]);
  });

  it('rejects every row as timezone unknown without a zone, naming the config key', async () => {
    const { result } = await importFixture(['change_request.csv']);
    expect(result.accounting[0]).toMatchObject({ read: 4, normalized: 0, rejected: 4 });
    expect(result.rejected[0].reason).toBe(
      'timezone unknown: opened_at "02.02.2026 10:15:00" is a display value in the exporting ' +
        "user's zone; set importers.servicenow-csv.displayTimezone (and displayDateFormat)",
    );
  });

  it('takes the zone from the run timezone when the importer block has none', async () => {
    const options = {
      timezone: 'Europe/Berlin',
      importerOptions: { 'servicenow-csv': { displayDateFormat: 'dd.MM.yyyy HH:mm:ss' } },
    };
    const { events } = await importFixture(['change_request.csv'], options);
    expect(events[0]).toMatchObject({ at: '2026-02-02T09:15:00.000Z', stage: 'request' });
  });
});

describe('servicenow-xml: unload exports', () => {
  it('splits rows by element, locates them by XPath and reads stored values with display names', async () => {
    const { result, events } = await importFixture(['change_request.xml']);
    expect(result.accounting[0]).toMatchObject({
      importer: 'servicenow-xml',
      read: 4,
      normalized: 4,
      rejected: 0,
    });
    const opened = result.events.find(
      (e) => e.action === 'change_request.opened' && e.tickets[0] === 'CHG0030102',
    );
    expect(opened?.source.locator).toBe('/unload/change_request[2]');
    expect(opened).toMatchObject({
      at: '2026-02-07T02:10:00.000Z',
      subject: { id: 'Aiko Tanaka', raw: 'Aiko Tanaka', kind: 'human' },
      target: { id: 'PAYGW02', kind: 'ci', name: 'PAYGW02' },
      breakGlass: true,
    });
    expect(
      events.filter((e) => e.stage === 'review').map((e) => [e.at, e.actor, e.tickets[0]]),
    ).toEqual([['2026-02-09T10:00:00.000Z', 'Jonas Weber', 'CHG0030102']]);
  });

  it('links approvals by the display_value of sysapproval, and by document_id when sysapproval is empty', async () => {
    const { result, events } = await importFixture(['sysapproval_approver.xml']);
    expect(result.accounting[0]).toMatchObject({ read: 7, normalized: 6, ignored: 1, rejected: 0 });
    const decided = events.filter((e) => e.stage === 'approval' || e.stage === 'denial');
    expect(decided.map((e) => [e.at, e.stage, e.actor, e.tickets])).toEqual([
      ['2026-02-02T13:40:00.000Z', 'approval', 'Jonas Weber', ['CHG0030101']],
      ['2026-02-04T15:10:00.000Z', 'approval', 'Elena Costa', ['RITM0010201']],
      ['2026-02-07T02:25:00.000Z', 'approval', 'Jonas Weber', ['CHG0030102']],
      ['2026-02-14T22:20:00.000Z', 'approval', 'Jonas Weber', ['CHG0030103']],
      ['2026-02-21T09:30:00.000Z', 'denial', 'Elena Costa', ['CHG0030104']],
    ]);
  });

  it('ignores DELETE rows and reports a document that is not an unload as one fault', () => {
    const text =
      '<?xml version="1.0" encoding="UTF-8"?><unload unload_date="2026-03-01 07:00:00">' +
      '<incident action="DELETE"><number>INC0000001</number><sys_created_on>2026-01-01 00:00:00</sys_created_on></incident>' +
      '<incident action="INSERT_OR_UPDATE"><number>INC0000002</number><opened_at>2026-01-02 03:04:05</opened_at>' +
      '<caller_id display_value="Ana &amp; Co">0123</caller_id></incident></unload>';
    const records = readUnloadXml(text);
    expect(records.map((r) => r.locator)).toEqual(['/unload/incident[1]', '/unload/incident[2]']);
    const run = servicenowXml.createRun({ options: {} });
    const { accounting, events } = importRecords(servicenowXml, run, fileInfo, records);
    expect(accounting).toMatchObject({
      read: 2,
      normalized: 1,
      ignored: 1,
      ignoredByKind: { 'incident.delete': 1 },
    });
    expect(events[0]).toMatchObject({
      at: '2026-01-02T03:04:05.000Z',
      subject: { id: 'Ana & Co' },
    });

    const faults = [...servicenowXml.splitXml!('<rss><channel/></rss>')];
    expect(faults).toHaveLength(1);
    expect(faults[0].problem).toBe(
      'not a ServiceNow XML export: expected an <unload> root element',
    );
    expect([...servicenowXml.splitXml!('<unload><a></unload>')][0].problem).toMatch(
      /^not well-formed XML at line 1/,
    );
  });
});

describe('servicenow-csv: rows the reader hands over', () => {
  it('ignores an empty row and strips a BOM the reader left on the first header', () => {
    const run = servicenowCsv.createRun({ options: { displayTimezone: 'UTC' } });
    const headers = ['\uFEFFnumber', 'sys_created_on', 'requested_for'];
    const { accounting, events } = importRecords(servicenowCsv, run, fileInfo, [
      {
        locator: 'row 1',
        data: {
          kind: 'csv',
          row: { headers, cells: ['CHG0040017', '2024-06-03 14:22:10', 'Lena Brandt'] },
        },
      },
      { locator: 'row 2', data: { kind: 'csv', row: { headers, cells: ['', '', ''] } } },
    ]);
    expect(accounting).toMatchObject({
      read: 2,
      normalized: 1,
      ignored: 1,
      ignoredByKind: { 'empty row': 1 },
    });
    expect(events[0]).toMatchObject({ at: '2024-06-03T14:22:10.000Z', tickets: ['CHG0040017'] });
  });
});
