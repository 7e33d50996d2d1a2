// Property tests (fast-check, fixed seed): readers and importers never throw, accounting balances.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { importers } from '../../src/importers/index.js';
import type { Importer, InputKind } from '../../src/importers/types.js';
import { TimelineEvent } from '../../src/model/event.js';
import { JsonRecordSplitter } from '../../src/read/json-stream.js';
import type { RawRecord } from '../../src/read/record.js';
import type { ReadItem } from '../../src/read/records.js';
import { echoImporter } from '../helpers/echo-importer.js';
import {
  fixtureFilesByImporter,
  fixturesDir,
  importBytes,
  importItems,
  readBytes,
  readMaybeGzip,
} from './helpers.js';

const SEED = Number(process.env.PROP_SEED ?? 20_260_331);
const runs = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

/** Options the fixtures' own configs give (csv-mapped needs its column mapping to read anything). */
function configOptions(): Record<string, Record<string, unknown>> {
  const options: Record<string, Record<string, unknown>> = {};
  for (const file of ['csv-mapped/dora-evidence.yaml', 'servicenow/dora-evidence.yaml']) {
    const config = parseYaml(readFileSync(path.join(fixturesDir, file), 'utf8')) as {
      importers?: Record<string, Record<string, unknown>>;
    };
    Object.assign(options, config.importers ?? {});
  }
  return options;
}
const OPTIONS = configOptions();

/** Every check a record outcome must pass, whatever the input. */
function expectSound(id: string, result: Awaited<ReturnType<typeof importBytes>>): void {
  expect(result.thrown, `${id} threw`).toEqual([]);
  const { accounting } = result;
  expect(accounting.read).toBe(accounting.normalized + accounting.ignored + accounting.rejected);
  expect(Object.values(accounting.ignoredByKind).reduce((a, b) => a + b, 0)).toBe(
    accounting.ignored,
  );
  for (const rejected of result.rejected) {
    expect(rejected.reason, `${id}: ${rejected.reason}`).not.toMatch(
      /gave no outcome|produced no event/,
    );
    // The one invalid event the pipeline is there to catch: a party named only by blanks.
    if (/produced an invalid event/.test(rejected.reason)) {
      expect(rejected.reason, `${id}: ${rejected.reason}`).toMatch(
        /^importer produced an invalid event: (actor|subject|target)\.id: Too small: expected string to have >=1 characters(; (actor|subject|target)\.id: Too small: expected string to have >=1 characters)*$/,
      );
    }
    expect(rejected.reason.length).toBeGreaterThan(0);
  }
  for (const event of result.events) {
    const parsed = TimelineEvent.safeParse(event);
    expect(
      parsed.success,
      `${id} event ${JSON.stringify(event).slice(0, 300)}: ${parsed.error?.message}`,
    ).toBe(true);
  }
}

/** Bytes that look enough like exports to get past the first checks of readers and importers. */
const exportLikeBytes = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
  fc
    .array(
      fc.constantFrom(
        '{',
        '}',
        '[',
        ']',
        '"',
        ',',
        ':',
        '\n',
        '\r',
        '\\',
        ' ',
        'a',
        '1',
        '-',
        'null',
        'true',
        '\u0000',
        '\uFEFF',
        'é',
        '\uD83D',
        '<',
        '>',
        '/',
        '=',
        '|',
        ';',
        'CEF:0|',
      ),
      { maxLength: 300 },
    )
    .map((parts) => Buffer.from(parts.join(''), 'utf8')),
  fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value), 'utf8')),
);

const READER_KINDS: InputKind[] = ['json', 'csv', 'lines'];

