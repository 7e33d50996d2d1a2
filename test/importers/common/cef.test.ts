// The shared CEF parser: header escapes, extension splitting, value escapes and labelled fields.
import { describe, expect, it } from 'vitest';
import {
  cefLabeled,
  cefName,
  cefValue,
  findCefStart,
  parseCef,
  unescapeCefValue,
} from '../../../src/importers/common/cef.js';
import { parseCefTime } from '../../../src/importers/common/cef-time.js';

describe('parseCef', () => {
  it('splits the seven header fields on unescaped pipes only', () => {
    const cef = parseCef('CEF:0|Acme\\|Corp|Vault\\\\X|1.0|42|Name with \\| pipe|5|act=x');
    expect(cef).toMatchObject({
      version: '0',
      vendor: 'Acme|Corp',
      product: 'Vault\\X',
      deviceVersion: '1.0',
      signatureId: '42',
      name: 'Name with | pipe',
      severity: '5',
    });
    expect(cef.extensions).toEqual({ act: 'x' });
  });

  it('keeps unescaped spaces inside values and ends a value at the next key', () => {
    const cef = parseCef('CEF:0|V|P|1|1|n|1|msg=hello big world src=10.0.0.1 cs3=Operating System');
    expect(cef.extensions).toEqual({
      msg: 'hello big world',
      src: '10.0.0.1',
      cs3: 'Operating System',
    });
  });

  it('applies \\= \\\\ \\n \\r escapes and does not start a key at an escaped equals sign', () => {
    const cef = parseCef('CEF:0|V|P|1|1|n|1|reason=a\\=b c\\\\d line1\\nline2 suser=x');
    expect(cef.extensions.reason).toBe('a=b c\\d line1\nline2');
    expect(cef.extensions.suser).toBe('x');
    expect(cef.rawExtensions.reason).toBe('a\\=b c\\\\d line1\\nline2');
  });

  it('reads empty values as empty and drops the padding before the next key', () => {
    const cef = parseCef('CEF:0|V|P|1|1|n|1|dvc= shost=h1 msg=text  suid=2');
    expect(cef.extensions).toEqual({ dvc: '', shost: 'h1', msg: 'text', suid: '2' });
    expect(cefValue(cef, 'dvc')).toBeUndefined();
  });

  it('tolerates unescaped backslashes in names (DOMAIN\\user) and keeps them literal', () => {
    const escaped = parseCef('CEF:0|V|P|1|1|n|1|suser=BANK\\\\nora duser=BANK\\\\asmith');
    const unescaped = parseCef('CEF:0|V|P|1|1|n|1|suser=BANK\\nora duser=BANK\\asmith');
    expect(cefName(escaped, 'suser')).toBe('BANK\\nora');
    expect(cefName(unescaped, 'suser')).toBe('BANK\\nora');
    expect(cefName(escaped, 'duser')).toBe('BANK\\asmith');
    expect(cefName(unescaped, 'duser')).toBe('BANK\\asmith');
  });

  it('finds labelled custom fields by label, ignoring quotes and case', () => {
    const cef = parseCef(
      'CEF:0|Cyber-Ark|Vault|1|295|r|5|cs2Label="Safe Name" cs2=Win Admins cn1Label="Request Id" cn1=12 ' +
        'deviceCustomDate1Label=detectionDate deviceCustomDate1=1388577900000 cs4Label=ExternalLink cs4=None',
    );
    expect(cefLabeled(cef, 'Safe Name')).toBe('Win Admins');
    expect(cefLabeled(cef, 'request id')).toBe('12');
    expect(cefLabeled(cef, 'DetectionDate')).toBe('1388577900000');
    expect(cefLabeled(cef, 'ExternalLink')).toBeUndefined();
  });

  it('rejects a header with missing fields', () => {
    expect(() => parseCef('CEF:0|V|P|1|1')).toThrow(/header has 4 of 7/);
    expect(() => parseCef('LEEF:1.0|V|P|1|1|')).toThrow(/CEF:/);
  });

  it('locates CEF after a syslog header but not inside a word', () => {
    expect(findCefStart('Jan  1 00:03:12 vault01 CEF:0|Cyber-Ark|Vault|')).toBe(24);
    expect(findCefStart('CEF:0|x')).toBe(0);
    expect(findCefStart('XCEF:0|x')).toBe(-1);
  });

  it('unescapeCefValue keeps a trailing lone backslash', () => {
    expect(unescapeCefValue('C:\\')).toBe('C:\\');
  });
});

describe('parseCefTime', () => {
  it('reads epoch ms exactly and MMM dd yyyy HH:mm:ss in the declared zone', () => {
    expect(new Date(parseCefTime('1388577900000', {})).toISOString()).toBe(
      '2014-01-01T12:05:00.000Z',
    );
    expect(
      new Date(parseCefTime('Nov 10 2022 13:13:23', { zone: 'America/New_York' })).toISOString(),
    ).toBe('2022-11-10T18:13:23.000Z');
    expect(new Date(parseCefTime('Nov 10 2022 13:13:23 UTC', {})).toISOString()).toBe(
      '2022-11-10T13:13:23.000Z',
    );
  });

  it('refuses a zone-less time without a declared zone', () => {
    expect(() => parseCefTime('Nov 10 2022 13:13:23', {})).toThrow(/timezone unknown/);
    expect(() => parseCefTime('2022-11-10 13:13:23', {})).toThrow(/timezone unknown/);
    expect(() => parseCefTime('yesterday', { zone: 'UTC' })).toThrow(/unreadable CEF time/);
  });
});
