// Files read in worker threads give exactly what the main thread gives: counts, rejects, notes,
// duplicates across files, and every event.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { ImportPool } from '../../src/pipeline/import-pool.js';
import {
  ImportError,
  importPaths,
  unreadable,
  type ImportResult,
} from '../../src/pipeline/import.js';
import { Resolver } from '../../src/resolve/resolver.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'dora-workers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const config = ConfigSchema.parse({
  identities: [{ id: 'alice', kind: 'human', aliases: ['arn:aws:iam::111122223333:user/alice'] }],
});

/** Imports as `build` does, with `threads` workers (0: all on the main thread). */
async function importWith(paths: string[], threads: number) {
  const resolver = new Resolver(config);
  const log: string[] = [];
  const result = await importPaths(paths, {
    log: (message) => log.push(message),
    spill: {
      resolve: (event) => resolver.resolveEvent(event),
      // A small buffer, so the activity spills to sorted runs on disk in both ways.
      store: { limitBytes: 256 * 1024, tempDir: scratch },
      parallel: {
        config,
        threads,
        minBytes: 0,
        minMeanFileBytes: 0,
        absorbUnresolved: (unresolved) => resolver.absorbUnresolved(unresolved),
      },
    },
  });
  const activity = [...(result.activity?.lines() ?? [])].map((line) => line.json);
  const views = [...(result.activity?.views() ?? [])];
  result.activity?.close();
  const inWorkers = log.find((line) => line.includes('worker threads'));
  return { result, activity, views, unresolved: resolver.resolveAll([]), inWorkers };
}

function comparable(imported: Awaited<ReturnType<typeof importWith>>) {
  const { result, activity, views, unresolved } = imported;
  const { events, accounting, rejected, notes, unrecognized, inputs, firstIgnored } =
    result as ImportResult;
  return {
    events,
    accounting,
    rejected,
    firstIgnored,
    notes,
    unrecognized,
    inputs: inputs.map((input) => [input.file.displayPath, input.sha256, input.importer]),
    activity,
    views,
    unresolved,
  };
}

