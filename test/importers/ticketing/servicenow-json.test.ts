// servicenow (Table API JSON): exact events per table, stored, =all and display-only forms.
import { describe, expect, it } from 'vitest';
import { servicenowJson } from '../../../src/importers/ticketing/servicenow/index.js';
import { brief, byTimeAndAction, importFixture, runJson } from './servicenow-helpers.js';

const MARA = '3f1c2a9e5b7d4e0fa1c2d3e4f5a6b7c8';
const JONAS = '8a2b3c4d5e6f40718293a4b5c6d7e8f9';
const AIKO = 'c0ffee1234564d2e8f9a0b1c2d3e4f50';
const ELENA = 'e1e2e3e4e5e64e7e8e9eaebecedeef01';
const RAVI = '0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5';
const LEDGERDB = '5d1e0c9b8a7f46e5d4c3b2a1f0e9d8c7';

describe('servicenow: change_request, stored values (sysparm_display_value=false)', () => {
  it('gives request, approval, implementation window and closure of each change, UTC as stored', async () => {
    const { result, events } = await importFixture(['change_request.json']);
    expect(result.accounting[0]).toMatchObject({
      importer: 'servicenow',
      read: 4,
      normalized: 4,
      rejected: 0,
    });

    const first = events.filter((e) => e.tickets[0] === 'CHG0030101');
    const common = {
      subject: MARA,
      target: LEDGERDB,
      tickets: ['CHG0030101', 'INC0040012'],
      breakGlass: false,
    };
    expect(first).toEqual([
      {
        ...common,
        at: '2026-02-02T09:15:00.000Z',
        stage: 'request',
        action: 'change_request.opened',
        actor: MARA,
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
        actor: MARA,
      },
    ]);
  });

  it('marks an emergency change as break-glass and turns its post-implementation review into review', async () => {
    const { events } = await importFixture(['change_request.json']);
    const reviewed = events.filter((e) => e.tickets[0] === 'CHG0030102');
    expect(reviewed.map((e) => [e.at, e.stage, e.breakGlass])).toEqual([
      ['2026-02-07T02:10:00.000Z', 'request', true],
      ['2026-02-07T02:25:00.000Z', 'approval', true],
      ['2026-02-07T02:30:00.000Z', 'context', true],
      ['2026-02-07T03:40:00.000Z', 'context', true],
      // The closure ends the review phase: the review event takes its place, by closed_by.
      ['2026-02-09T10:00:00.000Z', 'review', true],
    ]);
    expect(reviewed[4]).toMatchObject({ action: 'change_request.review', actor: JONAS });
  });

  it('gives an emergency change still in Review with no review content no review event', async () => {
    const { result, events } = await importFixture(['change_request.json']);
    const unreviewed = events.filter((e) => e.tickets[0] === 'CHG0030103');
    expect(unreviewed.map((e) => e.stage)).toEqual(['request', 'approval', 'context', 'context']);
    expect(unreviewed.every((e) => e.breakGlass === true)).toBe(true);
    const review = result.events.filter((e) => e.stage === 'review').map((e) => e.tickets[0]);
    expect(review).toEqual(['CHG0030102']);
  });

  it('reads a rejected approval field as a denial and a canceled change as closed context', async () => {
    const { result, events } = await importFixture(['change_request.json']);
    const rejected = events.filter((e) => e.tickets[0] === 'CHG0030104');
    expect(rejected.map((e) => [e.at, e.stage, e.action])).toEqual([
      ['2026-02-20T14:00:00.000Z', 'request', 'change_request.opened'],
      ['2026-02-21T09:30:00.000Z', 'denial', 'change_request.approval.rejected'],
      ['2026-02-21T09:35:00.000Z', 'context', 'change_request.closed'],
    ]);
    const closed = result.events.find(
      (e) => e.tickets[0] === 'CHG0030104' && e.action === 'change_request.closed',
    );
    expect(closed?.summary).toBe('CHG0030104 closed (unsuccessful), canceled');
    expect(closed?.source.locator).toBe('/result/3');
  });
});

