// Property tests: the JSON splitter gives the old splitter's records, locators and faults exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter, wrapperArray } from '../../src/read/json-stream.js';
import {
  JsonRecordSplitter as OracleSplitter,
  wrapperArray as oracleWrapperArray,
} from './json-stream-oracle.js';

const SEED = Number(process.env.PROP_SEED ?? 20_260_412);
const runs = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

interface Seen {
  locator: string;
  problem?: string;
  value: unknown;
}

type SplitterClass = typeof JsonRecordSplitter | typeof OracleSplitter;

/** Feeds `bytes` cut at `cuts` (sorted offsets) to a splitter and lists what it emitted. */
function feed(Splitter: SplitterClass, bytes: Buffer, cuts: number[]): Seen[] {
  const seen: Seen[] = [];
  const splitter = new Splitter((record, problem) => {
    const value = record.data.kind === 'json' ? record.data.value : undefined;
    seen.push(
      problem === undefined
        ? { locator: record.locator, value }
        : { locator: record.locator, problem, value },
    );
  });
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    splitter.write(bytes.subarray(from, cut));
    from = cut;
  }
  splitter.end();
  return seen;
}

/** Characters that stress strings and structure: quotes, escapes, brackets, multi-byte UTF-8. */
const trickyChar = fc.constantFrom(
  'a',
  'Z',
  ' ',
  '"',
  '\\',
  '/',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\n',
  '\r',
  '\t',
  '\u0000',
  'é',
  '東',
  '😀',
  '\u2028',
  '\uFEFF',
);
const value = fc.jsonValue({ maxDepth: 3, stringUnit: trickyChar });
const wrapperKey = fc.constantFrom('Records', 'value', 'issues', 'events', 'items', 'other', 'x');