describe('readers on arbitrary bytes', () => {
  it('never throw; every item is a record or a located fault', async () => {
    await fc.assert(
      fc.asyncProperty(exportLikeBytes, fc.constantFrom(...READER_KINDS), async (bytes, kind) => {
        const items = await readBytes(bytes, echoImporter(kind));
        for (const item of items) {
          expect(typeof item.record.locator).toBe('string');
          if (item.problem !== undefined) expect(item.problem.length).toBeGreaterThan(0);
        }
      }),
      runs(300),
    );
  });

  it('the JSON splitter gives the same records and faults whatever the chunk size', () => {
    const jsonish = fc.oneof(
      fc
        .array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 })
        .map((values) => JSON.stringify(values)),
      fc
        .array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 })
        .map((values) => values.map((v) => JSON.stringify(v)).join('\n')),
      fc
        .record({ Records: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }) })
        .map((v) => JSON.stringify(v)),
    );
    const damaged = fc
      .tuple(jsonish, fc.nat(), fc.constantFrom('', ',', ']', '"', '\u0000', '{', '\n'))
      .map(([text, at, insert]) => {
        const cut = text.length === 0 ? 0 : at % (text.length + 1);
        return text.slice(0, cut) + insert + text.slice(cut);
      });
    const split = (bytes: Buffer, size: number) => {
      const seen: string[] = [];
      const splitter = new JsonRecordSplitter((record, problem) => {
        const value = record.data.kind === 'json' ? JSON.stringify(record.data.value) : '';
        seen.push(`${record.locator}|${problem ?? ''}|${value}`);
      });
      for (let i = 0; i < bytes.length; i += size) splitter.write(bytes.subarray(i, i + size));
      splitter.end();
      return seen;
    };
    fc.assert(
      fc.property(damaged, fc.integer({ min: 1, max: 9 }), (text, size) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(split(bytes, size)).toEqual(split(bytes, bytes.length + 1));
      }),
      runs(400),
    );
  });
});

describe('every registered importer', () => {
  let fixtures = new Map<string, string[]>();
  beforeAll(async () => {
    fixtures = await fixtureFilesByImporter();
    fixtures.set('csv-mapped', [path.join(fixturesDir, 'csv-mapped', 'gatekeep-access-log.csv')]);
  });

  const ids = [...importers.keys()];
  const zones = fc.constantFrom(undefined, 'Europe/Berlin');

  it.each(ids)('%s: never throws on arbitrary bytes, and its accounting balances', async (id) => {
    const imp = importers.get(id) as Importer;
    await fc.assert(
      fc.asyncProperty(exportLikeBytes, zones, async (bytes, timezone) => {
        expectSound(id, await importBytes(imp, bytes, { timezone, options: OPTIONS[id] ?? {} }));
      }),
      runs(Number(process.env.PROP_RUNS ?? 40)),
    );
  });

  it.each(ids)(
    '%s: never throws on mutated fixture records, and its accounting balances',
    async (id) => {
      const imp = importers.get(id) as Importer;
      const files = fixtures.get(id) ?? [];
      expect(files.length, `no fixture detected as ${id}`).toBeGreaterThan(0);
      const originals = await Promise.all(
        files.map(async (file) => readBytes(readMaybeGzip(file), imp)),
      );

      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: originals.length - 1 }),
          fc.array(fc.tuple(fc.nat(), fc.nat(), mutation), { minLength: 1, maxLength: 3 }),
          zones,
          async (fileIndex, mutations, timezone) => {
            const items = await mutateItems(imp, originals[fileIndex], files[fileIndex], mutations);
            expectSound(
              id,
              importItems(imp, items, { timezone, options: OPTIONS[id] ?? {} }, files[fileIndex]),
            );
          },
        ),
        runs(Number(process.env.PROP_RUNS ?? 60)),
      );
    },
  );
});

// Stands for a 2,000-deep object, built when applied (fast-check would overflow printing it).
const DEEP = '<deep value>';
const deepValue = (): unknown => JSON.parse(`${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`);

/** A replacement value for a field: hostile types, sizes and shapes. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    null,
    '',
    ' ',
    0,
    -1,
    1e20,
    -8.64e15,
    Number.MAX_SAFE_INTEGER,
    true,
    [],
    {},
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2016-12-31T23:59:60Z',
    '2026-03-29T02:30:00',
    '2026-10-25 02:30:00',
    '1969-12-31T23:59:59Z',
    '-1',
    '1e400',
    'NaN',
    '__proto__',
    'x'.repeat(10_000),
    'arn:aws:iam::123456789012:role/x',
    'hmac-sha256:00',
    '{"nested": "json in a string"}',
    '[1,2',
  ),
  fc.constant(DEEP),
);

/** [kind of change, where (index), replacement]. */
const mutation = fc.tuple(fc.constantFrom('replace', 'delete', 'truncate', 'insert'), hostileValue);

