// Jira importers: exact events per export form and quirk, bug-02 and bug-03, and the samples.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { jira, jiraCsv, jiraXml } from '../../../src/importers/ticketing/jira/index.js';
import { csvTicketFacts, repeatedValues } from '../../../src/importers/ticketing/jira/csv.js';
import { parseFormattedDate, parseRssDate } from '../../../src/importers/ticketing/jira/dates.js';
import { parseJiraOptions } from '../../../src/importers/ticketing/jira/options.js';
import { jiraXmlRecords } from '../../../src/importers/ticketing/jira/xml.js';
import { importers } from '../../../src/importers/index.js';
import { importRecords, type FileImportResult } from '../../../src/pipeline/run-importer.js';
import { importPaths } from '../../../src/pipeline/import.js';
import type { TimelineEvent } from '../../../src/model/event.js';
import type { Importer, RunSettings } from '../../../src/importers/types.js';
import type { CsvRow } from '../../../src/read/record.js';
import { detectionSampleOf, loadFile } from '../idp/okta-records.js';
import { csvRecords, loadCsv, loadXml } from './jira-records.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const fixtures = path.join(repoRoot, 'fixtures/jira');
const samples = path.resolve(repoRoot, '../shared/samples');
const bugcases = path.resolve(repoRoot, '../shared/bugcases');

function brief(event: TimelineEvent) {
  return {
    stage: event.stage,
    at: event.at,
    actor: event.actor?.id,
    subject: event.subject?.id,
    target: event.target?.id,
    tickets: event.tickets,
    grantKey: event.grantKey,
    expiresAt: event.expiresAt,
    locator: event.source.locator,
  };
}

function run(
  importer: Importer,
  loaded: ReturnType<typeof loadFile>,
  settings: RunSettings = { options: {} },
) {
  return importRecords(importer, importer.createRun(settings), loaded.file, loaded.records);
}

function balanced(result: FileImportResult): boolean {
  const a = result.accounting;
  return a.read === a.normalized + a.ignored + a.rejected;
}

