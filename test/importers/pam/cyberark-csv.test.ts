// The `cyberark-csv` importer (Sentinel CyberArk_AuditEvents_CL export) over our fixture and quirks.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cyberarkCsv } from '../../../src/importers/pam/cyberark/index.js';
import { parseCustomData } from '../../../src/importers/pam/cyberark/from-csv.js';
import type { RawRecord } from '../../../src/read/record.js';
import { readText, repoRoot, runImporter } from '../common/harness.js';

const file = 'fixtures/cyberark/sentinel-audit-events.csv';

describe('cyberark-csv: Sentinel fixture', () => {
  const result = runImporter(cyberarkCsv, file, readText(path.join(repoRoot, file)));
  const row = (n: number) => result.events.find((e) => e.source.locator === `row ${n}`)!;

  it('accounts for every row; an unmapped platform code is ignored by code and name', () => {
    expect(result.accounting).toMatchObject({ read: 9, normalized: 8, ignored: 1, rejected: 0 });
    expect(result.accounting.ignoredByKind).toEqual({ 'IDP1101 Application updated': 1 });
  });

  it('rows out of time order keep their own times; retrieval precedes the PSM session', () => {
    expect([row(3).stage, row(3).at]).toEqual(['issuance', '2026-02-10T08:59:30.000Z']);
    expect([row(4).stage, row(4).at]).toEqual(['session-start', '2026-02-10T09:01:30.000Z']);
    expect([row(1).stage, row(1).at]).toEqual(['session-end', '2026-02-10T09:20:00.000Z']);
  });

  it('PSM rows take the session id and duration from customData.new_target', () => {
    const { id: _id, source: _source, ...end } = row(1);
    expect(end).toEqual({
      at: '2026-02-10T09:20:00.000Z',
      stage: 'session-end',
      actor: { id: 'sofia.russo@example.com', raw: 'sofia.russo@example.com', kind: 'unknown' },
      subject: { id: 'sofia.russo@example.com', raw: 'sofia.russo@example.com', kind: 'unknown' },
      target: {
        id: 'App-Admins/adm_sofia@app09.corp.example.com',
        raw: 'adm_sofia@app09.corp.example.com',
        kind: 'account',
        name: 'adm_sofia@app09.corp.example.com',
      },
      tickets: [],
      sessionId: '5c6d7e8f-0009-4000-8000-000000000009',
      durationSeconds: 1110,
      action: 'PSM Disconnect',
      outcome: 'success',
      summary:
        'PSM Disconnect [PAM00302] by sofia.russo@example.com on adm_sofia@app09.corp.example.com in safe App-Admins',
    });
    expect(row(4).sessionId).toBe('5c6d7e8f-0009-4000-8000-000000000009');
  });

  it('identity login with MultiAuth, CPM rotation by a NON_HUMAN identity, SIA sessions by column', () => {
    expect(row(5)).toMatchObject({
      stage: 'session-start',
      mfa: true,
      subject: { kind: 'human' },
      sessionId: 'aa11bb22-0001-4000-8000-000000000001',
    });
    expect(row(6)).toMatchObject({
      stage: 'revocation',
      actor: { id: 'PasswordManager', kind: 'service' },
    });
    expect(row(7)).toMatchObject({
      stage: 'session-start',
      sessionId: '0f1e2d3c-0003-4000-8000-000000000003',
      target: { id: 'ops@lnx-api03.corp.example.com' },
    });
    expect(row(8)).toMatchObject({
      stage: 'session-end',
      sessionId: '0f1e2d3c-0003-4000-8000-000000000003',
    });
    expect(row(3)).toMatchObject({ tickets: ['CHG0051200'], reason: 'CHG0051200 hotfix deploy' });
  });
});

describe('cyberark-csv quirks', () => {
  it('customData in its three shapes gives the same map', () => {
    const flat = '{"target":"t1","new_target":"SessionID=s1;"}';
    const nestedNameFirst =
      '{"nested_items":[{"name":"target","value":"t1"},{"name":"new_target","value":"SessionID=s1;"}]}';
    const nestedValueFirst =
      '{"nested_items":[{"value":"t1","name":"target"},{"value":"SessionID=s1;","name":"new_target"}]}';
    const pretty = '{ "target" : "t1", "new_target" : "SessionID=s1;" }';
    const expected = { target: 't1', new_target: 'SessionID=s1;' };
    for (const shape of [flat, nestedNameFirst, nestedValueFirst, pretty])
      expect(parseCustomData(shape)).toEqual(expected);
  });

  it('keeps non-ASCII and JSON-escaped backslashes', () => {
    expect(
      parseCustomData('{"ephemeral_user":"CORP\\\\eph_grace01","logondomain":"MÜNCHEN"}'),
    ).toEqual({
      ephemeral_user: 'CORP\\eph_grace01',
      logondomain: 'MÜNCHEN',
    });
  });

  it('rejects a row whose customData is not JSON, naming the column', () => {
    const headers = [
      'TimeGenerated',
      'auditCode',
      'action',
      'customData',
      'applicationCode',
      'username',
      'safe',
      'targetAccount',
      'target',
    ];
    const records: RawRecord[] = [
      {
        locator: 'row 1',
        data: {
          kind: 'csv',
          row: {
            headers,
            cells: [
              '2026-01-01T00:00:00Z',
              'PAM00300',
              'PSM Connect',
              '{"new_target": broken',
              'PAM',
              'a@example.com',
              'S',
              'acc',
              'h',
            ],
          },
        },
      },
      {
        locator: 'row 2',
        data: {
          kind: 'csv',
          row: {
            headers,
            cells: [
              'not a time',
              'PAM00300',
              'PSM Connect',
              '',
              'PAM',
              'a@example.com',
              'S',
              'acc',
              'h',
            ],
          },
        },
      },
    ];
    const result = runImporter(cyberarkCsv, 'x.csv', 'x', {}, records);
    expect(result.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^customData is not valid JSON/),
      expect.stringMatching(/not an ISO 8601 time/),
    ]);
  });
});
