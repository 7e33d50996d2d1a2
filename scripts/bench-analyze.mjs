#!/usr/bin/env node
// Benchmark of the analysis stage alone (resolve, correlate, rules) on in-memory timelines of
// growing size: prints the cost per event, which stays flat (or grows like log n) when the
// correlation has no all-pairs scan. Needs the build: `npm run build && node scripts/bench-analyze.mjs`.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { analyze } = await import(pathToFileURL(path.join(root, 'dist/analyze.js')).href);
const { parseConfig } = await import(pathToFileURL(path.join(root, 'dist/config/load.js')).href);
const sizes = (process.env.BENCH_SIZES ?? '50000,200000,800000').split(',').map(Number);
const START = Date.parse('2026-01-01T00:00:00Z');
const SHA = '0'.repeat(64);

/** Deterministic timeline: per grant a ticket, an IdP add/remove, an STS key and API calls. */
function timeline(total) {
  const events = [];
  const calls = 40;
  const grants = Math.max(1, Math.floor(total / (calls + 5)));
  const push = (importer, n, fields) =>
    events.push({
      id: `ev-${importer}-${n}`,
      tickets: [],
      outcome: 'success',
      summary: '',
      source: { importer, file: `${importer}.json`, sha256: SHA, locator: `/${n}` },
      ...fields,
    });
  for (let g = 0; g < grants; g += 1) {
    const t0 = START + g * 600_000;
    const user = `user${g % 500}@bank.example`;
    const target = `role-${g % 40}`;
    const ticket = `ACC-${g}`;
    const at = (ms) => new Date(t0 + ms).toISOString();
    const person = { id: user, raw: user, kind: 'human' };
    const role = { id: target, raw: target, kind: 'role' };
    push('jira', `${g}-r`, {
      at: at(0),
      stage: 'request',
      actor: person,
      subject: person,
      target: role,
      tickets: [ticket],
      action: 'created',
    });
    push('jira', `${g}-a`, {
      at: at(60_000),
      stage: 'approval',
      actor: { id: 'approver', raw: 'approver', kind: 'human' },
      tickets: [ticket],
      action: 'Approved',
    });
    push('okta', `${g}-add`, {
      at: at(120_000),
      stage: 'issuance',
      subject: person,
      target: role,
      action: 'group.user_membership.add',
    });
    push('aws-cloudtrail', `${g}-sts`, {
      at: at(180_000),
      stage: 'issuance',
      subject: person,
      target: role,
      grantKey: `ASIA${g}`,
      expiresAt: at(3_780_000),
      action: 'AssumeRoleWithSAML',
    });
    for (let c = 0; c < calls; c += 1) {
      push('aws-cloudtrail', `${g}-c${c}`, {
        at: at(200_000 + c * 1000),
        stage: 'activity',
        subject: person,
        grantKey: `ASIA${g}`,
        action: `Call${c % 7}`,
      });
    }
    push('okta', `${g}-rm`, {
      at: at(300_000),
      stage: 'revocation',
      subject: person,
      target: role,
      action: 'group.user_membership.remove',
    });
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
}

const config = parseConfig({ rules: { 'review-overdue': 'off' } });
console.log('events      grants     ms      ns/event   heap MB');
for (const size of sizes) {
  const events = timeline(size);
  const last = events[events.length - 1].at;
  const accounting = ['jira', 'okta', 'aws-cloudtrail'].map((importer) => ({
    file: `${importer}.json`,
    sha256: SHA,
    size: 1,
    importer,
    read: 0,
    normalized: 0,
    ignored: 0,
    ignoredByKind: {},
    rejected: 0,
    coverage: { from: events[0].at, to: last },
  }));
  const started = process.hrtime.bigint();
  const result = analyze({
    events,
    accounting,
    notes: [],
    config,
    asOf: last,
    period: { since: events[0].at, until: last },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const heap = process.memoryUsage().heapUsed / 1048576;
  console.log(
    `${String(events.length).padEnd(11)} ${String(result.grants.length).padEnd(10)} ${ms.toFixed(0).padEnd(7)} ` +
      `${((ms * 1e6) / events.length).toFixed(0).padEnd(10)} ${heap.toFixed(0)}`,
  );
}
