// Record-level quirks: containers, times, failures, de-duplication and refusals with reasons.
import { describe, expect, it } from 'vitest';
import { runFiles, runRecords } from './support.js';
import type { RawRecord } from '../../../../src/read/record.js';

const call = (fields: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  eventTime: '2026-02-01T12:00:00Z',
  eventSource: 'sts.amazonaws.com',
  eventName: 'GetCallerIdentity',
  eventID: 'quirk-1',
  recipientAccountId: '204060801234',
  userIdentity: {
    type: 'IAMUser',
    arn: 'arn:aws:iam::204060801234:user/ivan',
    userName: 'ivan',
    accessKeyId: 'AKIAFICTIVAN00000001',
  },
  ...fields,
});

describe('aws-cloudtrail record containers', () => {
  it('reads an event-history item by parsing CloudTrailEvent a second time', () => {
    const item = {
      EventId: 'quirk-1',
      EventName: 'GetCallerIdentity',
      CloudTrailEvent: JSON.stringify(call()),
    };
    const { events } = runRecords([item]);
    expect(events.map((e) => [e.at, e.stage, e.actor?.id, e.grantKey, e.source.locator])).toEqual([
      [
        '2026-02-01T12:00:00.000Z',
        'activity',
        'arn:aws:iam::204060801234:user/ivan',
        'AKIAFICTIVAN00000001',
        '/0',
      ],
    ]);
  });

  it('rejects an event-history item whose CloudTrailEvent is not JSON, and keeps going', () => {
    const result = runRecords([
      { EventId: 'x', CloudTrailEvent: '{"eventVersion": "1.08", broken' },
      call(),
    ]);
    expect(result.rejected).toEqual([
      {
        file: 'fixtures/aws-cloudtrail/inline.json',
        locator: '/0',
        reason: 'CloudTrailEvent is not valid JSON: expected the event as a JSON string',
      },
    ]);
    expect(result.accounting).toMatchObject({ read: 2, normalized: 1, rejected: 1 });
  });

  it('reads the event under `detail` of an EventBridge envelope', () => {
    const envelope = {
      version: '0',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.sts',
      detail: call(),
    };
    expect(runRecords([envelope]).events[0]).toMatchObject({
      action: 'GetCallerIdentity',
      at: '2026-02-01T12:00:00.000Z',
    });
  });

  it('accepts Logstash @timestamp (milliseconds) in place of eventTime', () => {
    const { eventTime: _dropped, ...rest } = call();
    const { events } = runRecords([
      { ...rest, '@timestamp': '2026-02-01T12:00:00.123Z', '@version': '1' },
    ]);
    expect(events[0].at).toBe('2026-02-01T12:00:00.123Z');
  });

  it('rejects what is not a CloudTrail event, naming what was expected', () => {
    const result = runRecords([{ hello: 'world' }, 42]);
    expect(result.rejected.map((r) => r.reason)).toEqual([
      'not a CloudTrail event: expected eventName and eventSource',
      'not a JSON object: expected a CloudTrail event',
    ]);
  });
});

describe('aws-cloudtrail times', () => {
  it('rejects a record without eventTime', () => {
    const { eventTime: _dropped, ...rest } = call();
    expect(runRecords([rest]).rejected[0].reason).toBe(
      'eventTime missing: expected ISO 8601 UTC time',
    );
  });

  it('rejects an unparseable eventTime, never substituting another time', () => {
    const result = runRecords([call({ eventTime: 'yesterday' })]);
    expect(result.events).toEqual([]);
    expect(result.rejected[0].reason).toBe('not an ISO 8601 time: "yesterday"');
  });

  it('reads an eventTime that lost its Z as UTC (CloudTrail defines the zone)', () => {
    expect(runRecords([call({ eventTime: '2026-02-01T12:00:00' })]).events[0].at).toBe(
      '2026-02-01T12:00:00.000Z',
    );
  });

  it('rejects an issuance whose expiration text cannot be read', () => {
    const assume = call({
      eventName: 'AssumeRole',
      requestParameters: { roleArn: 'arn:aws:iam::204060801234:role/R', roleSessionName: 's' },
      responseElements: {
        credentials: { accessKeyId: 'ASIAFICT0000000000AA', expiration: 'soon' },
      },
    });
    expect(runRecords([assume]).rejected[0].reason).toMatch(
      /^credential expiration "soon" is not a date/,
    );
  });
});

describe('aws-cloudtrail failures are never grants', () => {
  it('a failed AssumeRole issues nothing: failed activity with the caller key, not the issued one', () => {
    const assume = call({
      eventName: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage: 'not authorized to perform: sts:AssumeRole',
      requestParameters: {
        roleArn: 'arn:aws:iam::204060801234:role/ProdAdmin',
        roleSessionName: 'try',
      },
    });
    const [event] = runRecords([assume]).events;
    expect(event).toMatchObject({
      stage: 'activity',
      outcome: 'failure',
      grantKey: 'AKIAFICTIVAN00000001',
      target: { id: 'arn:aws:iam::204060801234:role/ProdAdmin', kind: 'role' },
      summary: 'ivan failed AssumeRole on ProdAdmin: AccessDenied',
    });
    expect(event.expiresAt).toBeUndefined();
  });

  it('an assignment request reported FAILED is failed activity', () => {
    const assignment = call({
      eventSource: 'sso.amazonaws.com',
      eventName: 'CreateAccountAssignment',
      requestParameters: {
        targetId: '204060801234',
        permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
        principalType: 'USER',
        principalId: 'u-9',
      },
      responseElements: { accountAssignmentCreationStatus: { status: 'FAILED', requestId: 'r-1' } },
    });
    expect(runRecords([assignment]).events[0]).toMatchObject({
      stage: 'activity',
      outcome: 'failure',
    });
  });
});

describe('aws-cloudtrail de-duplication', () => {
  it('ignores a repeated eventID within a file and across files of one run', () => {
    const json = (value: unknown, locator: string): RawRecord => ({
      locator,
      data: { kind: 'json', value },
    });
    const file = (name: string, records: RawRecord[]) => ({
      info: { path: name, sha256: 'a'.repeat(64), size: 1 },
      contentSha256: 'a'.repeat(64),
      text: '',
      records,
    });
    const { files } = runFiles([
      file('a.json', [json(call(), '/0'), json(call(), '/1')]),
      file('b.json', [json(call(), '/0'), json(call({ eventID: 'quirk-2' }), '/1')]),
    ]);
    expect(files.map((f) => [f.accounting.normalized, f.accounting.ignoredByKind])).toEqual([
      [1, { duplicate: 1 }],
      [1, { duplicate: 1 }],
    ]);
  });

  it('a record rejected for a bad time does not hide a later good copy', () => {
    const result = runRecords([call({ eventTime: 'bad' }), call()]);
    expect(result.accounting).toMatchObject({ normalized: 1, rejected: 1, ignored: 0 });
  });
});