type Mutation = [number, number, [string, unknown]];

function paths(value: unknown, prefix: string[] = [], out: string[][] = [], depth = 0): string[][] {
  if (depth > 6 || typeof value !== 'object' || value === null) return out;
  for (const [key, inner] of Object.entries(value)) {
    const here = [...prefix, key];
    out.push(here);
    paths(inner, here, out, depth + 1);
  }
  return out;
}

function mutateJson(value: unknown, where: number, [kind, hostile]: [string, unknown]): unknown {
  const replacement = hostile === DEEP ? deepValue() : hostile;
  if (typeof value !== 'object' || value === null) return replacement;
  const all = paths(value);
  if (all.length === 0) return replacement;
  const target = all[where % all.length];

  // Copies only the containers along the path, so the fixture records stay untouched.
  const copy = (node: unknown): Record<string, unknown> =>
    (Array.isArray(node) ? [...node] : { ...(node as Record<string, unknown>) }) as Record<
      string,
      unknown
    >;
  const root = copy(value);
  let parent = root;
  for (const key of target.slice(0, -1)) {
    parent[key] = copy(parent[key]);
    parent = parent[key] as Record<string, unknown>;
  }
  const last = target[target.length - 1];
  if (kind === 'delete') delete parent[last];
  else if (kind === 'truncate' && typeof parent[last] === 'string')
    parent[last] = (parent[last] as string).slice(0, where % 5);
  else parent[last] = replacement;
  return root;
}

function mutateText(text: string, where: number, [kind, replacement]: [string, unknown]): string {
  const at = text.length === 0 ? 0 : where % text.length;
  const insert =
    typeof replacement === 'string' ? replacement : (JSON.stringify(replacement) ?? '');
  if (kind === 'truncate') return text.slice(0, at);
  if (kind === 'delete') return text.slice(0, at) + text.slice(at + 1 + (where % 20));
  if (kind === 'insert') return text.slice(0, at) + insert + text.slice(at);
  return text.slice(0, at) + insert + text.slice(at + insert.length);
}

async function mutateItems(
  imp: Importer,
  items: ReadItem[],
  file: string,
  mutations: Mutation[],
): Promise<ReadItem[]> {
  if (imp.input === 'xml') {
    // XML importers split the whole document: mutate its text, then split it again.
    let text = readMaybeGzip(file).toString('utf8');
    for (const [, where, change] of mutations) text = mutateText(text, where, change);
    return readBytes(Buffer.from(text, 'utf8'), imp);
  }
  const copy = items.map((item) => ({ ...item }));
  for (const [index, where, change] of mutations) {
    if (copy.length === 0) break;
    const item = copy[index % copy.length];
    item.record = mutateRecord(item.record, where, change);
  }
  return copy;
}

function mutateRecord(record: RawRecord, where: number, change: [string, unknown]): RawRecord {
  const data = record.data;
  if (data.kind === 'json')
    return { ...record, data: { kind: 'json', value: mutateJson(data.value, where, change) } };
  if (data.kind === 'line')
    return { ...record, data: { kind: 'line', text: mutateText(data.text, where, change) } };
  const cells = [...data.row.cells];
  const at = cells.length === 0 ? 0 : where % cells.length;
  const [kind, replacement] = change;
  if (kind === 'delete') cells.splice(at);
  else if (kind === 'insert') cells.splice(at, 0, String(replacement));
  else if (kind === 'truncate') cells[at] = (cells[at] ?? '').slice(0, where % 5);
  else
    cells[at] = typeof replacement === 'string' ? replacement : (JSON.stringify(replacement) ?? '');
  return { ...record, data: { kind: 'csv', row: { headers: data.row.headers, cells } } };
}