describe('REST search with expand=changelog', () => {
  const result = run(jira, loadFile(path.join(fixtures, 'rest-search-expand-changelog.json')));

  test('request, then approval by the author of the transition to Approved, offsets -0800', () => {
    expect(result.events.slice(0, 4).map(brief)).toEqual([
      {
        stage: 'request',
        at: '2026-02-03T17:15:00.000Z',
        actor: 'lea.fischer@bank.example',
        subject: 'lea.fischer@bank.example',
        target: undefined,
        tickets: ['ACC-101', 'CHG0041234'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/issues/0',
      },
      {
        stage: 'context',
        at: '2026-02-03T17:16:10.000Z',
        actor: 'lea.fischer@bank.example',
        subject: 'lea.fischer@bank.example',
        target: undefined,
        tickets: ['ACC-101', 'CHG0041234'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/issues/0/changelog/histories/0/items/0',
      },
      {
        stage: 'approval',
        at: '2026-02-03T18:02:33.120Z',
        actor: 'bob.weiss@bank.example',
        subject: 'lea.fischer@bank.example',
        target: undefined,
        tickets: ['ACC-101', 'CHG0041234'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/issues/0/changelog/histories/1/items/0',
      },
      {
        // Done closes the ticket; it is never taken as an approval.
        stage: 'context',
        at: '2026-02-03T18:30:00.000Z',
        actor: 'carl.meyer@bank.example',
        subject: 'lea.fischer@bank.example',
        target: undefined,
        tickets: ['ACC-101', 'CHG0041234'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/issues/0/changelog/histories/2/items/1',
      },
    ]);
  });

  test('a declined ticket gives a denial; a reopen after approval stays as context', () => {
    const rest = result.events
      .slice(4)
      .map((e) => [e.stage, e.at, e.actor?.id, e.action, e.breakGlass]);
    expect(rest).toEqual([
      ['request', '2026-02-04T07:00:00.000Z', 'carl.meyer@bank.example', 'issue (REST)', undefined],
      [
        'denial',
        '2026-02-04T07:45:00.000Z',
        'bob.weiss@bank.example',
        'status: Waiting for approval → Declined',
        undefined,
      ],
      ['request', '2026-02-05T23:10:00.000Z', 'lea.fischer@bank.example', 'issue (REST)', true],
      [
        'approval',
        '2026-02-05T23:12:00.000Z',
        'bob.weiss@bank.example',
        'status: Waiting for approval → Approved',
        true,
      ],
      [
        'context',
        '2026-02-05T23:40:00.000Z',
        'bob.weiss@bank.example',
        'status: Approved → Reopened',
        true,
      ],
    ]);
  });

  test('configured status names replace the defaults', () => {
    const custom = run(jira, loadFile(path.join(fixtures, 'rest-search-expand-changelog.json')), {
      options: { approvedStatuses: ['Done'], declinedStatuses: [] },
    });
    expect(custom.events.filter((e) => e.stage === 'approval').map((e) => e.at)).toEqual([
      '2026-02-03T18:30:00.000Z',
    ]);
    expect(custom.events.filter((e) => e.stage === 'denial')).toEqual([]);
  });
});

describe('JSM approvals', () => {
  test('the Approvals field of an issue: approved by someone other than the requester', () => {
    const result = run(jira, loadFile(path.join(fixtures, 'jsm-issue-expand-names.json')));
    expect(result.events.map(brief)).toEqual([
      {
        stage: 'request',
        at: '2026-02-10T06:00:00.000Z',
        actor: 'lea.fischer@bank.example',
        subject: 'pia.berg@bank.example',
        target: 'vault:root',
        tickets: ['ACC-110'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '',
      },
      {
        stage: 'approval',
        at: '2026-02-10T06:42:10.000Z',
        actor: 'bob.weiss@bank.example',
        subject: 'pia.berg@bank.example',
        target: 'vault:root',
        tickets: ['ACC-110'],
        grantKey: 'jsm-approval:88',
        expiresAt: undefined,
        locator: '/fields/customfield_10010/0/approvers/0',
      },
    ]);
  });

  test('the approval API page: approved and declined steps; pending gives nothing', () => {
    const result = run(jira, loadFile(path.join(fixtures, 'ACC-120-approvals.json')));
    expect(result.events.map(brief)).toEqual([
      {
        stage: 'approval',
        at: '2026-02-12T08:20:00.000Z',
        actor: 'carl.meyer@bank.example',
        subject: undefined,
        target: undefined,
        tickets: ['ACC-120'],
        grantKey: 'jsm-approval:91',
        expiresAt: undefined,
        locator: '/values/0/approvers/0',
      },
      {
        stage: 'denial',
        at: '2026-02-12T10:05:30.000Z',
        actor: 'nina.roth@bank.example',
        subject: undefined,
        target: undefined,
        tickets: ['ACC-120'],
        grantKey: 'jsm-approval:92',
        expiresAt: undefined,
        locator: '/values/1/approvers/0',
      },
    ]);
  });

  test('approval records unwrapped by the reader are read one by one', () => {
    const page = JSON.parse(
      readFileSync(path.join(fixtures, 'ACC-120-approvals.json'), 'utf8'),
    ) as { values: unknown[] };
    const records = page.values.map((value, i) => ({
      locator: `/values/${i}`,
      data: { kind: 'json' as const, value },
    }));
    const file = { path: 'exports/ACC-120-approvals.json', sha256: '0'.repeat(64), size: 1 };
    const result = importRecords(jira, jira.createRun({ options: {} }), file, records);
    expect(result.accounting).toMatchObject({ read: 3, normalized: 2, ignored: 1, rejected: 0 });
    expect(result.accounting.ignoredByKind).toEqual({ 'JSM approval pending': 1 });
    expect(result.events.map((e) => [e.stage, e.tickets])).toEqual([
      ['approval', ['ACC-120']],
      ['denial', ['ACC-120']],
    ]);
  });
});

describe('webhooks', () => {
  test('a transition to Approved in an archived Cloud webhook, timed by its timestamp', () => {
    const result = run(jira, loadFile(path.join(fixtures, 'webhook-issue-updated-approved.json')));
    expect(result.events.map(brief)).toEqual([
      {
        stage: 'request',
        at: '2026-02-13T09:00:00.000Z',
        actor: 'lea.fischer@bank.example',
        subject: 'lea.fischer@bank.example',
        target: undefined,
        tickets: ['ACC-130'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/issue',
      },
      {
        stage: 'approval',
        at: '2026-02-13T11:00:00.123Z',
        actor: 'carl.meyer@bank.example',
        subject: 'lea.fischer@bank.example',
        target: undefined,
        tickets: ['ACC-130'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/changelog/items/0',
      },
    ]);
  });

  test('the same webhook delivered twice in one run gives its events once', () => {
    const loaded = loadFile(path.join(fixtures, 'webhook-issue-updated-approved.json'));
    const state = jira.createRun({ options: {} });
    importRecords(jira, state, loaded.file, loaded.records);
    const again = importRecords(jira, state, { ...loaded.file, path: 'copy.json' }, loaded.records);
    expect(again.events).toEqual([]);
    expect(again.accounting.ignoredByKind).toEqual({ issue_generic: 1 });
  });
});

describe('issue-search CSV export', () => {
  const loaded = loadCsv(path.join(fixtures, 'issue-search-export-all-fields.csv'));
  const state = jiraCsv.createRun({ options: {}, timezone: 'Europe/Berlin' });
  const result = importRecords(jiraCsv, state, loaded.file, loaded.records);

  test('request with subject and target from custom fields, approval from approver fields', () => {
    expect(result.events.filter((e) => e.source.locator === 'row 1').map(brief)).toEqual([
      {
        stage: 'request',
        at: '2026-02-25T21:17:00.000Z',
        actor: 'Lea Fischer',
        subject: 'lea.fischer@bank.example',
        target: 'k8s:prod:cluster-admin',
        tickets: ['ACC-201', 'CHG0041300'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: 'row 1',
      },
      {
        stage: 'approval',
        at: '2026-02-26T07:05:00.000Z',
        actor: 'bob.weiss@bank.example',
        subject: 'lea.fischer@bank.example',
        target: 'k8s:prod:cluster-admin',
        tickets: ['ACC-201', 'CHG0041300'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: 'row 1',
      },
      {
        stage: 'context',
        at: '2026-02-26T08:40:00.000Z',
        actor: undefined,
        subject: 'lea.fischer@bank.example',
        target: 'k8s:prod:cluster-admin',
        tickets: ['ACC-201', 'CHG0041300'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: 'row 1',
      },
    ]);
  });

  test('comments keep the ";" inside their text and point at their column', () => {
    const comments = result.events.filter(
      (e) => e.action === 'comment' && e.source.locator.startsWith('row 1'),
    );
    expect(comments.map((e) => [e.at, e.actor?.id, e.reason, e.source.locator])).toEqual([
      [
        '2026-02-26T07:06:00.000Z',
        '557058:f1c2',
        'Approved; 4h window; see CHG0041300',
        'row 1 col 27',
      ],
      ['2026-02-26T08:40:00.000Z', '557058:c3d4', 'Access removed, closing', 'row 1 col 28'],
    ]);
  });

  test('a declined emergency ticket: one denial per approver, marked break-glass', () => {
    const row2 = result.events.filter((e) => e.source.locator === 'row 2');
    expect(row2.map((e) => [e.stage, e.at, e.actor?.id, e.target?.id, e.breakGlass])).toEqual([
      ['request', '2026-02-28T00:05:00.000Z', 'Pia Berg', 'db:payments:root', true],
      ['denial', '2026-02-28T00:29:00.000Z', 'nina.roth@bank.example', 'db:payments:root', true],
      ['denial', '2026-02-28T00:29:00.000Z', 'bob.weiss@bank.example', 'db:payments:root', true],
    ]);
  });

  test('an impossible date rejects its row by row number; the rest is imported', () => {
    expect(result.rejected.map((r) => [r.locator, r.reason])).toEqual([
      [
        'row 4',
        'Created "31/Feb/26 7:45 AM" unreadable: impossible date or time: "31/Feb/26 7:45 AM" (expected d/MMM/yy h:mm a)',
      ],
    ]);
    expect(result.accounting).toMatchObject({ read: 4, normalized: 3, ignored: 0, rejected: 1 });
  });

  test('opaque JSM Approvals cells are counted in a note', () => {
    expect(state.finish?.()).toEqual([
      {
        kind: 'info',
        file: loaded.file.path,
        message:
          "2 Approvals cell(s) hold JSM's ApprovalsCFValue object text, which carries no approver or " +
          'decision; export the approvals with the JSM REST API instead',
      },
    ]);
  });

  test('without a configured zone every dated row is rejected, saying the zone is unknown', () => {
    const noZone = importRecords(
      jiraCsv,
      jiraCsv.createRun({ options: {} }),
      loaded.file,
      loaded.records,
    );
    expect(noZone.events).toEqual([]);
    expect(noZone.rejected[0]?.reason).toBe(
      'Created "25/Feb/26 10:17 PM" unreadable: time "25/Feb/26 10:17 PM" has no offset and no timezone is configured (expected d/MMM/yy h:mm a)',
    );
  });

  test('a configured dateFormat is used', () => {
    const csv =
      'Issue key,Summary,Created\r\nACC-9,x,2026-03-29 02:30\r\nACC-10,y,2026-03-29 03:30\r\n';
    const file = { path: 'x.csv', sha256: '0'.repeat(64), size: 1 };
    const custom = importRecords(
      jiraCsv,
      jiraCsv.createRun({ options: { dateFormat: 'yyyy-MM-dd HH:mm' }, timezone: 'Europe/Berlin' }),
      file,
      csvRecords(csv),
    );
    // 02:30 on 29 March 2026 does not exist in Berlin (DST gap): rejected, never shifted.
    expect(custom.rejected.map((r) => r.locator)).toEqual(['row 1']);
    expect(custom.events.map((e) => e.at)).toEqual(['2026-03-29T01:30:00.000Z']);
  });
});

describe('issue navigator XML export', () => {
  const result = run(jiraXml, loadXml(path.join(fixtures, 'issue-navigator-export.xml')));

  test('request and approval from custom fields, comment context', () => {
    expect(result.events.map(brief)).toEqual([
      {
        stage: 'request',
        at: '2026-03-02T07:30:00.000Z',
        actor: 'lfischer',
        subject: 'lfischer',
        target: 'fw:dmz:admin',
        tickets: ['ACC-301'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/rss/channel/item[1]',
      },
      {
        stage: 'approval',
        at: '2026-03-02T09:58:12.000Z',
        actor: 'bweiss',
        subject: 'lfischer',
        target: 'fw:dmz:admin',
        tickets: ['ACC-301'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/rss/channel/item[1]',
      },
      {
        stage: 'context',
        at: '2026-03-02T09:59:00.000Z',
        actor: 'bweiss',
        subject: 'lfischer',
        target: 'fw:dmz:admin',
        tickets: ['ACC-301'],
        grantKey: undefined,
        expiresAt: undefined,
        locator: '/rss/channel/item[1]/comments/comment[1]',
      },
    ]);
  });

  test('a month name of an unsupported locale is rejected loudly, never guessed', () => {
    expect(result.rejected.map((r) => [r.locator, r.reason])).toEqual([
      [
        '/rss/channel/item[2]',
        'created "mar., 3 mars 2026 08:30:00 +0100" unreadable: unknown month name "mars" in "mar., 3 mars 2026 08:30:00 +0100"',
      ],
    ]);
  });
});

describe('dates and options', () => {
  test('profile formats: 12-hour clock, one-digit day, configured zone', () => {
    expect(parseFormattedDate('25/Feb/26 10:17 PM', 'd/MMM/yy h:mm a', 'UTC')).toBe(
      '2026-02-25T22:17:00.000Z',
    );
    expect(parseFormattedDate('1/Jan/26 12:05 AM', 'd/MMM/yy h:mm a', 'UTC')).toBe(
      '2026-01-01T00:05:00.000Z',
    );
    expect(parseFormattedDate('1/Jan/26 12:05 PM', 'dd/MMM/yy h:mm a', 'UTC')).toBe(
      '2026-01-01T12:05:00.000Z',
    );
    expect(parseFormattedDate('05/Okt/25 14:00', 'dd/MMM/yy HH:mm', 'Europe/Berlin')).toBe(
      '2025-10-05T12:00:00.000Z',
    );
    expect(() => parseFormattedDate('25/Feb/26 13:17 PM', 'd/MMM/yy h:mm a', 'UTC')).toThrow(
      /hour out of range/,
    );
  });

  test('a weekday that does not match the date is an error', () => {
    expect(() => parseRssDate('Mo, 5 Mär 2024 09:07:31 +0100')).toThrow(/weekday/);
  });

  test('options are validated with the key path in the message', () => {
    expect(() => parseJiraOptions({ approvedStatuses: 'Approved' })).toThrow(
      /importers\.jira\.approvedStatuses/,
    );
    expect(() => parseJiraOptions({ approverFeilds: [] })).toThrow(/importers\.jira/);
    expect(parseJiraOptions({}).dateFormat).toBe('d/MMM/yy h:mm a');
  });

  test('the registry lists the three ids, sorted', () => {
    expect([...importers.keys()].filter((id) => id.startsWith('jira'))).toEqual([
      'jira',
      'jira-csv',
      'jira-xml',
    ]);
  });
});

describe.skipIf(!existsSync(path.join(bugcases, 'bug-02')))(
  'bug-02: Jira XML dates in a German locale',
  () => {
    const file = path.join(bugcases, 'bug-02/jira-issues-de.xml');

    test('created, updated and resolved with German day and month names; the offset wins', () => {
      expect(parseRssDate('Di, 5 Mär 2024 09:07:31 +0100')).toBe('2024-03-05T08:07:31.000Z');
      expect(parseRssDate('Mi, 22 Mai 2024 17:03:44 +0200')).toBe('2024-05-22T15:03:44.000Z');
      expect(parseRssDate('Do, 12 Dez 2024 07:59:10 +0100')).toBe('2024-12-12T06:59:10.000Z');
      // A configured zone does not override the offset written in the string.
      expect(parseRssDate('Di, 5 Mär 2024 09:07:31 +0100', 'America/New_York')).toBe(
        '2024-03-05T08:07:31.000Z',
      );
    });

    test('ACC-812 is requested at its created time and resolved at its resolved time', () => {
      const result = run(jiraXml, loadXml(file), { options: {}, timezone: 'America/New_York' });
      expect(result.events.map((e) => [e.stage, e.at, e.tickets, e.action])).toEqual([
        ['request', '2024-03-05T08:07:31.000Z', ['ACC-812'], 'issue (XML export)'],
        ['context', '2024-12-12T06:59:10.000Z', ['ACC-812'], 'resolved'],
      ]);
    });

    test('an unparseable date fails the record loudly, never "now" or null', () => {
      const text = readFileSync(file, 'utf8').replace('Di, 5 Mär 2024', 'Di, 5 Mrx 2024');
      const info = { path: 'de.xml', sha256: '0'.repeat(64), size: 1 };
      const result = importRecords(
        jiraXml,
        jiraXml.createRun({ options: {} }),
        info,
        jiraXmlRecords(text),
      );
      expect(result.events).toEqual([]);
      expect(result.rejected.map((r) => r.reason)).toEqual([
        'created "Di, 5 Mrx 2024 09:07:31 +0100" unreadable: unknown month name "Mrx" in "Di, 5 Mrx 2024 09:07:31 +0100"',
      ]);
    });
  },
);

describe.skipIf(!existsSync(path.join(bugcases, 'bug-03')))('bug-03: repeated CSV columns', () => {
  const dir = path.join(bugcases, 'bug-03');
  // vitest runs a skipped describe's body to collect it: read only when the case exists.
  const context = (
    existsSync(dir) ? JSON.parse(readFileSync(path.join(dir, 'export-context.json'), 'utf8')) : {}
  ) as Record<string, string>;
  // The case declares the exporting user's zone and format beside the export.
  const settings: RunSettings = {
    options: {},
    exportContext: {
      timezone: context.exporting_user_timezone,
      dateFormat: context.date_time_format,
    },
  };
  const loaded = existsSync(dir)
    ? loadCsv(path.join(dir, 'jira-export-all-fields.csv'))
    : { records: [] };
  const row = (n: number): CsvRow => {
    const data = loaded.records[n]?.data;
    if (data?.kind !== 'csv') throw new Error('expected a CSV row');
    return data.row;
  };

  test('Sprint, Labels and Comment are grouped by position', () => {
    const options = parseJiraOptions({});
    const dates = { format: context.date_time_format!, zone: context.exporting_user_timezone };
    const first = csvTicketFacts(row(0), options, dates);
    expect(repeatedValues(row(0), 'Sprint')).toEqual(['PAM Sprint 14', 'PAM Sprint 15']);
    expect(first.labels).toEqual(['prod-access', 'break-glass']);
    expect(first.comments.map((c) => [c.at, c.author?.id, c.body])).toEqual([
      ['2024-03-12T09:02:00.000Z', 'mkrause', 'Approved for a 4h window'],
      [
        '2024-03-12T13:15:00.000Z',
        'okeller',
        'Access revoked; session recording attached; closing',
      ],
    ]);
    expect([first.createdAt, first.resolvedAt]).toEqual([
      '2024-03-12T08:58:00.000Z',
      '2024-03-12T13:20:00.000Z',
    ]);

    const second = csvTicketFacts(row(1), options, dates);
    expect([second.createdAt, second.resolvedAt, second.labels, second.comments]).toEqual([
      '2024-04-02T06:30:00.000Z',
      undefined,
      ['audit'],
      [],
    ]);
  });

  test('the importer turns them into the right events', () => {
    const result = importRecords(jiraCsv, jiraCsv.createRun(settings), loaded.file, loaded.records);
    expect(
      result.events.map((e) => [e.stage, e.at, e.source.locator, e.breakGlass ?? false]),
    ).toEqual([
      ['request', '2024-03-12T08:58:00.000Z', 'row 1', true],
      ['context', '2024-03-12T13:20:00.000Z', 'row 1', true],
      ['context', '2024-03-12T09:02:00.000Z', 'row 1 col 12', true],
      ['context', '2024-03-12T13:15:00.000Z', 'row 1 col 13', true],
      ['request', '2024-04-02T06:30:00.000Z', 'row 2', false],
    ]);
    expect(result.events[0]?.tickets).toEqual(['ACC-901', 'INC0012001']);
  });

  test('through the real reader, the export-context.json beside it gives zone and format', async () => {
    const imported = await importPaths([dir]);
    const csv = imported.accounting.find((a) => a.importer === 'jira-csv');
    expect(csv && [csv.read, csv.normalized, csv.ignored, csv.rejected]).toEqual([2, 2, 0, 0]);
    expect(
      imported.events.filter((e) => e.stage === 'request').map((e) => [e.tickets[0], e.at]),
    ).toEqual([
      ['ACC-901', '2024-03-12T08:58:00.000Z'],
      ['ACC-902', '2024-04-02T06:30:00.000Z'],
    ]);
  });
});

const jiraSamples = path.join(samples, 'jira');

describe.skipIf(!existsSync(jiraSamples))('conformance over shared/samples/jira', () => {
  const files = existsSync(jiraSamples) ? readdirSync(jiraSamples).sort() : [];

  test.each(files)(
    '%s is detected by one Jira importer, balanced, nothing valid rejected',
    (name) => {
      const full = path.join(jiraSamples, name);
      const sample = detectionSampleOf(full);
      const scores = [jira, jiraCsv, jiraXml].map((i) => i.detect(sample));
      const best = [jira, jiraCsv, jiraXml][scores.indexOf(Math.max(...scores))]!;
      expect(Math.max(...scores)).toBeGreaterThanOrEqual(80);
      expect(scores.filter((s) => s > 0)).toHaveLength(1);
      const loaded = best.input === 'csv' ? loadCsv(full) : loadFile(full);
      const result = importRecords(
        best,
        best.createRun({ options: {}, timezone: 'UTC' }),
        loaded.file,
        loaded.records,
      );
      expect(balanced(result)).toBe(true);
      expect(result.rejected).toEqual([]);
      expect(result.accounting.normalized).toBeGreaterThan(0);
    },
  );

  test('the search sample keeps both changelog times with their -0800 offset', () => {
    const loaded = loadFile(
      path.join(jiraSamples, 'go-jira-mocks-issues_in_sprint_with_changelog.json'),
    );
    const result = run(jira, loaded);
    expect(result.events.map((e) => [e.stage, e.at, e.source.locator])).toEqual([
      ['request', '2015-12-02T15:39:15.000Z', '/issues/0'],
      ['context', '2015-12-07T22:19:13.000Z', '/issues/0'],
    ]);
  });

  test('the webhook samples: status transitions by the webhook user', () => {
    const resolved = run(
      jira,
      loadFile(path.join(jiraSamples, 'mattermost-webhook-server-issue-updated-resolved.json')),
    );
    expect(resolved.events.map((e) => [e.stage, e.at, e.actor?.id, e.action])).toEqual([
      ['request', '2019-08-12T22:14:23.580Z', 'admin@admin.com', 'jira:issue_updated'],
      ['context', '2019-08-12T23:23:02.025Z', 'admin@admin.com', 'status: In Progress → Resolved'],
    ]);
  });
});

describe.skipIf(!existsSync(samples))('the Jira detectors claim no other vendor sample', () => {
  const others = existsSync(samples)
    ? readdirSync(samples, { withFileTypes: true })
        .filter((d) => d.isDirectory() && d.name !== 'jira')
        .flatMap((d) =>
          readdirSync(path.join(samples, d.name)).map((f) => path.join(samples, d.name, f)),
        )
    : [];

  test.each(others)('%s scores 0', (full) => {
    for (const unwrap of [true, false]) {
      const sample = detectionSampleOf(full, unwrap);
      expect([jira.detect(sample), jiraCsv.detect(sample), jiraXml.detect(sample)]).toEqual([
        0, 0, 0,
      ]);
    }
  });
});
