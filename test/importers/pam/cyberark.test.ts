// The `cyberark` importer over our own fixtures: every lifecycle stage, exact events, each quirk.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cyberarkLines } from '../../../src/importers/pam/cyberark/index.js';
import type { TimelineEvent } from '../../../src/model/event.js';
import { lineRecords, readText, repoRoot, runImporter } from '../common/harness.js';

const elasticFile = 'fixtures/cyberark/vault-elastic-lifecycle.log';
const cefFile = 'fixtures/cyberark/vault-cef-syslog.log';
const cefContext = {
  exportContext: { timezone: 'Europe/Berlin', closedAt: '2025-03-31T22:00:00Z' },
};

/** An event without the run-specific id and file hash, keeping the locator. */
function plain(event: TimelineEvent): Record<string, unknown> {
  const { id: _id, source, ...rest } = event;
  return { ...rest, locator: source.locator };
}

function byLine(events: TimelineEvent[], line: number): Record<string, unknown> {
  const found = events.find((e) => e.source.locator === `line ${line}`);
  if (!found) throw new Error(`no event for line ${line}`);
  return plain(found);
}

const NORA = {
  id: 'WinDomainAdmins/Root\\Operating System-WinDomain-corp.example.com-adm.nora',
  raw: 'Root\\Operating System-WinDomain-corp.example.com-adm.nora',
  kind: 'account',
  name: 'adm.nora@corp.example.com',
};
const MARIA = { id: 'maria.keller', raw: 'maria.keller', kind: 'unknown' };
const SESSION = '4f1e9c1a-0001-4abc-9def-000000000101';

