// The activity store: sorted runs on disk merged back in (at, id) order, and an analysis over
// spilled activity that equals the one over the whole timeline in memory.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { loadConfig } from '../../src/config/load.js';
import { periodEnd, periodStart } from '../../src/config/period.js';
import type { TimelineEvent } from '../../src/model/event.js';
import { ActivityStore, mergeByTime } from '../../src/pipeline/activity-store.js';
import { importPaths } from '../../src/pipeline/import.js';
import { Resolver } from '../../src/resolve/resolver.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demo = path.join(repoRoot, 'fixtures/demo');

function activity(at: string, id: string, extra: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    id,
    at,
    stage: 'activity',
    source: {
      importer: 'aws-cloudtrail',
      file: 'f.json',
      sha256: 'a'.repeat(64),
      locator: `/${id}`,
    },
    tickets: [],
    action: 'GetObject',
    outcome: 'success',
    summary: `call ${id} \u00e9\u4e2d`,
    ...extra,
  };
}

describe('ActivityStore', () => {
  test('spilled runs merge back sorted by (at, id), ties in the order added', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'store-test-'));
    const store = new ActivityStore({ limitBytes: 600, tempDir: parent });
    const events = [
      activity('2026-01-02T00:00:00.000Z', 'ev-b'),
      activity('2026-01-01T00:00:00.000Z', 'ev-z', { sessionId: '', grantKey: 'ASIAKEY' }),
      activity('2026-01-02T00:00:00.000Z', 'ev-a', {
        actor: { id: 'alice', raw: 'ALICE', kind: 'human' },
        subject: { id: 'svc', raw: 'svc', kind: 'service' },
        target: { id: 'role', raw: 'role', kind: 'role' },
      }),
      activity('2026-01-02T00:00:00.000Z', 'ev-b', { action: 'second copy' }),
      activity('2025-12-31T23:59:59.999Z', 'ev-y', { outcome: 'failure' }),
    ];
    for (const event of events) store.add(event);
    store.finish();
    expect(store.spilledRuns).toBeGreaterThan(1);
    expect(readdirSync(parent)).toHaveLength(1);

    const order = ['ev-y', 'ev-z', 'ev-a', 'ev-b', 'ev-b'];
    expect([...store.lines()].map((line) => line.id)).toEqual(order);
    expect([...store.lines()].map((line) => JSON.parse(line.json).action)).toEqual([
      'GetObject',
      'GetObject',
      'GetObject',
      'GetObject',
      'second copy',
    ]);
    expect([...store.lines()][2].json).toBe(JSON.stringify(events[2]));

    const views = [...store.views()];
    expect(views.map((view) => view.id)).toEqual(order);
    expect(views[1]).toEqual({
      id: 'ev-z',
      at: '2026-01-01T00:00:00.000Z',
      stage: 'activity',
      source: { importer: 'aws-cloudtrail' },
      action: 'GetObject',
      outcome: 'success',
      grantKey: 'ASIAKEY',
      sessionId: '',
    });
    expect(views[2].actor).toEqual({ id: 'alice', kind: 'human' });
    expect(views[2].subject).toEqual({ id: 'svc', kind: 'service' });
    expect(views[2].target).toEqual({ id: 'role' });
    expect(views[0].outcome).toBe('failure');
    expect(store.first).toBe('2025-12-31T23:59:59.999Z');
    expect(store.last).toBe('2026-01-02T00:00:00.000Z');
    const days = [...store.days.get('aws-cloudtrail')!].sort();
    expect(days).toEqual(['2025-12-31', '2026-01-01', '2026-01-02']);

    store.close();
    expect(readdirSync(parent)).toHaveLength(0);
  });

  test('lines longer than the read buffer come back whole', () => {
    const store = new ActivityStore({ limitBytes: 1000 });
    const long = 'x\u00e9'.repeat(100_000);
    store.add(activity('2026-01-01T00:00:01.000Z', 'ev-2', { summary: long }));
    store.add(activity('2026-01-01T00:00:00.000Z', 'ev-1'));
    store.add(activity('2026-01-01T00:00:02.000Z', 'ev-3'));
    store.finish();
    expect(store.spilledRuns).toBeGreaterThan(0);
    const lines = [...store.lines()];
    expect(lines.map((line) => line.id)).toEqual(['ev-1', 'ev-2', 'ev-3']);
    expect(JSON.parse(lines[1].json).summary).toBe(long);
    store.close();
  });

  test('views read several times: merged once into one file, the same views every time', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'store-test-'));
    const store = new ActivityStore({ limitBytes: 700, tempDir: parent });
    const longActor = 'a\u00e9'.repeat(400_000);
    const events = [5, 3, 9, 1, 7, 2, 8, 6, 4, 0].map((n) =>
      activity(`2026-01-01T00:00:0${n}.000Z`, `ev-${n}`, {
        actor: { id: n === 7 ? longActor : `user${n}`, raw: `user${n}`, kind: 'human' },
      }),
    );
    for (const event of events) store.add(event);
    store.finish();
    expect(store.spilledRuns).toBeGreaterThan(2);
    const [folder] = readdirSync(parent);
    const merged = () => readdirSync(path.join(parent, folder)).includes('compact-merged');

    // A read given up half way writes nothing that later reads would trust.
    for (const view of store.views()) {
      expect(view.id).toBe('ev-0');
      break;
    }
    expect(merged()).toBe(false);

    const first = [...store.views()];
    expect(merged()).toBe(true);
    const second = [...store.views()];
    const third = [...store.views()];
    expect(first.map((view) => view.id)).toEqual([
      'ev-0',
      'ev-1',
      'ev-2',
      'ev-3',
      'ev-4',
      'ev-5',
      'ev-6',
      'ev-7',
      'ev-8',
      'ev-9',
    ]);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(third[7].actor).toEqual({ id: longActor, kind: 'human' });
    store.close();
    expect(readdirSync(parent)).toHaveLength(0);
  });

  test('a small store stays in memory', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'store-test-'));
    const store = new ActivityStore({ tempDir: parent });
    store.add(activity('2026-01-01T00:00:00.000Z', 'ev-1'));
    store.finish();
    expect(store.spilledRuns).toBe(0);
    expect(readdirSync(parent)).toHaveLength(0);
    expect([...store.views()].map((view) => view.id)).toEqual(['ev-1']);
  });

  test('only activity is accepted', () => {
    const store = new ActivityStore();
    const issuance = {
      ...activity('2026-01-01T00:00:00.000Z', 'ev-1'),
      stage: 'issuance' as const,
    };
    expect(() => store.add(issuance)).toThrow(/not an activity event/);
  });

  test('mergeByTime keeps the first sequence first on a tie', () => {
    const a = [
      { at: '1', id: 'a', from: 'first' },
      { at: '2', id: 'b', from: 'first' },
    ];
    const b = [
      { at: '1', id: 'a', from: 'second' },
      { at: '1', id: 'c', from: 'second' },
    ];
    expect([...mergeByTime(a, b)].map((x) => `${x.id}:${x.from}`)).toEqual([
      'a:first',
      'a:second',
      'c:second',
      'b:first',
    ]);
  });
});