describe('servicenow: {display_value, value} fields (sysparm_display_value=all)', () => {
  it('takes value (UTC) for times and display_value for people, never the displayed time', async () => {
    const { events } = await importFixture(['change_request.display-all.json']);
    // The display values are in Europe/Berlin (UTC+1); the events match the stored file exactly.
    const opened = events.find(
      (e) => e.action === 'change_request.opened' && e.tickets[0] === 'CHG0030101',
    );
    expect(opened).toEqual({
      at: '2026-02-02T09:15:00.000Z',
      stage: 'request',
      action: 'change_request.opened',
      actor: 'Mara Lindqvist',
      subject: 'Mara Lindqvist',
      target: 'LEDGERDB01',
      tickets: ['CHG0030101', 'INC0040012'],
      breakGlass: false,
    });
    const stored = await importFixture(['change_request.json']);
    const times = (list: typeof events) =>
      list.filter((e) => ['CHG0030101', 'CHG0030102'].includes(e.tickets[0]));
    expect(times(events).map((e) => [e.at, e.stage])).toEqual(
      times(stored.events).map((e) => [e.at, e.stage]),
    );
  });

  it('keeps to value even when a display zone is configured (display and config disagree)', () => {
    const row = {
      number: { display_value: 'CHG0000078', value: 'CHG0000078' },
      opened_at: { display_value: '2015-07-06 11:56:23', value: '2015-07-06 18:56:23' },
    };
    const settings = {
      options: { displayTimezone: 'UTC', displayDateFormat: 'yyyy-MM-dd HH:mm:ss' },
    };
    const { events } = runJson(servicenowJson, [row], settings);
    expect(events.map((e) => e.at)).toEqual(['2015-07-06T18:56:23.000Z']);
  });

  it('reads the Elastic-style NDJSON row, including a value written in MM/dd/yyyy form', () => {
    const row = {
      table_name: 'change_request',
      number: { display_value: 'CHG0000077', value: 'CHG0000077' },
      sys_id: { display_value: 'f'.repeat(32), value: 'f'.repeat(32) },
      opened_at: { display_value: '10/24/2023 7:07:31', value: '10/24/2023 7:07:31' },
      approval_set: { display_value: '', value: '' },
      sla_due: { display_value: 'UNKNOWN', value: '' },
      closed_at: { display_value: '2015-07-06 11:56:23', value: '2015-07-06 18:56:23' },
      requested_by: {
        display_value: 'System Administrator',
        value: '6816f79cc0a8016401c5a33be04be441',
      },
      type: { display_value: 'Standard', value: 'standard' },
    };
    const { events, accounting } = runJson(servicenowJson, [row]);
    expect(accounting).toMatchObject({ read: 1, normalized: 1, rejected: 0 });
    expect(events.map((e) => [e.at, e.stage, e.subject?.id, e.subject?.kind])).toEqual([
      ['2023-10-24T07:07:31.000Z', 'request', 'System Administrator', 'human'],
      ['2015-07-06T18:56:23.000Z', 'context', 'System Administrator', 'human'],
    ]);
  });
});

