import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  ConfigError,
  defaultConfig,
  formatIsoDuration,
  loadConfig,
  parseConfigText,
  parseDuration,
  periodEnd,
  periodStart,
} from '../../src/config/index.js';

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['8h', 28_800_000],
    ['3d', 259_200_000],
    ['2w', 1_209_600_000],
    ['1h30m', 5_400_000],
    ['PT8H', 28_800_000],
    ['PT1M30S', 90_000],
    ['P3D', 259_200_000],
    ['P1DT12H', 129_600_000],
    ['pt2m', 120_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(['8 hours', '8', 'P1M', 'P1Y', 'PT', 'P', '', '-5m', 'h8'])('%j is refused', (text) => {
    expect(() => parseDuration(text)).toThrow(/expected a duration like 90s/);
  });

  test('ISO formatting round-trips', () => {
    for (const text of ['PT8H', 'P3D', 'PT1M30S', 'P1DT2H'])
      expect(formatIsoDuration(parseDuration(text))).toBe(text);
    expect(formatIsoDuration(0)).toBe('PT0S');
  });
});

describe('config', () => {
  test('defaults follow design.md section 8', () => {
    const config = defaultConfig();
    expect(config.policy.maxTtl).toBe(8 * 3_600_000);
    expect(config.policy.clockSkew).toBe(120_000);
    expect(config.policy.approvalValidity).toBe(86_400_000);
    expect(config.policy.breakGlass).toEqual({
      markers: ['break-glass', 'emergency'],
      reviewWithin: 72 * 3_600_000,
    });
    expect(config.policy.requireTicket).toBe(true);
    expect(config.sources).toEqual([]);
  });

  test('the design example parses, with importers and sources kept as given', () => {
    const config = parseConfigText(`
period: { since: 2026-01-01, until: 2026-03-31 }
timezone: Europe/Berlin
sources:
  - { path: exports/servicenow/, importer: servicenow }
identities:
  - { id: alice, aliases: [alice@bank.example, ASMITH], kind: human }
  - { id: deploy-bot, kind: service, owner: alice }
targets:
  - { id: prod-admin, aliases: ["arn:aws:iam::111122223333:role/ProdAdmin"], critical: true, maxTtl: 4h, approvers: [bob, carol] }
policy:
  maxTtl: 8h
  coverage: { maxSilence: { aws-cloudtrail: 2h } }
rules: { clock-skew: { severity: low }, review-overdue: off }
importers:
  jira: { approverFields: [Approver, Approvers], dateFormat: d/MMM/yy h:mm a }
`);
    expect(config.period).toEqual({ since: '2026-01-01', until: '2026-03-31' });
    expect(config.sources).toEqual([{ path: 'exports/servicenow/', importer: 'servicenow' }]);
    expect(config.targets[0].maxTtl).toBe(4 * 3_600_000);
    expect(config.policy.coverage.maxSilence).toEqual({ 'aws-cloudtrail': 7_200_000 });
    expect(config.rules).toEqual({ 'clock-skew': { severity: 'low' }, 'review-overdue': 'off' });
    expect(config.importers.jira).toEqual({
      approverFields: ['Approver', 'Approvers'],
      dateFormat: 'd/MMM/yy h:mm a',
    });
  });

  test('a bad config names every bad key path and what was expected', () => {
    let error: unknown;
    try {
      parseConfigText(
        `
timezone: Mars/Base
policy: { maxTtl: 8 hours, clockSkew: 120, requireTicket: yes, bogus: 1 }
rules: { clock-skew: { severity: tiny }, not-a-rule: high }
targets:
  - { id: prod-admin, aliases: [ProdAdmin] }
  - { id: other, aliases: [prodadmin] }
  - { aliases: [x] }
`,
        'bad.yaml',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.path).sort();
    expect(problems).toEqual([
      'policy.bogus',
      'policy.clockSkew',
      'policy.maxTtl',
      'policy.requireTicket',
      'rules.clock-skew.severity',
      'rules.not-a-rule',
      'targets[1].aliases[0]',
      'targets[2].id',
      'timezone',
    ]);
    const message = (error as ConfigError).message;
    expect(message).toContain('bad.yaml');
    expect(message).toContain('policy.maxTtl: expected a duration like 90s');
    expect(message).toContain('policy.requireTicket: a boolean, got a string');
    expect(message).toContain(
      'rules.clock-skew.severity: one of "low", "medium", "high", "critical"',
    );
    expect(message).toContain('"prodadmin" already names prod-admin');
  });

  test('loadConfig reads JSON and YAML files, and reports unreadable ones', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ policy: { clockSkew: '30s' } }));
    expect((await loadConfig(path.join(dir, 'c.json'))).policy.clockSkew).toBe(30_000);
    writeFileSync(path.join(dir, 'c.yaml'), 'policy:\n  clockSkew: [oops\n');
    await expect(loadConfig(path.join(dir, 'c.yaml'))).rejects.toThrow(/valid YAML or JSON/);
    await expect(loadConfig(path.join(dir, 'missing.yaml'))).rejects.toThrow(ConfigError);
  });

  test('period bounds: a bare date is the whole day in the zone', () => {
    expect(periodStart('2026-03-02')).toBe('2026-03-02T00:00:00.000Z');
    expect(periodEnd('2026-03-31')).toBe('2026-03-31T23:59:59.999Z');
    expect(periodStart('2026-03-02', 'Europe/Berlin')).toBe('2026-03-01T23:00:00.000Z');
    // 2026-03-29 is the 23-hour day of the Berlin DST change.
    expect(periodEnd('2026-03-29', 'Europe/Berlin')).toBe('2026-03-29T21:59:59.999Z');
    expect(periodEnd('2026-03-31T12:00:00Z')).toBe('2026-03-31T12:00:00.000Z');
  });
});
