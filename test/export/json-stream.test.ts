// Streamed two-space JSON: the same text as JSON.stringify(value, null, 2) on tricky values.
import { describe, expect, it } from 'vitest';
import {
  prettyJsonChunks,
  prettyJsonPieces,
  streamedArray,
  StreamedArray,
  StreamedArrayError,
  utf8Batches,
} from '../../src/export/json-stream.js';

/** The value JSON.stringify should see: every StreamedArray replaced by an array of its items. */
function materialized(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value instanceof StreamedArray) return [...value.items].map((v) => materialized(v, seen));
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    seen.set(value, copy);
    for (let i = 0; i < value.length; i++) if (i in value) copy[i] = materialized(value[i], seen);
    return copy;
  }
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const key of Object.keys(value)) {
    copy[key] = materialized((value as Record<string, unknown>)[key], seen);
  }
  return copy;
}

function streamed(value: unknown): string {
  return [...prettyJsonPieces(value)].join('');
}

function expectSame(value: unknown): void {
  const expected = JSON.stringify(materialized(value), null, 2);
  expect(streamed(value)).toBe(expected ?? '');
}

const TRICKY_STRINGS = [
  '',
  'plain',
  'quote " backslash \\ slash /',
  'line\nbreak\r\ttab\u0000nul\u001f\u007f',
  'Tomás Ünal 名前 😀 \u2028\u2029',
  '\ud800 lone high',
  'lone low \udc00',
  '\ud83d\ude00 pair and lone \ud83d',
  '  leading and trailing  ',
  '{"json": "inside", "a": [1, 2]}',
];

/** A seeded PRNG (mulberry32) so the random cases are the same on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 8 : 14));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return [0, -0, 1.5, -1e21, 1e-7, NaN, Infinity, Number.MAX_SAFE_INTEGER][
        Math.floor(random() * 8)
      ];
    case 3:
    case 4:
      return TRICKY_STRINGS[Math.floor(random() * TRICKY_STRINGS.length)];
    case 5:
      return undefined;
    case 6:
      return new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(random() * 1e6)));
    case 7:
      return [() => 1, Symbol('s'), new Number(3), new String('boxed'), new Boolean(false)][
        Math.floor(random() * 5)
      ];
    case 8:
    case 9: {
      const items = Array.from({ length: Math.floor(random() * 4) }, () =>
        randomValue(random, depth + 1),
      );
      return random() < 0.4 ? streamedArray(items) : items;
    }
    default: {
      const object: Record<string, unknown> = {};
      const count = Math.floor(random() * 5);
      for (let i = 0; i < count; i++) {
        const key = random() < 0.3 ? TRICKY_STRINGS[i % TRICKY_STRINGS.length] : `k${i}`;
        object[key] = randomValue(random, depth + 1);
      }
      return object;
    }
  }
}

describe('prettyJsonPieces', () => {
  it('matches JSON.stringify on escapes, unicode, lone surrogates and odd numbers', () => {
    expectSame({
      strings: TRICKY_STRINGS,
      keys: Object.fromEntries(TRICKY_STRINGS.map((s) => [s, s])),
    });
    expectSame(streamedArray([0, -0, NaN, -Infinity, 1e21, 5e-324, 0.1 + 0.2]));
    expectSame(TRICKY_STRINGS[5]);
    expectSame(42);
    expectSame(null);
  });

  it('matches JSON.stringify on empty containers, undefined members, holes and skipped values', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , 3];
    expectSame({ a: [], b: {}, c: { gone: undefined, fn: () => 1, sym: Symbol('x') }, sparse });
    expectSame([undefined, () => 1, Symbol('y'), { nested: [[], [{}], [[[]]]] }]);
    expectSame({ list: streamedArray([]), empty: streamedArray([undefined]) });
    expectSame({ [Symbol('hidden')]: 1, shown: 2 });
    expectSame(Object.assign(Object.create(null), { bare: 'prototype-less' }));
  });

  it('calls toJSON with the member key or item index, and unwraps boxed primitives', () => {
    const keyed = { toJSON: (key: string) => `key=${key}` };
    const value = {
      when: new Date('2026-03-31T23:59:59.123Z'),
      keyed,
      list: [keyed, keyed],
      streamed: streamedArray([keyed, { inner: keyed }, new Date(0)]),
      boxed: [new Number(-0), new String('s'), new Boolean(true)],
      toJsonUndefined: { toJSON: () => undefined },
      nestedToJson: { toJSON: () => ({ deeper: { toJSON: () => [1, 2] } }) },
      map: new Map([['a', 1]]),
    };
    expectSame(value);
    expect(streamed(value)).toContain('"keyed": "key=keyed"');
    expect(streamed(value)).toContain('"key=1"');
  });

  it('matches JSON.stringify on 500 random nested values with streamed arrays anywhere', () => {
    const random = prng(20261204);
    for (let n = 0; n < 500; n++) expectSame(randomValue(random, 0));
  });

  it('writes items of a streamed array one at a time, pulling the iterable lazily', () => {
    let produced = 0;
    function* records() {
      for (let i = 0; i < 1000; i++) {
        produced += 1;
        yield { i, text: 'x'.repeat(100) };
      }
    }
    const chunks = utf8Batches(prettyJsonPieces({ records: streamedArray(records()) }), 4096);
    const first = chunks.next();
    expect(first.done).toBe(false);
    expect(produced).toBeLessThan(50);
    const rest = [...chunks];
    expect(produced).toBe(1000);
    const text = Buffer.concat([first.value as Buffer, ...rest]).toString('utf8');
    expect(text).toBe(
      JSON.stringify(
        { records: Array.from({ length: 1000 }, (_, i) => ({ i, text: 'x'.repeat(100) })) },
        null,
        2,
      ),
    );
  });

  it('walks an item whose streamed arrays sit deeper than its own members', () => {
    const value = streamedArray([
      { wrapper: { deep: streamedArray([1, { two: 2 }]) } },
      { plain: 1 },
    ]);
    expectSame(value);
    expect(() => JSON.stringify(streamedArray([]))).toThrow(StreamedArrayError);
  });

  it('throws where JSON.stringify throws: cycles and bigints', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(() => streamed(cyclic)).toThrow(TypeError);
    expect(() => streamed(streamedArray([cyclic]))).toThrow(TypeError);
    const list: unknown[] = [];
    list.push({ list: streamedArray([list]) });
    expect(() => streamed({ list })).toThrow(TypeError);
    expect(() => streamed({ big: 1n })).toThrow(TypeError);
    // The same object twice is not a cycle.
    const shared = { s: 1 };
    expectSame({ a: shared, b: [shared, shared], c: streamedArray([shared, shared]) });
  });
});

describe('prettyJsonChunks', () => {
  it('gives UTF-8 bytes of the text and a final newline, batching across multi-byte text', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ i, name: `Tomás 名前 😀 ${i}` }));
    const bytes = Buffer.concat([...prettyJsonChunks({ items: streamedArray(items) })]);
    expect(bytes.equals(Buffer.from(`${JSON.stringify({ items }, null, 2)}\n`, 'utf8'))).toBe(true);
    expect([...prettyJsonChunks({ items: streamedArray(items) })].length).toBeGreaterThan(1);
  });

  it('refuses a value without a JSON form instead of writing "undefined"', () => {
    expect(() => [...prettyJsonChunks(undefined)]).toThrow(/no JSON form/);
  });
});
