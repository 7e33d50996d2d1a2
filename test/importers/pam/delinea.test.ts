// The `delinea` and `delinea-json` importers over our fixtures: every stage, exact events, quirks.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { delineaJson, delineaLines } from '../../../src/importers/pam/delinea/index.js';
import { parseSecretServerMessage } from '../../../src/importers/pam/delinea/msg.js';
import type { TimelineEvent } from '../../../src/model/event.js';
import type { RawRecord } from '../../../src/read/record.js';
import { lineRecords, readText, repoRoot, runImporter } from '../common/harness.js';

const syslogFile = 'fixtures/delinea/secret-server-syslog.log';
const ndjsonFile = 'fixtures/delinea/secret-server-elastic.ndjson';
const wrapperFile = 'fixtures/delinea/secret-server-elastic-wrapper.json';
const newYork = { timezone: 'America/New_York' };

function plain(event: TimelineEvent): Record<string, unknown> {
  const { id: _id, source, ...rest } = event;
  return { ...rest, locator: source.locator };
}

const SECRET = {
  id: 'secret/341',
  raw: 'Core Banking DB sa - bank\\sqladmin',
  kind: 'secret',
  name: 'Core Banking DB sa - bank\\sqladmin',
};
const JDOE = { id: 'BANK\\jdoe', raw: 'BANK\\jdoe', kind: 'unknown' };

describe('delinea: syslog fixture', () => {
  const result = runImporter(
    delineaLines,
    syslogFile,
    readText(path.join(repoRoot, syslogFile)),
    newYork,
  );
  const line = (n: number) => plain(result.events.find((e) => e.source.locator === `line ${n}`)!);

  it('accounts for every line; non-secret events are ignored by name', () => {
    expect(result.accounting).toMatchObject({ read: 10, normalized: 9, ignored: 1, rejected: 0 });
    expect(result.accounting.ignoredByKind).toEqual({ 'USER - LOGIN': 1 });
  });

  it('SECRET - VIEW is activity on the secret, rt read in the configured zone', () => {
    expect(line(1)).toEqual({
      at: '2026-02-04T13:15:01.000Z',
      stage: 'activity',
      actor: { id: 'BANK\\asmith', raw: 'BANK\\asmith', kind: 'unknown' },
      subject: { id: 'BANK\\asmith', raw: 'BANK\\asmith', kind: 'unknown' },
      target: SECRET,
      tickets: [],
      grantKey: 'secret/341',
      action: 'SECRET - VIEW',
      outcome: 'success',
      summary:
        'SECRET - VIEW [10004] by BANK\\asmith on Core Banking DB sa - bank\\sqladmin in folder Payments DBA',
      locator: 'line 1',
    });
  });

  it('access request, approval (approver with UPN) and checkout form one grant', () => {
    expect(line(2)).toEqual({
      at: '2026-02-04T14:00:11.000Z',
      stage: 'request',
      actor: JDOE,
      subject: JDOE,
      target: SECRET,
      tickets: ['CHG0045678'],
      grantKey: 'secret/341',
      reason: 'CHG0045678 apply index patch',
      action: 'SECRET - ACCESS_REQUESTED',
      outcome: 'success',
      summary:
        'SECRET - ACCESS_REQUESTED [10045] by BANK\\jdoe on Core Banking DB sa - bank\\sqladmin in folder Payments DBA',
      locator: 'line 2',
    });
    expect(line(3)).toMatchObject({
      at: '2026-02-04T14:07:39.000Z',
      stage: 'approval',
      actor: { id: 'mlee@bank.example.com', raw: 'BANK\\mlee@bank.example.com' },
      subject: JDOE,
      grantKey: 'secret/341',
      tickets: ['CHG0045678'],
    });
    expect(line(4)).toMatchObject({
      at: '2026-02-04T14:08:29.000Z',
      stage: 'issuance',
      action: 'SECRET - CHECKOUT',
      subject: JDOE,
    });
  });

  it('password displayed is issuance; launch is a session start; check-in is revocation', () => {
    expect(line(5)).toMatchObject({
      stage: 'issuance',
      action: 'SECRET - PASSWORD_DISPLAYED',
      grantKey: 'secret/341',
    });
    // rt wins over the RFC 5424 header (which is 1 s later, the send time).
    expect(line(6)).toMatchObject({
      at: '2026-02-04T14:09:19.000Z',
      stage: 'session-start',
      action: 'SECRET - LAUNCH',
    });
    expect(line(7)).toMatchObject({
      at: '2026-02-04T15:31:04.000Z',
      stage: 'revocation',
      action: 'SECRET - CHECKIN',
    });
  });

  it('a denied request of a service account', () => {
    expect(line(8)).toMatchObject({
      stage: 'request',
      subject: { id: 'BANK\\svc-reporting', kind: 'service' },
    });
    expect(line(9)).toMatchObject({
      stage: 'denial',
      actor: { id: 'mlee@bank.example.com' },
      subject: { id: 'BANK\\svc-reporting' },
      reason: 'service accounts use the API',
    });
  });
});

