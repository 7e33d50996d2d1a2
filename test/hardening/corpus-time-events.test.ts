// Bad-input corpus: extreme and ambiguous timestamps, and event types no importer has seen.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/read/record.js';
import { fixturesDir, importer, importItems, importFiles, writeInputs } from './helpers.js';

const firstLine = (file: string) =>
  readFileSync(path.join(fixturesDir, file), 'utf8').split('\n')[0];
const json = (value: unknown, i = 0): { record: RawRecord } => ({
  record: { locator: `/${i}`, data: { kind: 'json', value } },
});
const line = (text: string): { record: RawRecord } => ({
  record: { locator: 'line 1', data: { kind: 'line', text } },
});

/** The `at` of each record's event, or its reject reason. */
function outcomes(id: string, items: { record: RawRecord }[], timezone?: string): string[] {
  const result = importItems(importer(id), items, { timezone });
  return items.map(({ record }) => {
    const event = result.events.find((e) => e.source.locator === record.locator);
    if (event) return event.at;
    return `rejected: ${result.rejected.find((r) => r.locator === record.locator)?.reason}`;
  });
}

describe('timestamps', () => {
  const okta = JSON.parse(firstLine('okta/admin-roles-tokens.ndjson'));
  const at = (published: string, i: number) => json({ ...okta, uuid: `t-${i}`, published }, i);

  it('Okta: years 0001 and 9999 kept exactly, a leap second folded onto .999, offsets honoured', () => {
    const times = [
      '0001-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2016-12-31T23:59:60Z',
      '1969-12-31T23:59:59Z',
      '2026-03-29T02:30:00+01:00',
    ];
    expect(outcomes('okta', times.map(at))).toEqual([
      '0001-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2016-12-31T23:59:59.999Z',
      '1969-12-31T23:59:59.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
  });

  it('Okta: a time past year 9999 after its offset, or not a time, is rejected with the reason', () => {
    expect(outcomes('okta', ['9999-12-31T23:30:00-01:00', 'yesterday'].map(at))).toEqual([
      'rejected: user.account.privilege.grant: published unreadable (time out of range: "9999-12-31T23:30:00-01:00" is outside years 0000-9999): expected ISO 8601 UTC time',
      'rejected: user.account.privilege.grant: published unreadable (not an ISO 8601 time: "yesterday"): expected ISO 8601 UTC time',
    ]);
  });

  it('Teleport: epoch seconds and ms read, zero and negative epochs (Go zero time) rejected', () => {
    const teleport = JSON.parse(firstLine('teleport/audit.log'));
    const times = [1767225600, 1767225600123, -1, 1e20];
    const items = times.map((time, i) => json({ ...teleport, uid: `t-${i}`, time }, i));
    expect(outcomes('teleport', items)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.123Z',
      'rejected: time unusable: "-1" is Go\'s zero time',
      'rejected: time unusable: time out of range: epoch ms value 100000000000000000000 is outside years 0000-9999',
    ]);
  });

  describe('Jira CSV (zone-less times) across the Berlin DST changes', () => {
    const rows: string[][] = parse(
      readFileSync(path.join(fixturesDir, 'jira', 'issue-search-export-all-fields.csv')),
      { bom: true },
    );
    const [header, first] = rows;
    const created = header.indexOf('Created');
    const csvWith = (values: string[]) =>
      stringify([
        header,
        ...values.map((value, i) =>
          first.map((cell, c) =>
            c === created ? value : c === header.indexOf('Issue key') ? `ACC-${900 + i}` : cell,
          ),
        ),
      ]);

    it('without a zone: every zone-less time rejected, saying the zone is unknown', async () => {
      const dir = writeInputs({ 'jira.csv': csvWith(['25/Oct/26 2:30 AM']) });
      const result = await importFiles([dir]);
      expect(result.accounting[0]).toMatchObject({
        importer: 'jira-csv',
        read: 1,
        normalized: 0,
        rejected: 1,
      });
      expect(result.rejected[0].reason).toBe(
        'Created "25/Oct/26 2:30 AM" unreadable: time "25/Oct/26 2:30 AM" has no offset and no timezone is configured (expected d/MMM/yy h:mm a)',
      );
    });

    it('with Europe/Berlin: the skipped hour rejected, the repeated hour read as its first instant', async () => {
      const dir = writeInputs({
        'jira.csv': csvWith(['29/Mar/26 2:30 AM', '25/Oct/26 2:30 AM', '28/Mar/26 11:59 PM']),
      });
      const result = await importFiles([dir], { timezone: 'Europe/Berlin' });
      expect(result.accounting[0]).toMatchObject({ read: 3, rejected: 1 });
      expect(result.rejected[0]).toMatchObject({ locator: 'row 1' });
      expect(result.rejected[0].reason).toMatch(
        /local time 2026-03-29 02:30:00 does not exist in Europe\/Berlin \(DST gap\)/,
      );
      const createdAt = (row: string) =>
        result.events
          .filter((e) => e.source.locator === row && e.stage === 'request')
          .map((e) => e.at);
      expect(createdAt('row 2')).toEqual(['2026-10-25T00:30:00.000Z']);
      expect(createdAt('row 3')).toEqual(['2026-03-28T22:59:00.000Z']);
    });
  });
});

describe('event types never seen before', () => {
  it('are ignored and counted by their own name where the importer maps kinds', () => {
    const cases: [string, { record: RawRecord }, string][] = [
      [
        'okta',
        json({
          ...JSON.parse(firstLine('okta/admin-roles-tokens.ndjson')),
          eventType: 'x.never.seen',
        }),
        'x.never.seen',
      ],
      [
        'teleport',
        json({
          ...JSON.parse(firstLine('teleport/audit.log')),
          event: 'x.never.seen',
          code: 'X0000I',
        }),
        'x.never.seen',
      ],
      [
        'vault',
        json({ ...JSON.parse(firstLine('vault/audit.log')), type: 'never-seen' }),
        'never-seen',
      ],
      [
        'cyberark',
        line(
          firstLine('cyberark/vault-cef-syslog.log')
            .replace('|391|Confirm Request|', '|999|Never Seen|')
            .replace('act=Confirm Request', 'act=Never Seen'),
        ),
        '999 Never Seen',
      ],
    ];
    for (const [id, item, kind] of cases) {
      const result = importItems(importer(id), [item]);
      expect({ id, ...result.accounting.ignoredByKind }).toEqual({ id, [kind]: 1 });
      expect(result.accounting).toMatchObject({ read: 1, normalized: 0, ignored: 1, rejected: 0 });
    }
  });

  it('are kept as activity under their own name where every record of the source is activity', () => {
    const cases: [string, { record: RawRecord }, string][] = [
      [
        'aws-cloudtrail',
        json({
          ...JSON.parse(firstLine('aws-cloudtrail/siem-export.ndjson')),
          eventName: 'NeverSeenBefore',
        }),
        'NeverSeenBefore',
      ],
      [
        'delinea',
        line(
          firstLine('delinea/secret-server-syslog.log').replace(
            '|10004|SECRET - VIEW|',
            '|19999|SECRET - NEVERSEEN|',
          ),
        ),
        'SECRET - NEVERSEEN',
      ],
      [
        'beyondtrust',
        json({
          ...JSON.parse(firstLine('beyondtrust/pra-access-sessions.ndjson')),
          event_type: 'Never Seen',
        }),
        'Never Seen',
      ],
    ];
    for (const [id, item, action] of cases) {
      const result = importItems(importer(id), [item], { timezone: 'UTC' });
      expect({ id, actions: result.events.map((e) => `${e.stage}:${e.action}`) }).toEqual({
        id,
        actions: [`activity:${action}`],
      });
      expect(result.accounting).toMatchObject({ read: 1, normalized: 1, ignored: 0, rejected: 0 });
    }
  });
});