describe.skipIf(!existsSync(demo))('analysis over spilled activity', () => {
  test('the demo gives the same grants, gaps, summary and timeline from disk', async () => {
    const config = await loadConfig(path.join(demo, 'dora-evidence.yaml'));
    const paths = config.sources.map((s) => path.join(demo, s.path));
    const forced = config.sources.map((s) => ({
      path: path.join(demo, s.path),
      importer: s.importer as string,
    }));
    const period = {
      since: periodStart(config.period?.since as string, config.timezone),
      until: periodEnd(config.period?.until as string, config.timezone),
    };
    const asOf = '2026-03-31T23:59:59.000Z';

    const whole = await importPaths(paths, { importerOptions: config.importers, forced });
    const { events, accounting, notes } = whole;
    const inMemory = analyze({ events, accounting, notes, config, asOf, period });

    const resolver = new Resolver(config);
    const spilled = await importPaths(paths, {
      importerOptions: config.importers,
      forced,
      spill: { resolve: (event) => resolver.resolveEvent(event), store: { limitBytes: 2000 } },
    });
    const store = spilled.activity!;
    expect(store.count).toBeGreaterThan(3);
    expect(store.spilledRuns).toBeGreaterThan(1);
    expect(spilled.events.some((event) => event.stage === 'activity')).toBe(false);
    expect(spilled.events.length + store.count).toBe(whole.events.length);
    const fromDisk = analyze({
      events: spilled.events,
      activity: { store, resolver },
      accounting: spilled.accounting,
      notes: spilled.notes,
      config,
      asOf,
      period,
    });

    expect(fromDisk.grants).toEqual(inMemory.grants);
    expect(fromDisk.gaps).toEqual(inMemory.gaps);
    expect(fromDisk.summary).toEqual(inMemory.summary);
    expect([...fromDisk.timeline.lines()].map((l) => l.json)).toEqual(
      [...inMemory.timeline.lines()].map((l) => l.json),
    );
    expect(fromDisk.timeline.events()).toEqual(inMemory.timeline.events());
    expect(inMemory.gaps.some((gap) => gap.rule === 'activity-after-expiry')).toBe(true);
    store.close();
  });
});
