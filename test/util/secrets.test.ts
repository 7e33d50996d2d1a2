// Tests for secret masking: credentials masked, identifiers that look similar left intact.
import { describe, expect, it } from 'vitest';
import { hasSecret, maskSecrets } from '../../src/util/secrets.js';

// Invented key material of the real shapes (never real credentials).
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEHwaCXVzLWVhc3QtMSJHMEUCIQDExampleSessionTokenValue0123456789abcdefGHIJKLmnopQRSTuvwxYZ/+9876543210zyxw';
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZUBiYW5rLmV4YW1wbGUiLCJleHAiOjE3NjcyMjU2MDB9.c2lnbmF0dXJlLWV4YW1wbGUtb25seQ';
const PEM =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAexampleexampleexample\nQUJDREVGR0g=\n-----END RSA PRIVATE KEY-----';

describe('maskSecrets masks', () => {
  it.each([
    [
      'an AWS secret access key',
      `aws_secret_access_key=${AWS_SECRET}`,
      'aws_secret_access_key=[REDACTED]',
    ],
    ['a bare AWS secret access key', `key ${AWS_SECRET} pasted`, 'key [REDACTED] pasted'],
    ['an STS session token', `sessionToken: ${SESSION_TOKEN}`, 'sessionToken: [REDACTED]'],
    ['a bare session token', `use ${SESSION_TOKEN} now`, 'use [REDACTED] now'],
    ['a PEM private key', `here:\n${PEM}\nthanks`, 'here:\n[REDACTED PRIVATE KEY]\nthanks'],
    [
      'a PEM key cut before its end',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      '[REDACTED PRIVATE KEY]',
    ],
    ['a JWT', `id_token ${JWT} end`, 'id_token [REDACTED JWT] end'],
    ['a GitHub token', 'ghp_0123456789abcdefABCDEF0123456789abcd', '[REDACTED TOKEN]'],
    ['a Slack token', 'xoxb-123456789012-abcdefghijkl', '[REDACTED TOKEN]'],
    [
      'a Vault token',
      'client_token hvs.CAESIExampleVaultTokenValue0123',
      'client_token [REDACTED TOKEN]',
    ],
    [
      'an Okta SSWS header',
      'Authorization: SSWS 00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd',
      'Authorization: SSWS [REDACTED]',
    ],
    ['a bearer token', 'Bearer abcDEF123456ghiJKL', 'Bearer [REDACTED]'],
    ['a base64url key', 'key q3Vx9-LmZ2pR7tYw8aBc4dEf5GhJkN6oPsT1uWx', 'key [REDACTED]'],
    [
      'password=',
      'restart with password=Sup3r$ecret! please',
      'restart with password=[REDACTED] please',
    ],
    [
      'a quoted JSON secret',
      '{"client_secret": "s3cr3t-value"}',
      '{"client_secret": "[REDACTED]"}',
    ],
    ['secret: and token=', 'secret: hunter22 token=abc123', 'secret: [REDACTED] token=[REDACTED]'],
    ['a password written in words', 'the password is Winter2026!', 'the password is [REDACTED]'],
    ['a German Kennwort', 'Kennwort: Fruehling#2026', 'Kennwort: [REDACTED]'],
  ])('%s', (_name, input, expected) => {
    expect(maskSecrets(input)).toBe(expected);
    expect(hasSecret(input)).toBe(true);
  });
});

describe('maskSecrets leaves identifiers intact', () => {
  it.each([
    ['ticket keys', 'ACC-123 CHG0030101 RITM0012345 INC0051234'],
    [
      'ARNs',
      'arn:aws:iam::204060801234:role/service-role/AWSCodePipelineServiceRole-eu-central-1-deploy',
    ],
    [
      'an SSO role ARN',
      'arn:aws:sts::204060801234:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@bank.example',
    ],
    [
      'an SSO role name with its hex suffix',
      'arn:aws:iam::204060801234:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ProdOperator_99aa88bb77cc66dd',
    ],
    [
      'a CloudFormation-generated role name',
      'arn:aws:sts::123456789123:assumed-role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0/i-0317f6c6b66ae9c40',
    ],
    [
      'a generated role name alone',
      'credentials for MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0 until 07:10',
    ],
    [
      'a summary naming a password by its owner',
      'christophe failed DeleteLoginProfile on console password: christophe:login-profile',
    ],
    ['an event name that contains token', 'Okta system.api_token.create: jack@acme.io test_key'],
    [
      'AWS access key ids',
      'AKIAFICTCIRUNNER0001 ASIAFICTDEPLOYER0001 AROAFICTDEPLOYER0001:pipeline-4711',
    ],
    ['e-mail addresses', 'Alice.Smith@Bank.example approved for omar.haddad@bank.example'],
    ['UUIDs', '0f1c2d3e-4a5b-4c6d-8e7f-000000000082'],
    [
      'ServiceNow sys_ids and hex hashes',
      'b7e4a1c2d3f44a5b9c8d7e6f5a4b3c21 sha256 02e34223b48ef75960d12fea7bd6eccf1f649881e2af1c269566e4fda6ee4135',
    ],
    [
      'Vault HMAC values',
      'token hmac-sha256:5694d08a2e53ffcae0c3103e5ad6f6076abd960eb1f8a56577040bc1028f702b',
    ],
    ['CloudTrail placeholders', 'sessionToken HIDDEN_DUE_TO_SECURITY_REASONS'],
    [
      'names of secrets',
      'accessKeyId=AKIAFICTCIRUNNER0001 token_type=default secret_name=prod/db password_last_changed=2026-01-01',
    ],
    ['Okta ids', '00u1omar0EXAMPLE02 0oa1b2c3d4e5f6g7h8i9 Xz0qQ7ybI7zSA-xv3nmQGwAAAM8'],
    ['Vault paths and lease ids', 'database/creds/prod-readonly/2f6a4b1c9d8e7f6a5b4c3d2e'],
    ['plain sentences about passwords', 'CPM Change Password on root@paygw02: password rotated'],
    ['a Windows path', 'Root\\Operating System-WinDomain-corp.example.com-adm.jonas'],
  ])('%s', (_name, input) => {
    expect(maskSecrets(input)).toBe(input);
  });
});

describe('maskSecrets memo', () => {
  // A random run that only the randomRuns rule masks: the memo must keep the two answers apart.
  const RANDOM_RUN = 'lease 9fQz7LmW2xR4tY8pK3nB6vC1dS5gH0jAa';

  it('answers each option on its own, in either order, however often asked', () => {
    const withRuns = maskSecrets(RANDOM_RUN);
    const withoutRuns = maskSecrets(RANDOM_RUN, { randomRuns: false });
    expect(withRuns).toBe('lease [REDACTED]');
    expect(withoutRuns).toBe(RANDOM_RUN);
    for (let i = 0; i < 3; i += 1) {
      expect(maskSecrets(RANDOM_RUN, { randomRuns: false })).toBe(RANDOM_RUN);
      expect(maskSecrets(RANDOM_RUN)).toBe('lease [REDACTED]');
    }
  });

  it('stays right after the memo fills and is cleared', () => {
    for (let i = 0; i < 25_000; i += 1) maskSecrets(`ordinary summary number ${i}`);
    expect(maskSecrets(`password=${'Hunter2x'}`)).toBe('password=[REDACTED]');
    expect(maskSecrets(RANDOM_RUN)).toBe('lease [REDACTED]');
  });
});