/** Texts in the shapes readers meet, compact or pretty-printed. */
const validText = fc.oneof(
  fc
    .tuple(fc.array(value, { maxLength: 6 }), fc.constantFrom(0, 1, 2))
    .map(([items, indent]) => JSON.stringify(items, null, indent)),
  fc
    .tuple(
      fc.dictionary(fc.string({ unit: trickyChar, maxLength: 4 }), value, { maxKeys: 2 }),
      wrapperKey,
      fc.array(value, { maxLength: 5 }),
      fc.dictionary(fc.string({ unit: trickyChar, maxLength: 4 }), value, { maxKeys: 2 }),
      fc.constantFrom(0, 2),
    )
    .map(([before, key, items, after, indent]) =>
      JSON.stringify({ ...before, [key]: items, ...after }, null, indent),
    ),
  fc
    .tuple(fc.array(value, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\n\n'))
    .map(([lines, separator]) => lines.map((line) => JSON.stringify(line)).join(separator)),
  fc
    .array(
      fc
        .record({ Records: fc.array(value, { maxLength: 3 }), id: fc.nat() })
        .map((object) => JSON.stringify(object)),
      { minLength: 1, maxLength: 4 },
    )
    .map((lines) => lines.join('\n')),
  fc
    .tuple(fc.array(value, { minLength: 1, maxLength: 4 }), fc.constantFrom('', ' ', '\n'))
    .map(([documents, separator]) =>
      documents.map((document) => JSON.stringify(document)).join(separator),
    ),
);

/** Byte strings a damaged or odd export may contain. */
const faultBytes = fc.constantFrom(
  '',
  ',',
  ',]',
  ', ]',
  ']',
  '}',
  '[',
  '{',
  '"',
  '\\',
  '\\"',
  '\\\\',
  ':',
  '\n',
  ' ',
  '\u0000',
  'tru',
  '\xff',
  '\xc3',
  '\x80',
  '\xe6\x9d',
  '\xef\xbb\xbf',
  '\xff\xfe',
);

interface Mutation {
  at: number;
  remove: number;
  insert: string;
}

const mutation = fc.record({
  at: fc.nat(),
  remove: fc.constantFrom(0, 0, 1, 2),
  insert: faultBytes,
});

/** Applies byte mutations (latin1 strings stand for raw bytes) and an optional truncation. */
function damage(text: string, mutations: Mutation[], cutAt: number | null, bom: boolean): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  for (const { at, remove, insert } of mutations) {
    const where = at % (bytes.length + 1);
    bytes = Buffer.concat([
      bytes.subarray(0, where),
      Buffer.from(insert, 'latin1'),
      bytes.subarray(Math.min(bytes.length, where + remove)),
    ]);
  }
  if (cutAt !== null) bytes = bytes.subarray(0, cutAt % (bytes.length + 1));
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes;
}

const damagedBytes = fc
  .tuple(
    validText,
    fc.array(mutation, { maxLength: 3 }),
    fc.option(fc.nat(), { freq: 4 }),
    fc.boolean(),
  )
  .map(([text, mutations, cutAt, bom]) => damage(text, mutations, cutAt, bom));

/** Chunk boundaries: anywhere (inside escapes and multi-byte characters), or every n bytes. */
function cutsFor(length: number, picks: number[], every: number): number[] {
  if (every > 0) {
    const cuts: number[] = [];
    for (let at = every; at < length; at += every) cuts.push(at);
    return cuts;
  }
  return [...new Set(picks.map((pick) => pick % (length + 1)))].sort((a, b) => a - b);
}

const chunking = fc.tuple(
  fc.array(fc.nat(), { maxLength: 12 }),
  fc.constantFrom(0, 0, 0, 1, 2, 3, 5, 16),
);

describe('JsonRecordSplitter against the old splitter', () => {
  it('gives the same records, locators and faults for damaged texts cut anywhere', () => {
    fc.assert(
      fc.property(damagedBytes, chunking, (bytes, [picks, every]) => {
        const cuts = cutsFor(bytes.length, picks, every);
        expect(feed(JsonRecordSplitter, bytes, cuts)).toEqual(feed(OracleSplitter, bytes, cuts));
      }),
      runs(3000),
    );
  });

  it('gives the same results for valid texts cut anywhere, and whole or cut alike', () => {
    fc.assert(
      fc.property(validText, chunking, (text, [picks, every]) => {
        const bytes = Buffer.from(text, 'utf8');
        const cuts = cutsFor(bytes.length, picks, every);
        const seen = feed(JsonRecordSplitter, bytes, cuts);
        expect(seen).toEqual(feed(OracleSplitter, bytes, cuts));
        expect(seen).toEqual(feed(JsonRecordSplitter, bytes, []));
      }),
      runs(1500),
    );
  });

  it('finds the wrapper array of the same values', () => {
    fc.assert(
      fc.property(
        fc.oneof(value, fc.dictionary(wrapperKey, value, { maxKeys: 4 })),
        (candidate) => {
          expect(wrapperArray(candidate)).toEqual(oracleWrapperArray(candidate));
        },
      ),
      runs(500),
    );
  });
});

describe('JsonRecordSplitter against JSON.parse of the whole text', () => {
  const values = fc.array(value, { maxLength: 8 });
  const expected = (items: unknown[], pointer: string) =>
    items.map((item, i) => ({ locator: `${pointer}/${i}`, value: item }));

  it('streams a top-level array as its elements', () => {
    fc.assert(
      fc.property(values, fc.constantFrom(0, 2), chunking, (items, indent, [picks, every]) => {
        const text = JSON.stringify(items, null, indent);
        const bytes = Buffer.from(text, 'utf8');
        const parsed = JSON.parse(text) as unknown[];
        const cuts = cutsFor(bytes.length, picks, every);
        expect(feed(JsonRecordSplitter, bytes, cuts)).toEqual(expected(parsed, ''));
      }),
      runs(500),
    );
  });

  it('streams the Records array of a CloudTrail document', () => {
    fc.assert(
      fc.property(values, chunking, (items, [picks, every]) => {
        const text = JSON.stringify({ Records: items });
        const bytes = Buffer.from(text, 'utf8');
        const parsed = JSON.parse(text) as { Records: unknown[] };
        const cuts = cutsFor(bytes.length, picks, every);
        expect(feed(JsonRecordSplitter, bytes, cuts)).toEqual(expected(parsed.Records, '/Records'));
      }),
      runs(500),
    );
  });

  it('reads NDJSON objects line by line', () => {
    const objects = fc.array(fc.dictionary(fc.string({ unit: trickyChar }), value), {
      minLength: 2,
      maxLength: 6,
    });
    fc.assert(
      fc.property(objects, chunking, (lines, [picks, every]) => {
        const text = lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
        const bytes = Buffer.from(text, 'utf8');
        const cuts = cutsFor(bytes.length, picks, every);
        const parsed = text
          .split('\n')
          .filter((line) => line.length > 0)
          .map((line, i) => ({ locator: `line ${i + 1}`, value: JSON.parse(line) as unknown }));
        const seen = feed(JsonRecordSplitter, bytes, cuts).filter(
          (item) => !item.locator.includes('/'),
        );
        const unwrapped = parsed.filter((item) => wrapperArray(item.value) === null);
        expect(seen).toEqual(unwrapped);
      }),
      runs(300),
    );
  });
});
