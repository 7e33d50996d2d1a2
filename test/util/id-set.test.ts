// IdSet: exact string membership, packed for lower-case UUIDs, plain for everything else.
import { describe, expect, test } from 'vitest';
import { IdSet } from '../../src/util/id-set.js';

function uuid(n: number): string {
  const hex = n.toString(16).padStart(32, '0');
  const parts = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20)];
  return `${parts.join('-')}-${hex.slice(20)}`;
}

describe('IdSet', () => {
  test('holds many UUIDs exactly through growth', () => {
    const set = new IdSet();
    for (let n = 0; n < 50_000; n += 2) set.add(uuid(n * 7919));
    expect(set.size).toBe(25_000);
    for (let n = 0; n < 50_000; n += 1) expect(set.has(uuid(n * 7919))).toBe(n % 2 === 0);
    set.add(uuid(0));
    expect(set.size).toBe(25_000);
  });

  test('ids differing only in the last or first hex digit stay distinct', () => {
    const set = new IdSet();
    set.add('ffffffff-ffff-4fff-8fff-fffffffffff0');
    expect(set.has('ffffffff-ffff-4fff-8fff-fffffffffff1')).toBe(false);
    expect(set.has('0fffffff-ffff-4fff-8fff-fffffffffff0')).toBe(false);
    expect(set.has('ffffffff-ffff-4fff-8fff-fffffffffff0')).toBe(true);
  });

  test('upper-case and other ids compare as plain strings', () => {
    const set = new IdSet();
    set.add('ABCDEF01-2345-4678-9ABC-DEF012345678');
    set.add('event-1');
    expect(set.has('abcdef01-2345-4678-9abc-def012345678')).toBe(false);
    expect(set.has('ABCDEF01-2345-4678-9ABC-DEF012345678')).toBe(true);
    expect(set.has('event-1')).toBe(true);
    expect(set.has('event-2')).toBe(false);
    expect(set.size).toBe(2);
  });

  test('keeps the value of each id through growth; a second add keeps the first', () => {
    const set = new IdSet();
    const uuid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    for (let n = 0; n < 5000; n += 1) set.add(uuid(n), n * 7919);
    set.add('event-x', 0xfffffffe);
    set.add(uuid(3), 1);
    set.add('event-x', 2);
    expect(set.get(uuid(3))).toBe(3 * 7919);
    expect(set.get(uuid(4999))).toBe(4999 * 7919);
    expect(set.get('event-x')).toBe(0xfffffffe);
    expect(set.get(uuid(5000))).toBeUndefined();
    expect(set.get('event-y')).toBeUndefined();
  });
});
