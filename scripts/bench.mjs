#!/usr/bin/env node
// Benchmark: generates seeded realistic exports at three sizes, runs the full build on each and
// prints throughput and peak memory next to a bare read-and-JSON.parse loop over the same files.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGunzip, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, '.bench');
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000,3000000').split(',').map(Number);
const EVENTS_PER_FILE = 5000;

/** Small deterministic PRNG (mulberry32) so every run generates the same bytes. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNT = '111122223333';
const ACTIONS = ['GetObject', 'PutObject', 'DescribeInstances', 'ListBuckets', 'GetSecretValue', 'Decrypt'];
const START = Date.parse('2026-01-01T00:00:00Z');

function iso(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function accessKey(n) {
  return `ASIA${String(n).padStart(16, '0')}`;
}

/** One grant: a Jira ticket, an Okta group add/remove, an STS session and its API calls. */
function grantRecords(random, grant, callsPerGrant) {
  const user = `user${grant % 400}@bank.example`;
  const issuedAt = START + grant * 60_000;
  const key = accessKey(grant);
  const role = `arn:aws:iam::${ACCOUNT}:role/ProdAdmin${grant % 7}`;
  const ticket = `ACC-${1000 + grant}`;
  const cloud = [
    {
      eventVersion: '1.08',
      userIdentity: { type: 'AssumedRole', principalId: `AROAEXAMPLE:${user}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Federation/${user}`, accountId: ACCOUNT },
      eventTime: iso(issuedAt),
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      awsRegion: 'eu-central-1',
      sourceIPAddress: '198.51.100.7',
      requestParameters: { roleArn: role, roleSessionName: `${user.split('@')[0]}-${ticket}`, durationSeconds: 3600 },
      responseElements: { credentials: { accessKeyId: key, expiration: new Date(issuedAt + 3_600_000).toUTCString() } },
      eventID: `00000000-0000-4000-8000-${String(grant).padStart(12, '0')}`,
      eventType: 'AwsApiCall',
      recipientAccountId: ACCOUNT,
    },
  ];
  for (let call = 0; call < callsPerGrant; call += 1) {
    const at = issuedAt + Math.floor(random() * 3_500_000);
    cloud.push({
      eventVersion: '1.08',
      userIdentity: { type: 'AssumedRole', principalId: `AROAEXAMPLE:${user}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ProdAdmin/${user}`, accountId: ACCOUNT, accessKeyId: key },
      eventTime: iso(at),
      eventSource: 's3.amazonaws.com',
      eventName: ACTIONS[Math.floor(random() * ACTIONS.length)],
      awsRegion: 'eu-central-1',
      sourceIPAddress: '198.51.100.7',
      requestParameters: { bucketName: `bucket-${grant % 50}` },
      responseElements: null,
      eventID: `${String(grant).padStart(8, '0')}-0000-4000-9000-${String(call).padStart(12, '0')}`,
      eventType: 'AwsApiCall',
      recipientAccountId: ACCOUNT,
    });
  }
  const okta = ['group.user_membership.add', 'group.user_membership.remove'].map((eventType, i) => ({
    uuid: `${String(grant).padStart(8, '0')}-1111-4000-8000-00000000000${i}`,
    published: new Date(issuedAt - 60_000 + i * 3_700_000).toISOString(),
    eventType,
    displayMessage: i === 0 ? 'Add user to group membership' : 'Remove user from group membership',
    actor: { id: '00uadmin', type: 'User', alternateId: 'admin@bank.example', displayName: 'Admin' },
    outcome: { result: 'SUCCESS' },
    target: [
      { id: `00u${grant % 400}`, type: 'User', alternateId: user, displayName: user },
      { id: `00g${grant % 7}`, type: 'UserGroup', alternateId: `AWS Prod Admins ${grant % 7}`, displayName: `AWS Prod Admins ${grant % 7}` },
    ],
  }));
  const jira = {
    key: ticket,
    fields: {
      summary: `Prod access for ${user}`,
      created: new Date(issuedAt - 600_000).toISOString().replace('Z', '+0000'),
      reporter: { emailAddress: user, displayName: user },
      status: { name: 'Done' },
    },
    changelog: {
      histories: [
        {
          created: new Date(issuedAt - 300_000).toISOString().replace('Z', '+0000'),
          author: { emailAddress: 'approver@bank.example', displayName: 'Approver' },
          items: [{ field: 'status', fromString: 'Waiting for approval', toString: 'Approved' }],
        },
      ],
    },
  };
  return { cloud, okta, jira };
}

