// Two-space JSON written piece by piece, byte for byte what JSON.stringify(value, null, 2) gives.
//
// A bundle member such as grants.json or the OSCAL results is mostly one long array. Building
// its text as one string holds the text, its UTF-8 copy and (for the OSCAL document) the whole
// object tree at once. Here the long arrays are marked with `streamedArray`: their items are
// pulled one at a time, each serialized by JSON.stringify itself and re-indented, so only one
// item and a bounded batch of text are alive. What sits above the marked arrays (a few small
// objects) is walked here, following the serialization steps of ECMA-262 (SerializeJSONProperty).

const GAP = '  ';
const BATCH_CHARS = 1 << 18;

/**
 * An array whose items are produced while it is written (an iterable, possibly lazy). It may
 * only appear in a value given to `prettyJsonPieces`; JSON.stringify refuses it loudly rather
 * than writing its fields.
 */
export class StreamedArray<T = unknown> {
  constructor(readonly items: Iterable<T>) {}

  toJSON(): never {
    throw new StreamedArrayError('a StreamedArray can only be written by prettyJsonPieces');
  }
}

/** JSON.stringify met a StreamedArray. */
export class StreamedArrayError extends TypeError {}

export function streamedArray<T>(items: Iterable<T>): StreamedArray<T> {
  return new StreamedArray(items);
}

type Holder = Record<string, unknown> | unknown[];

/** toJSON first, then boxed primitives unwrapped, as SerializeJSONProperty does. */
function prepared(value: unknown, key: string): unknown {
  if (value instanceof StreamedArray) return value;
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, key);
  }
  if (value instanceof Number) return Number(value);
  if (value instanceof String) return String(value);
  if (value instanceof Boolean) return value.valueOf();
  return value;
}

/** Values an object member is left out for, and an array item written as null for. */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** JSON.stringify of a value placed at `indent`: its inner lines shifted right by `indent`. */
function nativeAt(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined) return 'null';
  return indent === '' || !text.includes('\n') ? text : text.replaceAll('\n', `\n${indent}`);
}

class Walker {
  /** The containers being written, for the same cycle error JSON.stringify raises. */
  private readonly stack = new Set<object>();

  /** Pieces of an already prepared value that is not skipped, at `indent`. */
  *value(value: unknown, indent: string): Generator<string> {
    if (value instanceof StreamedArray) {
      yield* this.guarded(value, () => this.streamed(value, indent));
    } else if (Array.isArray(value)) {
      yield* this.guarded(value, () => this.array(value, indent));
    } else if (typeof value === 'object' && value !== null) {
      yield* this.guarded(value, () => this.object(value as Record<string, unknown>, indent));
    } else {
      // Primitives (a bigint throws here, as it does in JSON.stringify).
      yield JSON.stringify(value) ?? 'null';
    }
  }

  private *guarded(container: object, write: () => Generator<string>): Generator<string> {
    if (this.stack.has(container)) throw new TypeError('Converting circular structure to JSON');
    this.stack.add(container);
    yield* write();
    this.stack.delete(container);
  }

  private *object(object: Record<string, unknown>, indent: string): Generator<string> {
    // Every toJSON is called once, before anything is written: "{}" depends on what is left.
    const members: [string, unknown][] = [];
    for (const key of Object.keys(object)) {
      const value = prepared(object[key], key);
      if (!isSkipped(value)) members.push([key, value]);
    }
    if (members.length === 0) {
      yield '{}';
      return;
    }
    const inner = indent + GAP;
    for (const [index, [key, value]] of members.entries()) {
      yield `${index === 0 ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
      yield* this.value(value, inner);
    }
    yield `\n${indent}}`;
  }

  private *array(items: unknown[], indent: string): Generator<string> {
    if (items.length === 0) {
      yield '[]';
      return;
    }
    const inner = indent + GAP;
    for (let index = 0; index < items.length; index++) {
      yield `${index === 0 ? '[' : ','}\n${inner}`;
      yield* this.item(items as Holder, index, inner);
    }
    yield `\n${indent}]`;
  }

  private *streamed(array: StreamedArray, indent: string): Generator<string> {
    const inner = indent + GAP;
    let index = 0;
    for (const raw of array.items) {
      yield `${index === 0 ? '[' : ','}\n${inner}`;
      yield* this.item([raw], 0, inner, String(index));
      index += 1;
    }
    yield index === 0 ? '[]' : `\n${indent}]`;
  }

  /**
   * One array item. A plain object or array is handed to JSON.stringify whole (the fast path for
   * the many records of a long array); anything else, or an item holding streamed arrays, is
   * walked.
   */
  private *item(holder: Holder, at: number, indent: string, key = String(at)): Generator<string> {
    const raw = (holder as unknown[])[at];
    if (isPlainRecord(raw)) {
      let text: string | null = null;
      try {
        text = nativeAt(raw, indent);
      } catch (error) {
        // A streamed array deeper inside: nothing was written yet, so walk the item instead
        // (toJSON methods inside it then run twice; the bundle's records have none).
        if (!(error instanceof StreamedArrayError)) throw error;
      }
      if (text !== null) {
        yield text;
        return;
      }
    }
    const value = prepared(raw, key);
    if (isSkipped(value)) yield 'null';
    else yield* this.value(value, indent);
  }
}

/**
 * True for a plain object or array (no toJSON of its own) none of whose own values is a
 * StreamedArray: JSON.stringify writes it exactly as the walk would.
 */
function isPlainRecord(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const key of Object.keys(value)) {
    if ((value as Record<string, unknown>)[key] instanceof StreamedArray) return false;
  }
  return true;
}

/**
 * The text of `JSON.stringify(value, null, 2)` in pieces, where each StreamedArray in `value`
 * is written as the array of its items. Throws where JSON.stringify throws (cycles, bigint).
 * A top-level value JSON.stringify would return undefined for yields nothing.
 */
export function* prettyJsonPieces(value: unknown): Generator<string> {
  const top = prepared(value, '');
  if (isSkipped(top)) return;
  yield* new Walker().value(top, '');
}

/** Joins pieces of text into UTF-8 chunks of about 256 KiB (fewer, larger writes downstream). */
export function* utf8Batches(
  pieces: Iterable<string>,
  batchChars = BATCH_CHARS,
): Generator<Buffer> {
  let batch: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    batch.push(piece);
    length += piece.length;
    if (length >= batchChars) {
      yield Buffer.from(batch.join(''), 'utf8');
      batch = [];
      length = 0;
    }
  }
  if (length > 0) yield Buffer.from(batch.join(''), 'utf8');
}

/** A bundle member's bytes in chunks: two-space JSON of `value` and a final newline. */
export function prettyJsonChunks(value: unknown): Generator<Buffer> {
  return utf8Batches(
    (function* () {
      let empty = true;
      for (const piece of prettyJsonPieces(value)) {
        empty = false;
        yield piece;
      }
      if (empty) throw new TypeError('value has no JSON form (undefined, a function or a symbol)');
      yield '\n';
    })(),
  );
}
