import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Identity } from '../../src/model/event.js';
import { identityForms } from '../../src/resolve/forms.js';
import { Resolver } from '../../src/resolve/resolver.js';

const config = parseConfig({
  identities: [
    { id: 'alice', aliases: ['alice@bank.example', 'ASMITH'], kind: 'human' },
    { id: 'nadia', aliases: ['nadia.okafor@corp.example'] },
    { id: 'deploy-bot', kind: 'service' },
  ],
  targets: [
    {
      id: 'prod-admin',
      aliases: ['arn:aws:iam::111122223333:role/ProdAdmin', 'okta:AWS Prod Admins'],
    },
    {
      id: 'sso-admin',
      aliases: ['arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0a1b2c3d4e5f6a7b'],
    },
  ],
});

const person = (raw: string, kind: Identity['kind'] = 'unknown'): Identity => ({
  id: raw,
  raw,
  kind,
});

describe('identity resolution', () => {
  test.each([
    ['alice@bank.example', 'okta', 'alice'],
    ['Alice@Bank.Example', 'okta', 'alice'],
    ['BANK\\asmith', 'cyberark', 'alice'],
    ['CORP\\\\asmith', 'cyberark', 'alice'],
    [
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0a1b2c3d4e5f6a7b/alice@bank.example',
      'aws-cloudtrail',
      'alice',
    ],
    ['assumed-role/AWSReservedSSO_ReadOnly_99/ASMITH', 'aws-cloudtrail', 'alice'],
    ['AROAEXAMPLEROLEID01:alice@bank.example', 'aws-cloudtrail', 'alice'],
    ['oidc-alice@bank.example', 'vault', 'alice'],
    ['ldap-asmith', 'vault', 'alice'],
    ['nadia.okafor@corp.example', 'aws-cloudtrail', 'nadia'],
  ])('%s (%s) resolves to %s', (raw, importer, expected) => {
    const resolver = new Resolver(config);
    expect(resolver.identity(person(raw), importer).id).toBe(expected);
  });

  test('the Vault prefix is only stripped for Vault records', () => {
    const resolver = new Resolver(config);
    expect(resolver.identity(person('ldap-asmith'), 'okta').id).toBe('ldap-asmith');
  });

  test('config kind overrides the importer kind', () => {
    const resolver = new Resolver(config);
    expect(resolver.identity(person('deploy-bot', 'human'), 'aws-cloudtrail')).toEqual({
      id: 'deploy-bot',
      raw: 'deploy-bot',
      kind: 'service',
    });
  });

  test('unresolved identities keep their normalized id and are listed', () => {
    const resolver = new Resolver(config);
    const events = [
      person('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_1/Zoe@Bank.Example'),
      person('BANK\\JDoe'),
      person('svc-backup'),
    ].map((subject, i) => ({
      id: `e${i}`,
      at: '2026-03-02T10:00:00.000Z',
      stage: 'activity' as const,
      tickets: [],
      action: 'x',
      outcome: 'success' as const,
      summary: '',
      subject,
      source: { importer: 'aws-cloudtrail', file: 'f', sha256: '0'.repeat(64), locator: `/${i}` },
    }));
    const result = resolver.resolveAll(events);
    expect(result.events.map((e) => e.subject?.id)).toEqual([
      'zoe@bank.example',
      'bank\\jdoe',
      'svc-backup',
    ]);
    expect(result.events.map((e) => e.subject?.raw)).toEqual([
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_1/Zoe@Bank.Example',
      'BANK\\JDoe',
      'svc-backup',
    ]);
    expect(result.unresolvedIdentities).toEqual(['bank\\jdoe', 'svc-backup', 'zoe@bank.example']);
  });

  test('forms: a plain assumed-role session without an e-mail keeps the full ARN', () => {
    expect(
      identityForms(
        'arn:aws:sts::1:assumed-role/Deploy/i-0abc',
        'arn:aws:sts::111122223333:assumed-role/Deploy/i-0abc',
        'aws-cloudtrail',
      ).normalized,
    ).toBe('arn:aws:sts::111122223333:assumed-role/Deploy/i-0abc');
  });
});

describe('target resolution', () => {
  test.each([
    [
      { id: 'okta:AWS Prod Admins', raw: '00g1', kind: 'group', name: 'AWS Prod Admins' },
      'okta',
      'prod-admin',
    ],
    [{ id: 'AWS Prod Admins', raw: 'AWS Prod Admins', kind: 'access' }, 'okta', 'prod-admin'],
    [
      { id: 'arn:aws:sts::111122223333:assumed-role/ProdAdmin/alice', raw: 'x', kind: 'role' },
      'aws-cloudtrail',
      'prod-admin',
    ],
    [
      {
        id: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_Admin_0a1b2c3d4e5f6a7b',
        raw: 'x',
        kind: 'role',
      },
      'aws-cloudtrail',
      'sso-admin',
    ],
  ])('%j (%s) resolves to %s', (target, importer, expected) => {
    expect(new Resolver(config).target(target, importer).id).toBe(expected);
  });

  test('a Jira free-text target does not match an alias scoped to another system', () => {
    const resolver = new Resolver(config);
    expect(
      resolver.target({ id: 'AWS Prod Admins', raw: 'AWS Prod Admins', kind: 'access' }, 'jira').id,
    ).toBe('AWS Prod Admins');
  });
});