describe('delinea quirks', () => {
  const cef = (ext: string) =>
    `Nov 10 13:13:32 SS01 CEF:0|Thycotic Software|Secret Server|11.3.000001|10004|SECRET - VIEW|2|${ext}`;
  const run = (text: string, settings = {}) =>
    runImporter(delineaLines, 'q.log', text, settings, lineRecords(text));

  it('domain\\user with escaped and unescaped backslashes gives one identity (also \\n and \\r)', () => {
    const base = 'rt=Nov 10 2022 13:13:23 fname=S fileId=1';
    const text = [
      cef(`suser=BANK\\\\nora ${base}`),
      cef(`suser=BANK\\nora ${base}`),
      cef(`suser=BANK\\\\rita ${base}`),
      cef(`suser=BANK\\rita ${base}`),
    ].join('\n');
    const ids = run(text, newYork).events.map((e) => e.actor?.id);
    expect(ids).toEqual(['BANK\\nora', 'BANK\\nora', 'BANK\\rita', 'BANK\\rita']);
  });

  it('rt without a zone is rejected when no zone is declared, never taken as UTC', () => {
    const result = run(cef('suser=a rt=Nov 10 2022 13:13:23 fname=S fileId=1'));
    expect(result.accounting).toMatchObject({ read: 1, normalized: 0, rejected: 1 });
    expect(result.rejected[0].reason).toMatch(
      /^timezone unknown: time "Nov 10 2022 13:13:23" carries no zone/,
    );
  });

  it('the secret comes from msg when fname/fileId are absent; msg may end with two spaces', () => {
    const msg =
      'msg=[[SecretServer]] Event: [Secret] Action: [View] By User: U.Admin Item Name: Admin - example\\adminuser (Item Id: 12) Container Name: Admin User (Container Id: 11)  suid=2';
    const event = run(cef(`${msg} rt=Nov 10 2022 13:13:23`), { timezone: 'UTC' }).events[0];
    expect(event.target).toEqual({
      id: 'secret/12',
      raw: 'Admin - example\\adminuser',
      kind: 'secret',
      name: 'Admin - example\\adminuser',
    });
    expect(event.actor?.id).toBe('U.Admin');
  });

  it('parses the msg fields', () => {
    expect(
      parseSecretServerMessage(
        '[[SecretServer]] Event: [Secret] Action: [Password Displayed] By User: BANK\\jdoe Item Name: X - y (Item Id: 7) Container Name: F (Container Id: 3)',
      ),
    ).toEqual({
      event: 'Secret',
      action: 'Password Displayed',
      byUser: 'BANK\\jdoe',
      itemName: 'X - y',
      itemId: '7',
      containerName: 'F',
      containerId: '3',
    });
  });

  it('JSON lines holding the CEF text in message are read by the lines importer', () => {
    const result = runImporter(
      delineaLines,
      ndjsonFile,
      readText(path.join(repoRoot, ndjsonFile)),
      newYork,
    );
    expect(result.accounting).toMatchObject({ read: 2, normalized: 2, rejected: 0 });
    expect(result.events.map((e) => [e.at, e.stage, e.actor?.id])).toEqual([
      ['2026-02-05T15:20:10.000Z', 'activity', 'BANK\\rkhan'],
      ['2026-02-05T15:20:59.000Z', 'issuance', 'BANK\\rkhan'],
    ]);
  });

  it('rejects other vendors and unparsable CEF, keeps going', () => {
    const text = [
      'CEF:0|Cyber-Ark|Vault|1|295|r|5|a=b',
      'CEF:0|Thycotic Software|Secret',
      cef('suser=a rt=Nov 10 2022 13:13:23 fileId=4'),
    ].join('\n');
    const result = run(text, newYork);
    expect(result.accounting).toMatchObject({ read: 3, normalized: 1, rejected: 2 });
    expect(result.rejected[0].reason).toMatch(/expected Thycotic Software\|Secret Server/);
    expect(result.rejected[1].reason).toMatch(/CEF header has/);
  });
});

describe('delinea-json: Elastic wrapper', () => {
  const content = readText(path.join(repoRoot, wrapperFile));

  it('reads wrapper entries handed over one by one (locator /events/N)', () => {
    const result = runImporter(delineaJson, wrapperFile, content, newYork);
    expect(result.accounting).toMatchObject({ read: 2, normalized: 2, rejected: 0 });
    expect(result.events.map((e) => [e.source.locator, e.at, e.stage])).toEqual([
      ['/events/0', '2026-02-05T15:39:59.000Z', 'issuance'],
      ['/events/1', '2026-02-05T16:09:59.000Z', 'revocation'],
    ]);
  });

  it('reads the whole wrapper handed over as one record, with sub-locators', () => {
    const records: RawRecord[] = [
      { locator: '', data: { kind: 'json', value: JSON.parse(content) } },
    ];
    const result = runImporter(delineaJson, wrapperFile, content, newYork, records);
    expect(result.accounting).toMatchObject({ read: 1, normalized: 1, rejected: 0 });
    expect(result.events.map((e) => e.source.locator)).toEqual(['/events/0', '/events/1']);
  });

  it('one bad entry rejects the wrapper record, naming the entry', () => {
    const value = JSON.parse(content) as { events: unknown[] };
    value.events.push({ event: { original: 'not cef' } });
    const records: RawRecord[] = [{ locator: '', data: { kind: 'json', value } }];
    const result = runImporter(delineaJson, wrapperFile, content, newYork, records);
    expect(result.accounting).toMatchObject({ read: 1, normalized: 0, rejected: 1 });
    expect(result.rejected[0].reason).toMatch(/^\/events\/2: expected a Secret Server CEF message/);
  });
});