function call(id: string, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::111122223333:user/${id.startsWith('b') ? 'bob' : 'alice'}`,
      accountId: '111122223333',
      userName: id.startsWith('b') ? 'bob' : 'alice',
    },
    eventTime: '2026-03-02T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'eu-central-1',
    sourceIPAddress: '10.0.0.1',
    requestParameters: { bucketName: 'ledger' },
    responseElements: null,
    eventID: `${id.padStart(8, '0')}-0000-4000-8000-000000000000`,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    ...extra,
  };
}

/** An S3 tree: a large file, copies of its events in a later file, bad records, damage. */
function writeTree(): string {
  const root = path.join(scratch, 'AWSLogs');
  const day = path.join(root, '111122223333/CloudTrail/eu-central-1/2026/03/02');
  mkdirSync(day, { recursive: true });
  const name = (n: number) =>
    path.join(day, `111122223333_CloudTrail_eu-central-1_2026030${n}T1000Z_Abc${n}.json.gz`);
  const big = Array.from({ length: 6000 }, (_, i) =>
    call(String(i), { eventTime: new Date(Date.UTC(2026, 2, 2, 10, 0, i % 60, i)).toISOString() }),
  );
  // The second file repeats 500 events of the first, has a copy inside itself, one event with
  // a bad time (rejected, and its copy in the third file is rejected too: only accepted ids
  // make duplicates) and a role assumption (an issuance, not activity).
  const second = [
    ...big.slice(100, 600),
    call('a1'),
    call('a1'),
    call('a1', { eventName: 'DeleteTrail' }),
    call('a2', { eventTime: 'yesterday' }),
    call('a3', {
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/admin', roleSessionName: 'x' },
    }),
  ];
  // An exact copy of an accepted event is a duplicate; a bad copy is rejected; an altered copy
  // is kept beside the first and noted as a failed integrity check.
  const third = [
    call('a2', { eventTime: 'yesterday' }),
    call('b7'),
    call('a1'),
    call('5', { eventTime: 'yesterday' }),
    call('7', {
      eventName: 'StopLogging',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory' },
    }),
  ];
  writeFileSync(name(1), gzipSync(JSON.stringify({ Records: big })));
  writeFileSync(name(2), gzipSync(JSON.stringify({ Records: second })));
  writeFileSync(name(3), gzipSync(JSON.stringify({ Records: third })));
  // Cut in its middle: the records before the cut are kept, the rest is one rejected record.
  const whole = gzipSync(
    JSON.stringify({ Records: big.slice(0, 50).map((c, i) => ({ ...c, eventID: `c${i}` })) }),
  );
  writeFileSync(name(4), whole.subarray(0, Math.floor(whole.length * 0.6)));
  // Plain JSON under a .gz name: read, with a note that it is not what the name says.
  writeFileSync(name(5), JSON.stringify({ Records: [call('p1')] }));
  // Another copy of the altered event (a duplicate of it, not a new conflict), and a copy of an
  // accepted event on another bucket (a conflict: the resource acted on is evidence).
  const mallory = {
    eventName: 'StopLogging',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory' },
  };
  const sixth = [call('7', mallory), call('9', { requestParameters: { bucketName: 'customer' } })];
  writeFileSync(name(6), gzipSync(JSON.stringify({ Records: sixth })));
  return root;
}

describe('import in worker threads', () => {
  it('matches the main thread on cross-file copies, rejects and damage', async () => {
    const tree = writeTree();
    const serialRun = await importWith([tree], 0);
    const parallelRun = await importWith([tree], 2);
    expect(serialRun.inWorkers).toBeUndefined();
    expect(parallelRun.inWorkers).toBe('6 files read in 2 worker threads, 0 beside them');
    const [serial, parallel] = [comparable(serialRun), comparable(parallelRun)];
    expect(parallel).toEqual(serial);

    // The values both share, so that agreeing on a wrong answer fails too.
    const counts = serial.accounting.map((a) => [a.read, a.normalized, a.ignored, a.rejected]);
    expect(counts.slice(0, 3)).toEqual([
      [6000, 6000, 0, 0],
      [505, 3, 501, 1],
      [5, 2, 1, 2],
    ]);
    const conflicts = serial.notes.filter((note) => note.message.includes('with other content'));
    expect(conflicts.map((note) => [note.kind, note.message.slice(0, 75)])).toEqual([
      [
        'integrity-failed',
        'the record at /Records/502 has the id 000000a1-0000-4000-8000-000000000000 ',
      ],
      [
        'integrity-failed',
        'the record at /Records/4 has the id 00000007-0000-4000-8000-000000000000 of',
      ],
      [
        'integrity-failed',
        'the record at /Records/1 has the id 00000009-0000-4000-8000-000000000000 of',
      ],
    ]);
    expect(serial.accounting[1]?.ignoredByKind).toEqual({ duplicate: 501 });
    // The second file opens with its copies of the first file's events.
    expect(
      serial.firstIgnored.filter((first) => first.file === serial.accounting[1]?.file),
    ).toEqual([{ file: serial.accounting[1]?.file, kind: 'duplicate', locator: '/Records/0' }]);
    expect(serial.accounting[3]).toMatchObject({ normalized: expect.any(Number), rejected: 1 });
    expect(serial.rejected.at(-1)?.locator).toBe('(end of readable data)');
    expect(serial.accounting[4]).toMatchObject({ read: 1, normalized: 1 });
    expect(serial.accounting[5]).toMatchObject({ read: 2, normalized: 1, ignored: 1 });
    expect(serial.notes.filter((note) => note.message.startsWith('named .gz'))).toEqual([
      {
        kind: 'info',
        file: serial.accounting[4]?.file,
        message: 'named .gz but its content is not gzip-compressed; read as it is',
      },
    ]);
    expect(serial.notes.some((n) => n.kind === 'integrity-failed')).toBe(true);
    expect(serial.activity.length).toBe(
      6000 + 2 + 2 + 1 + 1 + (serial.accounting[3]?.normalized ?? 0),
    );
    expect(serial.events.map((e) => e.action)).toEqual(['AssumeRole']);
    // alice resolves through the config; bob is reported as unresolved by the worker too.
    expect(serial.unresolved.unresolvedIdentities).toContain('arn:aws:iam::111122223333:user/bob');
    const actors = new Set(serial.views.map((view) => view.actor?.id));
    expect(actors).toEqual(
      new Set([
        'alice',
        'arn:aws:iam::111122223333:user/bob',
        'arn:aws:iam::111122223333:user/mallory',
      ]),
    );
  });

  it('matches the main thread on the CloudTrail fixtures and the demo', async () => {
    const inputs = [
      path.join(repoRoot, 'fixtures/aws-cloudtrail'),
      path.join(repoRoot, 'fixtures/demo'),
    ];
    const serial = comparable(await importWith(inputs, 0));
    const parallelRun = await importWith(inputs, 2);
    // The demo's ticketing, IdP and PAM exports are read on the main thread between batches.
    expect(parallelRun.inWorkers).toMatch(
      /^\d+ files read in 2 worker threads, [1-9]\d* beside them$/,
    );
    expect(comparable(parallelRun)).toEqual(serial);
    expect(serial.activity.length).toBeGreaterThan(10);
  });

  it('fails a file it cannot read detached, naming the file', async () => {
    const pool = new ImportPool(1, config);
    try {
      const handle = pool.submit({
        diskPath: path.join(scratch, 'none.json'),
        displayPath: 'okta/none.json',
        size: 0,
        sha256: '0'.repeat(64),
        gzip: false,
        headText: '',
        importer: 'okta',
        settings: { options: {} },
      });
      await expect(handle.next()).rejects.toThrow(/okta\/none\.json: .*cannot read detached/);
    } finally {
      await pool.close();
    }
  });
});

describe('an input the system will not let us read', () => {
  it('is the user’s to fix, named with the file; other errors pass unchanged', () => {
    const gone = Object.assign(new Error("ENOENT: no such file or directory, open 'a/b.gz'"), {
      code: 'ENOENT',
    });
    const named = unreadable({ displayPath: 'AWSLogs/b.gz' }, gone);
    expect(named).toBeInstanceOf(ImportError);
    expect((named as Error).message).toBe(
      "AWSLogs/b.gz: cannot be read (ENOENT: no such file or directory, open 'a/b.gz'); was it " +
        'moved, deleted or changed while the build ran?',
    );
    const bug = new TypeError('x is undefined');
    expect(unreadable({ displayPath: 'AWSLogs/b.gz' }, bug)).toBe(bug);
  });
});
