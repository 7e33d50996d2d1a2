// Reusable stories: a clean JIT grant (ticket, approval, IdP membership, STS session, removal).
import type { Timeline } from './timeline.js';

export interface CleanOptions {
  ticket?: string;
  day?: string;
  subject?: string;
  approver?: string;
}

/** Jira ACC-1 requested and approved, Okta membership 10:00-12:00, an STS key used twice. */
export function cleanGrant(t: Timeline, options: CleanOptions = {}): void {
  const ticket = options.ticket ?? 'ACC-1';
  const day = options.day ?? '2026-03-02';
  const subject = options.subject ?? 'alice@bank.example';
  t.add(`${ticket}-request`, {
    at: `${day}T09:00:00Z`,
    stage: 'request',
    importer: 'jira',
    actor: subject,
    subject,
    target: 'AWS Prod Admins',
    targetName: 'AWS Prod Admins',
    tickets: [ticket],
  });
  t.add(`${ticket}-approval`, {
    at: `${day}T09:30:00Z`,
    stage: 'approval',
    importer: 'jira',
    actor: options.approver ?? 'bob@bank.example',
    tickets: [ticket],
  });
  t.add(`${ticket}-okta-add`, {
    at: `${day}T10:00:00Z`,
    stage: 'issuance',
    importer: 'okta',
    actor: 'carol@bank.example',
    subject,
    target: 'AWS Prod Admins',
    targetName: 'AWS Prod Admins',
  });
  t.add(`${ticket}-sts`, {
    at: `${day}T10:05:00Z`,
    stage: 'issuance',
    importer: 'aws-cloudtrail',
    action: 'AssumeRoleWithSAML',
    subject: `AROAEXAMPLEROLEID01:${subject}`,
    target: 'arn:aws:iam::111122223333:role/ProdAdmin',
    grantKey: `ASIA${ticket.replace('-', '')}`,
    expiresAt: `${day}T11:05:00Z`,
  });
  t.add(`${ticket}-call-1`, {
    at: `${day}T10:10:00Z`,
    stage: 'activity',
    importer: 'aws-cloudtrail',
    action: 'DescribeInstances',
    subject: `AROAEXAMPLEROLEID01:${subject}`,
    grantKey: `ASIA${ticket.replace('-', '')}`,
  });
  t.add(`${ticket}-call-2`, {
    at: `${day}T10:20:00Z`,
    stage: 'activity',
    importer: 'aws-cloudtrail',
    action: 'StopInstances',
    subject: `AROAEXAMPLEROLEID01:${subject}`,
    grantKey: `ASIA${ticket.replace('-', '')}`,
  });
  t.add(`${ticket}-okta-remove`, {
    at: `${day}T12:00:00Z`,
    stage: 'revocation',
    importer: 'okta',
    actor: 'carol@bank.example',
    subject,
    target: 'AWS Prod Admins',
    targetName: 'AWS Prod Admins',
  });
}