describe('cyberark: elastic JSON lifecycle fixture', () => {
  const result = runImporter(
    cyberarkLines,
    elasticFile,
    readText(path.join(repoRoot, elasticFile)),
  );
  const events = result.events;

  it('accounts for every line', () => {
    expect(result.accounting).toMatchObject({ read: 21, normalized: 20, ignored: 1, rejected: 0 });
    expect(result.accounting.ignoredByKind).toEqual({ '180 Add User': 1 });
  });

  it('dual-control request, confirmation and rejection carry the RequestId as grant key', () => {
    expect(byLine(events, 1)).toEqual({
      at: '2025-03-03T08:02:11.000Z',
      stage: 'request',
      actor: MARIA,
      subject: MARIA,
      target: NORA,
      tickets: ['CHG0034567'],
      grantKey: '7781',
      reason: 'CHG0034567 patch domain controllers',
      action: 'Request Access',
      outcome: 'success',
      summary:
        'Request Access [390] by maria.keller on adm.nora@corp.example.com in safe WinDomainAdmins',
      locator: 'line 1',
    });
    expect(byLine(events, 2)).toMatchObject({
      stage: 'approval',
      actor: { id: 'tom.berger' },
      subject: MARIA,
      grantKey: '7781',
      tickets: ['CHG0034567'],
    });
    expect(byLine(events, 13)).toMatchObject({
      at: '2025-03-04T08:01:00.000Z',
      stage: 'denial',
      actor: { id: 'tom.berger' },
      subject: { id: 'lukas.vogel' },
      grantKey: '7790',
      reason: 'use the break-fix procedure',
    });
  });

  it('retrieve password is the issuance of the credential, keyed by the request', () => {
    expect(byLine(events, 3)).toEqual({
      at: '2025-03-03T08:12:05.000Z',
      stage: 'issuance',
      actor: MARIA,
      subject: MARIA,
      target: NORA,
      tickets: ['CHG0034567'],
      grantKey: '7781',
      reason: 'CHG0034567 patch domain controllers',
      action: 'Retrieve password',
      outcome: 'success',
      summary:
        'Retrieve password [295] by maria.keller on adm.nora@corp.example.com in safe WinDomainAdmins',
      locator: 'line 3',
    });
  });

  it('copy password (PvwaDetails) is an issuance keyed by safe + file, without the PVWA marker as reason', () => {
    const event = byLine(events, 4);
    expect(event).toMatchObject({
      stage: 'issuance',
      grantKey: 'WinDomainAdmins/Root\\Operating System-WinDomain-corp.example.com-adm.nora',
      summary: expect.stringContaining('(Copy Password)'),
    });
    expect(event.reason).toBeUndefined();
  });

  it('use password is issuance; PSM connect / disconnect are a session linked by SessionID', () => {
    expect(byLine(events, 5)).toMatchObject({
      stage: 'issuance',
      action: 'Use Password',
      reason: 'CHG0034567',
    });
    expect(byLine(events, 6)).toEqual({
      at: '2025-03-03T08:13:02.000Z',
      stage: 'session-start',
      actor: MARIA,
      subject: MARIA,
      target: NORA,
      tickets: ['CHG0034567'],
      grantKey: '7781',
      sessionId: SESSION,
      reason: 'CHG0034567',
      action: 'PSM Connect',
      outcome: 'success',
      summary:
        'PSM Connect [300] by maria.keller on adm.nora@corp.example.com in safe WinDomainAdmins',
      locator: 'line 6',
    });
    expect(byLine(events, 9)).toMatchObject({
      at: '2025-03-03T08:38:32.000Z',
      stage: 'session-end',
      sessionId: SESSION,
      durationSeconds: 1530,
    });
  });

  it('keystrokes and window titles are activity of the session, without the typed text', () => {
    const keys = byLine(events, 7);
    expect(keys).toMatchObject({
      stage: 'activity',
      sessionId: SESSION,
      action: 'Keystroke logging',
    });
    expect(JSON.stringify(keys)).not.toContain('Restart-Service');
    expect(byLine(events, 8)).toMatchObject({ stage: 'activity', sessionId: SESSION });
  });

  it('CPM change after use is a revocation; a failed change is a failed revocation', () => {
    expect(byLine(events, 10)).toEqual({
      at: '2025-03-03T09:40:00.000Z',
      stage: 'revocation',
      actor: { id: 'PasswordManager', raw: 'PasswordManager', kind: 'service' },
      target: NORA,
      tickets: [],
      grantKey: 'WinDomainAdmins/Root\\Operating System-WinDomain-corp.example.com-adm.nora',
      reason: 'Change after use',
      action: 'CPM Change Password',
      outcome: 'success',
      summary:
        'CPM Change Password [24] by PasswordManager on adm.nora@corp.example.com in safe WinDomainAdmins',
      locator: 'line 10',
    });
    expect(byLine(events, 11)).toMatchObject({
      stage: 'revocation',
      outcome: 'failure',
      action: 'CPM Change Password Failed',
    });
  });

  it('safe member add / update / remove are a standing grant to SourceUser', () => {
    const member = { id: 'lukas.vogel', raw: 'lukas.vogel', kind: 'unknown' };
    const safe = { id: 'LinuxRoot', raw: 'LinuxRoot', kind: 'safe' };
    expect(byLine(events, 14)).toEqual({
      at: '2025-03-05T10:00:00.000Z',
      stage: 'issuance',
      actor: { id: 'vault.admin', raw: 'vault.admin', kind: 'unknown' },
      subject: member,
      target: safe,
      tickets: ['CHG0034612'],
      grantKey: 'LinuxRoot/member:lukas.vogel',
      reason: 'CHG0034612 on-call rotation',
      action: 'Add Owner',
      outcome: 'success',
      summary: 'Add Owner [32] by vault.admin for lukas.vogel on LinuxRoot',
      locator: 'line 14',
    });
    expect(byLine(events, 15)).toMatchObject({
      stage: 'context',
      subject: member,
      grantKey: 'LinuxRoot/member:lukas.vogel',
    });
    expect(byLine(events, 16)).toMatchObject({
      stage: 'revocation',
      subject: member,
      grantKey: 'LinuxRoot/member:lukas.vogel',
    });
  });

  it('Vault logon / logoff are a session on the Vault; authentication failure fails', () => {
    const vault = { id: 'VAULT01', raw: 'VAULT01', kind: 'application' };
    expect(byLine(events, 17)).toMatchObject({
      stage: 'session-start',
      outcome: 'success',
      target: vault,
      subject: MARIA,
    });
    expect(byLine(events, 18)).toMatchObject({ stage: 'session-end', target: vault });
    expect(byLine(events, 19)).toMatchObject({
      stage: 'session-start',
      outcome: 'failure',
      action: 'User Authentication',
    });
  });

  it('a Credential Provider retrieval is issued to a service identity', () => {
    expect(byLine(events, 20)).toMatchObject({
      stage: 'issuance',
      subject: { id: 'Prov_APP01', kind: 'service' },
      target: { name: 'root@db07.corp.example.com' },
    });
  });
});

