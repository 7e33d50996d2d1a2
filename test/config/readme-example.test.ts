// The configuration example in the README must be a config the tool accepts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { repoRoot } from '../helpers/paths.js';

describe('README configuration example', () => {
  it('parses with the documented values', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const yaml = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const config = parseConfigText(yaml ?? '', 'README.md');
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.targets[0]).toMatchObject({
      id: 'prod-admin',
      critical: true,
      approvers: ['bob', 'carol'],
    });
    expect(config.identities.map((i) => i.id)).toEqual(['alice', 'deploy-bot']);
  });
});

describe('period dates in the config', () => {
  it('names a date that does not exist', () => {
    expect(() =>
      parseConfigText('period: { since: 2025-02-30, until: 2026-13-01 }', 'c.yaml'),
    ).toThrow(/period\.since: expected a real date[\s\S]*period\.until: expected a real date/);
  });
});
