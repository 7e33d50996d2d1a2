// Canonical JSON: RFC 8785 key order, numbers and escapes.
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from '../../src/export/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units (the RFC 8785 section 3.2.3 example)', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the order from the text: Object.keys would list the integer-like key "1" first.
    const keys = [...canonicalJson(value).matchAll(/"([^"]*)":"[^"]*"/g)].map((m) =>
      JSON.parse(`"${m[1]}"`),
    );
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('writes no whitespace, ES numbers, minimal escapes, nested sorting', () => {
    expect(
      canonicalJson({ b: [1, { d: 1e21, c: 0.1 }], a: 'x"\n\u001f', e: -0, f: null, g: undefined }),
    ).toBe('{"a":"x\\"\\n\\u001f","b":[1,{"c":0.1,"d":1e+21}],"e":0,"f":null}');
  });

  it('refuses values with no canonical form', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson('\ud800')).toThrow(CanonicalJsonError);
    expect(canonicalJson('\ud83d\ude00')).toBe('"\ud83d\ude00"');
  });
});