describe('cyberark quirks', () => {
  const line = (text: string, settings = {}) =>
    runImporter(cyberarkLines, 'q.log', text, settings, lineRecords(text));
  const record = (fields: Record<string, unknown>) =>
    JSON.stringify({
      format: 'elastic',
      version: '1.0',
      syslog: {
        audit_record: {
          MessageID: '300',
          Action: 'PSM Connect',
          Issuer: 'ann',
          Safe: 'S',
          File: 'Root\\f',
          ...fields,
        },
      },
    });

  it('IsoTimestamp wins over the local Timestamp even when a zone is configured', () => {
    const text = record({ IsoTimestamp: '2021-03-11T17:38:20Z', Timestamp: 'Mar 11 09:38:20' });
    const result = line(text, {
      timezone: 'Europe/Berlin',
      exportContext: { closedAt: '2021-12-31T00:00:00Z' },
    });
    expect(result.events[0].at).toBe('2021-03-11T17:38:20.000Z');
  });

  it('without IsoTimestamp the local Timestamp needs a zone and a year, never UTC by default', () => {
    const text = record({ Timestamp: 'Mar 11 09:38:20' });
    expect(line(text).rejected[0].reason).toMatch(/timezone unknown/);
    const dated = line(text, {
      timezone: 'America/Los_Angeles',
      exportContext: { closedAt: '2021-04-01T00:00:00Z' },
    });
    expect(dated.events[0].at).toBe('2021-03-11T17:38:20.000Z');
  });

  it('mixed framings in one stream: bare, RFC 5424 and BSD all parse', () => {
    const body = record({ IsoTimestamp: '2021-03-11T17:38:20Z' });
    const text = [
      body,
      `<5>1 2021-03-11T17:38:20Z VAULT ${body}`,
      `Mar 11 17:38:20 VAULT ${body}`,
    ].join('\n');
    const result = line(text);
    expect(result.accounting).toMatchObject({ read: 3, normalized: 3, rejected: 0 });
    expect(result.events.map((e) => e.at)).toEqual(Array(3).fill('2021-03-11T17:38:20.000Z'));
  });

  it('ExtraDetails: \\; and \\= are escaped separators, not pair boundaries', () => {
    const text = record({
      IsoTimestamp: '2021-03-11T17:38:20Z',
      ExtraDetails: 'Command=echo a\\=b \\; ls;SessionID=s-1;User=root\\;x;DstHost=h1;',
    });
    const event = line(text).events[0];
    expect(event.sessionId).toBe('s-1');
    expect(event.target?.name).toBe('root;x@h1');
  });

  it('CAProperties with a single property as a bare object is read like an array', () => {
    const text = record({
      IsoTimestamp: '2021-03-11T17:38:20Z',
      CAProperties: { CAProperty: { Name: 'Address', Value: 'db01.example.com' } },
      ExtraDetails: 'User=admin2;',
    });
    expect(line(text).events[0].target?.name).toBe('admin2@db01.example.com');
  });

  it('CEF escapes: \\= in reason, \\\\ and bare backslashes in names, labelled ticket and request ids', () => {
    const result = runImporter(
      cyberarkLines,
      cefFile,
      readText(path.join(repoRoot, cefFile)),
      cefContext,
    );
    expect(result.accounting).toMatchObject({ read: 6, normalized: 6, rejected: 0 });
    const [confirm, retrieve, connect, disconnect, reconcile, pta] = result.events.map(plain);
    expect(confirm).toMatchObject({
      at: '2025-03-03T08:28:45.000Z',
      stage: 'approval',
      actor: { id: 'tom.berger' },
      subject: { id: 'BANK\\jonas.weber', raw: 'BANK\\jonas.weber' },
      grantKey: '7802',
      tickets: ['INC0051234'],
    });
    expect(retrieve).toEqual({
      at: '2025-03-03T08:30:00.000Z',
      stage: 'issuance',
      actor: { id: 'BANK\\jonas.weber', raw: 'BANK\\jonas.weber', kind: 'unknown' },
      subject: { id: 'BANK\\jonas.weber', raw: 'BANK\\jonas.weber', kind: 'unknown' },
      target: {
        id: 'WinDomainAdmins/Root\\Operating System-WinDomain-corp.example.com-adm.jonas',
        raw: 'Root\\Operating System-WinDomain-corp.example.com-adm.jonas',
        kind: 'account',
        name: 'adm.jonas',
      },
      tickets: ['INC0051234'],
      grantKey: '7802',
      reason: 'INC0051234 restore share a=b',
      action: 'Retrieve password',
      outcome: 'success',
      summary: 'Retrieve password [295] by BANK\\jonas.weber on adm.jonas in safe WinDomainAdmins',
      locator: 'line 2',
    });
    // RFC 5424 header with an offset: exact without any zone; BSD lines read in Europe/Berlin.
    expect(connect).toMatchObject({
      at: '2025-03-03T08:31:10.000Z',
      stage: 'session-start',
      sessionId: '9a8b7c6d-0002-4000-8000-000000000202',
    });
    // Unescaped backslashes (BANK\jonas.weber, Root\Operating) give the same ids as escaped ones.
    expect(disconnect).toMatchObject({
      at: '2025-03-03T08:43:14.000Z',
      stage: 'session-end',
      actor: { id: 'BANK\\jonas.weber' },
      target: { id: 'WinDomainAdmins/Root\\Operating System-WinDomain-corp.example.com-adm.jonas' },
      sessionId: '9a8b7c6d-0002-4000-8000-000000000202',
      durationSeconds: 724,
    });
    expect(reconcile).toMatchObject({ stage: 'revocation', action: 'CPM Reconcile Password' });
    expect(pta).toMatchObject({
      at: '2025-03-03T10:02:00.000Z',
      stage: 'context',
      target: { id: 'dc02.corp.example.com', kind: 'host' },
    });
  });

  it('rejects broken lines loudly and keeps going', () => {
    const good = record({ IsoTimestamp: '2021-03-11T17:38:20Z' });
    const text = [
      '{"format":"elastic", broken',
      'just some text',
      '',
      'Mar 11 17:38:20 h CEF:0|Other|Thing|1|1|n|1|a=b',
      good,
    ].join('\n');
    const result = line(text, {
      timezone: 'UTC',
      exportContext: { closedAt: '2021-12-31T00:00:00Z' },
    });
    expect(result.accounting).toMatchObject({ read: 5, normalized: 1, ignored: 1, rejected: 3 });
    expect(result.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^invalid JSON/),
      expect.stringMatching(/expected a CyberArk audit record/),
      expect.stringMatching(/CEF vendor "Other": expected Cyber-Ark/),
    ]);
  });
});