function generate(totalEvents, dir) {
  const random = prng(20260101);
  const callsPerGrant = 400;
  const grants = Math.max(1, Math.floor(totalEvents / (callsPerGrant + 4)));
  let cloudBuffer = [];
  let fileIndex = 0;
  const okta = [];
  const jira = [];
  const flushCloud = () => {
    if (cloudBuffer.length === 0) return;
    const day = new Date(Date.parse(cloudBuffer[0].eventTime));
    const folder = path.join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail', 'eu-central-1', String(day.getUTCFullYear()),
      String(day.getUTCMonth() + 1).padStart(2, '0'), String(day.getUTCDate()).padStart(2, '0'));
    mkdirSync(folder, { recursive: true });
    const name = `${ACCOUNT}_CloudTrail_eu-central-1_${String(fileIndex).padStart(8, '0')}.json.gz`;
    writeFileSync(path.join(folder, name), gzipSync(JSON.stringify({ Records: cloudBuffer }), { level: 1 }));
    fileIndex += 1;
    cloudBuffer = [];
  };
  for (let grant = 0; grant < grants; grant += 1) {
    const records = grantRecords(random, grant, callsPerGrant);
    cloudBuffer.push(...records.cloud);
    okta.push(...records.okta);
    jira.push(records.jira);
    if (cloudBuffer.length >= EVENTS_PER_FILE) flushCloud();
  }
  flushCloud();
  mkdirSync(path.join(dir, 'okta'), { recursive: true });
  writeFileSync(path.join(dir, 'okta', 'system-log.ndjson'), okta.map((e) => JSON.stringify(e)).join('\n') + '\n');
  mkdirSync(path.join(dir, 'jira'), { recursive: true });
  writeFileSync(path.join(dir, 'jira', 'search.json'), JSON.stringify({ startAt: 0, total: jira.length, issues: jira }));
  return { grants, events: grants * (callsPerGrant + 4) };
}

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

/** The practical limit: read (and gunzip) every file and JSON.parse it, records one by one. */
async function bareParse(dir) {
  const started = process.hrtime.bigint();
  let records = 0;
  for (const file of listFiles(dir)) {
    const chunks = [];
    const stream = file.endsWith('.gz') ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
    for await (const chunk of stream) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    if (file.endsWith('.ndjson')) {
      for (const line of text.split('\n')) if (line) { JSON.parse(line); records += 1; }
    } else {
      const value = JSON.parse(text);
      records += (value.Records ?? value.issues ?? []).length;
    }
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, records };
}

function runBuild(dir, out) {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'bin/dora-evidence.js'), 'build', dir, '--out', out, '--force', '--as-of', '2026-12-31T00:00:00Z', '--quiet', '--json'],
    { encoding: 'utf8', env: { ...process.env, DORA_REPORT_RSS: '1' }, maxBuffer: 1 << 26 },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /peak-rss-kb (\d+)/.exec(result.stderr ?? '');
  const stages = /stages (\{.*\})/.exec(result.stderr ?? '');
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`build failed (exit ${result.status}):\n${result.stderr}`);
  }
  return { seconds, peakRssMb: rss ? Number(rss[1]) / 1024 : NaN, stages: stages ? JSON.parse(stages[1]) : {} };
}

function dirBytes(dir) {
  return listFiles(dir).reduce((sum, file) => sum + statSync(file).size, 0);
}

const rows = [];
for (const size of sizes) {
  const dir = path.join(benchDir, `in-${size}`);
  if (!existsSync(path.join(dir, 'jira', 'search.json'))) {
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`generating ${size} events...\n`);
    generate(size, dir);
  }
  const events = size;
  const megabytes = dirBytes(dir) / 1e6;
  const bare = await bareParse(dir);
  const build = runBuild(dir, path.join(benchDir, `out-${size}.zip`));
  rows.push({ size, megabytes, events: bare.records, bare, build });
  process.stderr.write(`size ${size} done\n`);
  void events;
}

const pad = (value, width) => String(value).padStart(width);
console.log(`${pad('events', 10)} ${pad('input MB', 9)} ${pad('build s', 8)} ${pad('ev/s', 9)} ${pad('MB/s', 7)} ${pad('peak MB', 8)} ${pad('bare s', 7)} ${pad('bare ev/s', 10)} ${pad('build/bare', 10)}`);
for (const row of rows) {
  const buildRate = row.events / row.build.seconds;
  const bareRate = row.events / row.bare.seconds;
  console.log(
    `${pad(row.events, 10)} ${pad(row.megabytes.toFixed(1), 9)} ${pad(row.build.seconds.toFixed(1), 8)} ${pad(Math.round(buildRate), 9)} ` +
      `${pad((row.megabytes / row.build.seconds).toFixed(1), 7)} ${pad(row.build.peakRssMb.toFixed(0), 8)} ${pad(row.bare.seconds.toFixed(1), 7)} ` +
      `${pad(Math.round(bareRate), 10)} ${pad((buildRate / bareRate).toFixed(2), 10)}`,
  );
  if (Object.keys(row.build.stages).length > 0) console.log(`           stages (s): ${JSON.stringify(row.build.stages)}`);
}
for (let i = 1; i < rows.length; i += 1) {
  const [a, b] = [rows[i - 1], rows[i]];
  const n = b.events / a.events;
  const timeGrowth = b.build.seconds / a.build.seconds;
  const nlogn = (n * Math.log(b.events)) / Math.log(a.events);
  console.log(
    `growth ${a.events} -> ${b.events}: events x${n.toFixed(2)}, time x${timeGrowth.toFixed(2)} (n log n bound x${nlogn.toFixed(2)}), ` +
      `memory x${(b.build.peakRssMb / a.build.peakRssMb).toFixed(2)}`,
  );
}
