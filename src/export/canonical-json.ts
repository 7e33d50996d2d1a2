// Canonical JSON in the style of RFC 8785 (JCS): sorted keys, no whitespace, ES number form.

export class CanonicalJsonError extends Error {}

/**
 * Serializes `value` canonically: object keys sorted by UTF-16 code units (what JS string
 * comparison does, as RFC 8785 section 3.2.3 asks), no insignificant whitespace, numbers in the
 * ECMAScript shortest form JSON.stringify already produces, strings escaped as JSON.stringify
 * escapes them (the same minimal set JCS uses). Undefined object members are left out, as
 * JSON.stringify does; non-finite numbers and lone surrogates are errors, not silent nulls.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`non-finite number ${value}`);
      return JSON.stringify(value);
    case 'string':
      if (/\p{Surrogate}/u.test(value)) {
        throw new CanonicalJsonError('string holds a lone surrogate, not valid in I-JSON');
      }
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as object);
    default:
      throw new CanonicalJsonError(`cannot serialize a ${typeof value}`);
  }
}

function canonicalArray(items: unknown[]): string {
  return `[${items.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
}

function canonicalObject(object: object): string {
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((object as { toJSON: () => unknown }).toJSON());
  }
  const entries = Object.entries(object).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The canonical form as UTF-8 bytes: what gets hashed and signed. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