describe('servicenow: display-only export (sysparm_display_value=true)', () => {
  const options = {
    importerOptions: {
      servicenow: {
        displayTimezone: 'America/New_York',
        displayDateFormat: 'MM/dd/yyyy hh:mm:ss a',
      },
    },
  };

  it('reads MM/dd/yyyy h:mm:ss a times in the configured zone across the US DST start', async () => {
    const { result, events } = await importFixture(['change_request.display.json'], options);
    expect(result.accounting[0]).toMatchObject({ read: 2, normalized: 2, rejected: 0 });
    // 03/08/2026 1:20:00 AM is EST (UTC-5), 3:05:00 AM the same night is EDT (UTC-4): 45 minutes
    // from approval to work start, not 1 h 45.
    expect(events.map((e) => [e.at, e.stage, e.action])).toEqual([
      ['2026-03-08T04:50:00.000Z', 'request', 'change_request.opened'],
      ['2026-03-08T06:20:00.000Z', 'approval', 'change_request.approval.approved'],
      ['2026-03-08T07:05:00.000Z', 'context', 'change_request.work_start'],
      ['2026-03-08T08:10:00.000Z', 'context', 'change_request.work_end'],
      ['2026-03-09T13:00:00.000Z', 'review', 'change_request.review'],
      ['2026-03-09T15:30:00.000Z', 'request', 'change_request.opened'],
    ]);
    expect(events[0]).toMatchObject({
      subject: 'Aiko Tanaka',
      target: 'LEDGERDB01',
      breakGlass: true,
    });
    expect(events[5]).toMatchObject({ tickets: ['CHG0030106'], breakGlass: false });
  });

  it('rejects every display-only row as timezone unknown when no zone is configured', async () => {
    const { result } = await importFixture(['change_request.display.json']);
    expect(result.accounting[0]).toMatchObject({ read: 2, normalized: 0, rejected: 2 });
    expect(result.rejected[0].reason).toMatch(
      /^timezone unknown: opened_at "03\/07\/2026 11:50:00 PM"/,
    );
    expect(result.events).toEqual([]);
  });

  it('reads plain strings as display values only when told, for exports that show no label', () => {
    const row = { number: 'CHG0030997', opened_at: '2026-01-05 09:00:00', state: '-5' };
    const auto = runJson(servicenowJson, [row], { options: { displayTimezone: 'Europe/Berlin' } });
    expect(auto.events[0].at).toBe('2026-01-05T09:00:00.000Z');
    const told = runJson(servicenowJson, [row], {
      options: { displayTimezone: 'Europe/Berlin', values: 'display' },
    });
    expect(told.events[0].at).toBe('2026-01-05T08:00:00.000Z');
  });

  it('rejects a display time that does not match the configured format instead of guessing', () => {
    const row = { number: 'CHG0030999', opened_at: '2026-03-08 01:20:00 AM', approval: 'Approved' };
    const settings = { options: { displayTimezone: 'America/New_York' } };
    const { accounting, rejected } = runJson(servicenowJson, [row], settings);
    expect(accounting.rejected).toBe(1);
    expect(rejected[0].reason).toMatch(
      /date format unknown: set importers\.servicenow\.displayDateFormat/,
    );
  });

  it('rejects a display time inside the hour skipped by DST', () => {
    const row = { number: 'CHG0030998', opened_at: '03/08/2026 2:30:00 AM', state: 'New' };
    const settings = {
      options: { displayTimezone: 'America/New_York', displayDateFormat: 'MM/dd/yyyy hh:mm:ss a' },
    };
    const { rejected } = runJson(servicenowJson, [row], settings);
    expect(rejected[0].reason).toMatch(/does not exist in America\/New_York/);
  });
});

describe('servicenow: sc_req_item, sc_task, incident', () => {
  it('gives a requested item its request, approval and closure, with the parent request', async () => {
    const { events } = await importFixture(['sc_req_item.json']);
    const common = {
      subject: MARA,
      target: '3fa2c9e0f1b24c3d7e6f5a4b3c2d1e09',
      tickets: ['RITM0010201'],
    };
    expect(events).toEqual([
      {
        ...common,
        at: '2026-02-04T10:00:00.000Z',
        stage: 'request',
        action: 'sc_req_item.opened',
        actor: RAVI,
      },
      {
        ...common,
        at: '2026-02-04T15:10:00.000Z',
        stage: 'approval',
        action: 'sc_req_item.approval.approved',
      },
      { ...common, at: '2026-02-05T09:00:00.000Z', stage: 'context', action: 'sc_req_item.closed' },
    ]);
  });

  it('names the requested item of a catalog task through the sys_id map, as context', async () => {
    const { events } = await importFixture(['sc_req_item.json', 'sc_task.json']);
    const task = events.filter((e) => e.action.startsWith('sc_task'));
    expect(task.map((e) => [e.at, e.stage, e.action, e.tickets])).toEqual([
      ['2026-02-04T15:11:00.000Z', 'context', 'sc_task.opened', ['SCTASK0010301', 'RITM0010201']],
      ['2026-02-05T08:55:00.000Z', 'context', 'sc_task.closed', ['SCTASK0010301', 'RITM0010201']],
    ]);
    const alone = await importFixture(['sc_task.json']);
    expect(alone.events[0].tickets).toEqual(['SCTASK0010301']);
  });

  it('reads an incident as context: opened, resolved, closed', async () => {
    const { events } = await importFixture(['incident.json']);
    expect(events.map((e) => [e.at, e.stage, e.action, e.actor, e.subject])).toEqual([
      ['2026-02-01T18:30:00.000Z', 'context', 'incident.opened', RAVI, MARA],
      ['2026-02-03T10:45:00.000Z', 'context', 'incident.resolved', MARA, MARA],
      ['2026-02-06T11:00:00.000Z', 'context', 'incident.closed', undefined, MARA],
    ]);
  });
});

