// Bug case bug-14: CyberArk CEF over BSD syslog, no zone or year in the header, year rollover.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cyberarkLines } from '../../../src/importers/pam/cyberark/index.js';
import type { ExportContext } from '../../../src/importers/types.js';
import { readText, runImporter, sharedDir } from '../common/harness.js';

const dir = path.join(sharedDir, 'bugcases/bug-14');
const logName = 'cyberark-vault-syslog.log';

/** export-context.json as written beside the bug input, mapped onto the ExportContext fields. */
function exportContext(): ExportContext {
  const raw = JSON.parse(readFileSync(path.join(dir, 'export-context.json'), 'utf8')) as Record<
    string,
    string
  >;
  return {
    timezone: raw.source_timezone ?? raw.timezone,
    closedAt: raw.file_closed_at ?? raw.closedAt,
  };
}

describe.skipIf(!existsSync(dir))('bug-14: BSD syslog time without zone or year', () => {
  const content = existsSync(dir) ? readText(path.join(dir, logName)) : '';

  it('with the declared zone and the file close year gives the expected UTC instants', () => {
    const result = runImporter(cyberarkLines, logName, content, { exportContext: exportContext() });
    expect(result.accounting).toMatchObject({ read: 3, normalized: 3, rejected: 0 });

    const [retrieve, connect, disconnect] = result.events;
    expect([retrieve.action, retrieve.at, retrieve.stage]).toEqual([
      'Retrieve password',
      '2025-01-01T06:58:40.000Z',
      'issuance',
    ]);
    expect([connect.action, connect.at, connect.stage]).toEqual([
      'PSM Connect',
      '2025-01-01T07:03:12.000Z',
      'session-start',
    ]);
    expect([disconnect.action, disconnect.at, disconnect.stage]).toEqual([
      'PSM Disconnect',
      '2025-01-01T07:41:55.000Z',
      'session-end',
    ]);

    // The session lasted 38 min 43 s; the retrieval preceded it by 4 min 32 s.
    const ms = (at: string) => Date.parse(at);
    expect((ms(disconnect.at) - ms(connect.at)) / 1000).toBe(38 * 60 + 43);
    expect((ms(connect.at) - ms(retrieve.at)) / 1000).toBe(4 * 60 + 32);
    expect(connect.sessionId).toBe('77b2c1d0-fict-4e1a-9c3b-000000005e55');
    expect(disconnect.sessionId).toBe(connect.sessionId);
    expect(retrieve.tickets).toEqual(['INC0019011']);
  });

  it('the config zone serves when the export context only gives the close time', () => {
    const { closedAt } = exportContext();
    const result = runImporter(cyberarkLines, logName, content, {
      timezone: 'America/Denver',
      exportContext: { closedAt },
    });
    expect(result.events.map((e) => e.at)).toEqual([
      '2025-01-01T06:58:40.000Z',
      '2025-01-01T07:03:12.000Z',
      '2025-01-01T07:41:55.000Z',
    ]);
  });

  it('without a declared zone every record is rejected as zone unknown, never read as UTC', () => {
    const { closedAt } = exportContext();
    const result = runImporter(cyberarkLines, logName, content, { exportContext: { closedAt } });
    expect(result.accounting).toMatchObject({ read: 3, normalized: 0, rejected: 3 });
    for (const rejected of result.rejected) {
      expect(rejected.reason).toMatch(
        /^timezone unknown: time "(Dec 31|Jan  1) \d\d:\d\d:\d\d" carries no zone/,
      );
      expect(rejected.reason).toMatch(/assumed zone/);
    }
  });

  it('without the close time the year is unknown and the records are rejected, never the run year', () => {
    const { timezone } = exportContext();
    const result = runImporter(cyberarkLines, logName, content, { timezone });
    expect(result.accounting).toMatchObject({ read: 3, normalized: 0, rejected: 3 });
    expect(result.rejected.map((r) => r.reason)).toEqual(
      Array(3).fill(expect.stringMatching(/^year unknown: .*closedAt/)),
    );
  });
});
