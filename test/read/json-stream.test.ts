// Tests for the streaming JSON splitter: containers, locators, chunk boundaries and faults.
import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter } from '../../src/read/json-stream.js';
import { JsonRecordSplitter as OracleSplitter } from './json-stream-oracle.js';

interface Seen {
  locator: string;
  value: unknown;
  problem?: string;
}

function split(text: string | Buffer, chunkSize = 7, Splitter = JsonRecordSplitter): Seen[] {
  const seen: Seen[] = [];
  const splitter = new Splitter((record, problem) => {
    const value = record.data.kind === 'json' ? record.data.value : undefined;
    seen.push(
      problem ? { locator: record.locator, value, problem } : { locator: record.locator, value },
    );
  });
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < bytes.length; i += chunkSize)
    splitter.write(bytes.subarray(i, i + chunkSize));
  splitter.end();
  return seen;
}

describe('JsonRecordSplitter', () => {
  it('streams the elements of a top-level array with JSON pointers', () => {
    expect(split('[{"a":1},{"b":"x]}"} , {"c":[1,{"d":2}]}]')).toEqual([
      { locator: '/0', value: { a: 1 } },
      { locator: '/1', value: { b: 'x]}' } },
      { locator: '/2', value: { c: [1, { d: 2 }] } },
    ]);
  });

  it('unwraps the record array of a wrapper object and skips its other keys', () => {
    const text = '{"@odata.context":"x","value":[{"id":"1"},{"id":"2"}],"@odata.nextLink":"n"}';
    expect(split(text, 5)).toEqual([
      { locator: '/value/0', value: { id: '1' } },
      { locator: '/value/1', value: { id: '2' } },
    ]);
  });

  it('keeps a single object whole when it has no wrapper key', () => {
    const text = '{\n "eventVersion": "1.08",\n "resources": [{"ARN": "a"}]\n}\n';
    expect(split(text)).toEqual([
      { locator: 'line 1', value: { eventVersion: '1.08', resources: [{ ARN: 'a' }] } },
    ]);
  });

  it('reads NDJSON line by line and rejects only the broken line', () => {
    const text = '{"n":1}\n{"n":2\n\n{"n":3}\r\n';
    const seen = split(text, 3);
    expect(seen.map((s) => s.locator)).toEqual(['line 1', 'line 2', 'line 4']);
    expect(seen[0].value).toEqual({ n: 1 });
    expect(seen[1].problem).toMatch(/invalid JSON on line 2 \(byte 8\)/);
    expect(seen[2].value).toEqual({ n: 3 });
  });

  it('expands NDJSON lines that are wrapper objects', () => {
    const text = '{"Records":[{"e":1}]}\n{"Records":[{"e":2},{"e":3}]}\n';
    expect(split(text).map((s) => [s.locator, s.value])).toEqual([
      ['/Records/0', { e: 1 }],
      ['line 2 /Records/0', { e: 2 }],
      ['line 2 /Records/1', { e: 3 }],
    ]);
  });

  it('reads concatenated arrays (saved Okta pages)', () => {
    const text = '[{"u":1}]\n[{"u":2},{"u":3}]';
    expect(split(text).map((s) => s.locator)).toEqual(['/0', 'line 2 /0', 'line 2 /1']);
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(split('\uFEFF[{"a":"é"}]', 2)).toEqual([{ locator: '/0', value: { a: 'é' } }]);
  });

  it('rejects a broken element and goes on with the next one', () => {
    const seen = split('[{"a":1},{"b":tru},{"c":3}]');
    expect(seen.map((s) => s.locator)).toEqual(['/0', '/1', '/2']);
    expect(seen[1].problem).toMatch(/invalid JSON in record starting at byte 9/);
    expect(seen[2].value).toEqual({ c: 3 });
  });

  it('names the position of a missing comma and of a trailing comma', () => {
    const missing = split('[{"a":1} {"b":2}]');
    expect(missing.find((s) => s.problem)?.problem).toMatch(/missing ',' before byte 9/);
    expect(missing.filter((s) => !s.problem).map((s) => s.value)).toEqual([{ a: 1 }, { b: 2 }]);

    const trailing = split('[{"a":1},]');
    expect(trailing.filter((s) => !s.problem).map((s) => s.value)).toEqual([{ a: 1 }]);
    expect(trailing.find((s) => s.problem)?.problem).toBe(
      "invalid JSON: trailing ',' before ']' at byte 9 (line 1)",
    );
    expect(trailing.find((s) => s.problem)?.locator).toBe('byte 9');
  });

  it('reports truncated input with the offset where the record began', () => {
    const seen = split('[{"a":1},{"b":[1,2');
    expect(seen[0].value).toEqual({ a: 1 });
    expect(seen[1].problem).toMatch(
      /truncated JSON: input ended inside an array element that began at byte 9/,
    );
  });

  it('handles scalar elements', () => {
    expect(split('[1, "two", true, null]').map((s) => s.value)).toEqual([1, 'two', true, null]);
  });

  describe('at every chunk size (the old byte-by-byte splitter agrees)', () => {
    /** Splits at every chunk size from 1 to the whole text and checks all give `expected`. */
    function expectAtEverySize(text: string | Buffer, expected: Seen[]): void {
      const length = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
      for (let size = 1; size <= length + 1; size += 1) {
        expect(split(text, size), `chunk size ${size}`).toEqual(expected);
        expect(split(text, size, OracleSplitter), `old, chunk size ${size}`).toEqual(expected);
      }
    }

    it('keeps escaped quotes and backslash runs inside strings, cut anywhere', () => {
      const text = String.raw`{"Records":[{"a":"x\"}]"},{"b":"\\"},{"c":"\\\"\\"},{"d":"]\\\\"}]}`;
      expectAtEverySize(text, [
        { locator: '/Records/0', value: { a: 'x"}]' } },
        { locator: '/Records/1', value: { b: '\\' } },
        { locator: '/Records/2', value: { c: '\\"\\' } },
        { locator: '/Records/3', value: { d: ']\\\\' } },
      ]);
    });

    it('decodes multi-byte characters cut by chunks', () => {
      expectAtEverySize('[{"city":"東京"},"😀",{"e":"é"}]', [
        { locator: '/0', value: { city: '東京' } },
        { locator: '/1', value: '😀' },
        { locator: '/2', value: { e: 'é' } },
      ]);
    });

    it('names the absolute byte of malformed UTF-8 inside a record', () => {
      const bytes = Buffer.concat([
        Buffer.from('[{"a":"ok"},{"b":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"},{"c":1}]'),
      ]);
      const problem =
        'invalid UTF-8: byte 0xC3 at byte 18 in the record starting at byte 12; the record ' +
        'was not decoded (re-export the file as UTF-8)';
      expectAtEverySize(bytes, [
        { locator: '/0', value: { a: 'ok' } },
        { locator: '/1', value: undefined, problem },
        { locator: '/2', value: { c: 1 } },
      ]);
    });

    it('counts lines of pretty-printed documents for locators and faults', () => {
      const text = '[\n  {"a": 1}\n  {"b": 2},\n]\n{"x": [1,\n 2]}\n{"y": 3}';
      expectAtEverySize(text, [
        { locator: '/0', value: { a: 1 } },
        {
          locator: 'byte 15',
          value: undefined,
          problem: "invalid JSON: missing ',' before byte 15 (line 3)",
        },
        { locator: '/1', value: { b: 2 } },
        {
          locator: 'byte 25',
          value: undefined,
          problem: "invalid JSON: trailing ',' before ']' at byte 25 (line 4)",
        },
        { locator: 'line 5', value: { x: [1, 2] } },
        { locator: 'line 7', value: { y: 3 } },
      ]);
    });

    it('reads NDJSON lines cut anywhere, with the line and byte of a broken one', () => {
      const text = '{"n":1}\n{"s":"a\\"b"}\r\n{"n":\n\n{"n":4}';
      const seen = split(text, 1);
      expectAtEverySize(text, seen);
      expect(seen.map((s) => s.locator)).toEqual(['line 1', 'line 2', 'line 3', 'line 5']);
      expect(seen[1].value).toEqual({ s: 'a"b' });
      expect(seen[2].problem).toMatch(/^invalid JSON on line 3 \(byte 22\)/);
    });

    it('reports a document truncated inside a string with its start', () => {
      expectAtEverySize('{"Records":[{"a":"b\\', [
        {
          locator: 'byte 12',
          value: undefined,
          problem:
            'truncated JSON: input ended inside an array element that began at byte 12 (line 1)',
        },
      ]);
    });
  });
});