describe('servicenow: sysapproval_approver', () => {
  it('links approvals to their task through sysapproval or document_id sys_ids read earlier', async () => {
    const { result, events } = await importFixture([
      'change_request.json',
      'sc_req_item.json',
      'sysapproval_approver.json',
    ]);
    const approvals = events.filter((e) => e.action.startsWith('sysapproval_approver'));
    expect(approvals).toEqual([
      {
        at: '2026-02-02T13:40:00.000Z',
        stage: 'approval',
        action: 'sysapproval_approver.approved',
        actor: JONAS,
        subject: MARA,
        target: LEDGERDB,
        tickets: ['CHG0030101'],
        breakGlass: false,
      },
      {
        at: '2026-02-04T15:10:00.000Z',
        stage: 'approval',
        action: 'sysapproval_approver.approved',
        actor: ELENA,
        subject: MARA,
        target: '3fa2c9e0f1b24c3d7e6f5a4b3c2d1e09',
        tickets: ['RITM0010201'],
        breakGlass: undefined,
      },
      {
        at: '2026-02-07T02:25:00.000Z',
        stage: 'approval',
        action: 'sysapproval_approver.approved',
        actor: JONAS,
        subject: AIKO,
        target: '6e2f1d0c9b8a47f6e5d4c3b2a1f0e9d8',
        tickets: ['CHG0030102'],
        breakGlass: true,
      },
      {
        at: '2026-02-14T22:20:00.000Z',
        stage: 'approval',
        action: 'sysapproval_approver.approved',
        actor: JONAS,
        subject: AIKO,
        target: '7f3a2e1d0c9b48a7f6e5d4c3b2a1f0e9',
        tickets: ['CHG0030103'],
        breakGlass: true,
      },
      {
        at: '2026-02-21T09:30:00.000Z',
        stage: 'denial',
        action: 'sysapproval_approver.rejected',
        actor: ELENA,
        subject: MARA,
        target: '8a4b3f2e1d0c49b8a7f6e5d4c3b2a1f0',
        tickets: ['CHG0030104'],
        breakGlass: false,
      },
      {
        at: '2026-02-25T08:00:00.000Z',
        stage: 'context',
        action: 'sysapproval_approver.requested',
        actor: JONAS,
        subject: undefined,
        target: undefined,
        tickets: [],
        breakGlass: undefined,
      },
    ]);
    const file = result.accounting.find((a) => a.file.endsWith('sysapproval_approver.json'));
    expect(file).toMatchObject({ read: 7, normalized: 6, ignored: 1, rejected: 0 });
    expect(file?.ignoredByKind).toEqual({ 'sysapproval_approver.no_longer_required': 1 });
  });

  it('cannot name the ticket when the approvals are read before their tasks (order dependence)', async () => {
    const { events } = await importFixture(['sysapproval_approver.json']);
    const approved = events.filter((e) => e.stage === 'approval');
    expect(approved.map((e) => e.tickets)).toEqual([[], [], [], []]);
  });

  it('resolves a task that comes later in the same file at the end of the file', () => {
    const approval = {
      sys_id: 'a'.repeat(32),
      approver: {
        link: 'https://snow.example.com/api/now/table/sys_user/1',
        value: 'u'.repeat(32),
      },
      sysapproval: { link: 'https://snow.example.com/api/now/table/task/1', value: 'b'.repeat(32) },
      state: 'approved',
      sys_updated_on: '2026-01-05 10:00:00',
    };
    const change = {
      sys_id: 'b'.repeat(32),
      number: 'CHG0030500',
      opened_at: '2026-01-05 09:00:00',
      type: 'emergency',
    };
    const { events, accounting } = runJson(servicenowJson, [approval, change]);
    expect(accounting).toMatchObject({ read: 2, normalized: 2, rejected: 0 });
    const decided = events.find((e) => e.action === 'sysapproval_approver.approved');
    expect(decided).toMatchObject({
      tickets: ['CHG0030500'],
      breakGlass: true,
      at: '2026-01-05T10:00:00.000Z',
    });
    expect(decided?.source.locator).toBe('/result/0');
  });

  it('rejects a decided approval without its decision time and an unknown state', () => {
    const rows = [
      {
        sys_id: '1',
        sysapproval: 'CHG0030101',
        state: 'approved',
        sys_created_on: '2026-01-05 10:00:00',
      },
      {
        sys_id: '2',
        sysapproval: 'CHG0030101',
        state: 'maybe',
        sys_updated_on: '2026-01-05 10:00:00',
      },
    ];
    const { rejected } = runJson(servicenowJson, rows);
    expect(rejected.map((r) => [r.locator, r.reason])).toEqual([
      ['/result/0', 'state approved but sys_updated_on missing: expected the decision time'],
      [
        '/result/1',
        'state "maybe": expected an approval state (requested, approved, rejected, ...)',
      ],
    ]);
  });
});

describe('servicenow: records that are not evidence', () => {
  it('ignores rows of other tables by name and rejects rows that name no table or no time', () => {
    const rows = [
      { table_name: 'alm_hardware', sys_id: 'x', sys_updated_on: '2024-09-10 08:15:50' },
      { sys_id: 'test-sc-request-id-1', number: 'REQ0010001', price: '100.99' },
      { sys_id: 'y', state: 'approved', comments: '' },
      { sys_id: 'z', short_description: 'no number', sys_created_on: '2024-01-01 00:00:00' },
    ];
    const { accounting, rejected } = runJson(servicenowJson, rows);
    expect(accounting).toMatchObject({ read: 4, normalized: 0, ignored: 2, rejected: 2 });
    expect(accounting.ignoredByKind).toEqual({ alm_hardware: 1, sc_request: 1 });
    expect(rejected[0].reason).toMatch(/^no date-time field/);
    expect(rejected[1].reason).toMatch(/^table unknown/);
  });

  it('refuses an invalid config with the path of the bad key', () => {
    expect(() =>
      servicenowJson.createRun({ options: { displayTimezone: 'Mars/Olympus' } }),
    ).toThrow(/importers\.servicenow\.displayTimezone: expected an IANA time zone/);
    expect(() => servicenowJson.createRun({ options: { displayDateFormat: 'hh:mm' } })).toThrow(
      /importers\.servicenow\.displayDateFormat: date format hh:mm lacks y, M, d/,
    );
    expect(() => servicenowJson.createRun({ options: { displayZone: 'UTC' } })).toThrow(
      /importers\.servicenow/,
    );
  });

  it('gives the change approval at approval_set even when it equals the opening instant', () => {
    const { events } = runJson(servicenowJson, [
      {
        number: 'CHG0030600',
        opened_at: '2026-01-05 09:00:00',
        approval: 'approved',
        approval_set: '2026-01-05 09:00:00',
      },
    ]);
    expect(
      events
        .map(brief)
        .sort(byTimeAndAction)
        .map((e) => e.stage),
    ).toEqual(['approval', 'request']);
  });
});
