// Streams JSON records out of arrays, wrapper objects, NDJSON and concatenated documents.
import type { RawRecord } from './record.js';
import { isUtf8 } from 'node:buffer';
import { incompleteTail, invalidUtf8Problem } from './utf8.js';

/** Top-level keys whose array value holds the records (CloudTrail, Graph, ServiceNow, ...). */
export const WRAPPER_KEYS = new Set([
  'Records',
  'records',
  'value',
  'result',
  'entries',
  'events',
  'issues',
  'logs',
  'items',
  'Events',
]);

const WRAPPER_KEY_LIST = [...WRAPPER_KEYS];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const EMPTY = Buffer.alloc(0);

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === NEWLINE || byte === 0x0d;
}

/** What the splitter is collecting at the moment. */
type Mode =
  | 'top' // between top-level documents
  | 'document' // inside a top-level object or scalar kept whole as one record
  | 'array' // directly inside a streamed array, between elements
  | 'element' // inside an element of a streamed array
  | 'wrapper' // inside a top-level object, scanning for a wrapper key
  | 'skip' // inside a wrapper object's non-record value
  | 'ndjson'; // line-by-line mode after the first line proved to be one complete document

/**
 * An incremental splitter: feed it chunks, it calls `emit` with each record. It never holds more
 * than the record being read (plus, for a top-level object that is not a wrapper, that object).
 * Structural faults become rejected records with their byte offset; parsing goes on where the
 * structure allows it, so one bad element does not lose the rest of the file.
 */
export class JsonRecordSplitter {
  private mode: Mode = 'top';
  private offset = 0; // absolute byte offset of the next byte to read
  // Lines are counted lazily, since only document starts and faults name one: `lineAtScan` is
  // the line of byte `lineScan` of the current chunk, `nextNewline` the first newline at or after
  // it (-1: none in the chunk, -2: not searched yet), `cursor` the index of the byte being stepped.
  private current: Buffer = EMPTY;
  private lineAtScan = 1;
  private lineScan = 0;
  private nextNewline = -2;
  private cursor = 0;
  // Where the current chunk is known to be well-formed UTF-8 (`validEnd` -1: not checked yet).
  private validStart = 0;
  private validEnd = -1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] = [];
  private partStart = -1; // offset in the current chunk where the collected part begins
  private recordStartOffset = 0;
  private recordStartLine = 1;
  private documentIndex = 0;
  private elementIndex = 0;
  private arrayPointer = '';
  private expectComma = false;
  private wrapperKey: string | null = null;
  private keyText: string | null = null;
  private collectingKey = false;
  private keyParts: number[] = [];
  private wrapperDepthBase = 0;
  private afterKeyColon = false;
  private firstDocumentSingleLine = false;
  private documentStartLine = 1;
  // Locators must differ between records: a second document starting on the same line
  // (`{"a":1}{"b":2}`) is told apart by its byte offset.
  private documentLabel = 'line 1';
  private lastLabelLine = 0;
  private lastRejectAt = -1;
  private rejectsAtLast = 0;
  private lastDocumentEndLine = 0;
  private ndjsonLine: Buffer[] = [];
  private sawBom = false;
  private prefix: Buffer | null = null;

  constructor(private readonly emit: (record: RawRecord, problem?: string) => void) {}

  write(input: Buffer): void {
    let chunk = input;
    let start = 0;
    if (!this.sawBom) {
      // Hold back the first bytes until a UTF-8 byte order mark can be recognized whole.
      chunk = this.prefix ? Buffer.concat([this.prefix, input]) : input;
      if (chunk.length < 3 && BOM.subarray(0, chunk.length).equals(chunk)) {
        this.prefix = chunk;
        return;
      }
      this.prefix = null;
      this.sawBom = true;
      if (chunk.subarray(0, 3).equals(BOM)) {
        start = 3;
        this.offset = 3;
      }
    }
    this.current = chunk;
    this.lineScan = 0;
    this.nextNewline = -2;
    this.validEnd = -1;
    this.writeChunk(chunk, start);

    // Count the chunk's remaining newlines before it is let go.
    this.lineAt(chunk.length);
    this.current = EMPTY;
  }

  private writeChunk(chunk: Buffer, start: number): void {
    if (this.mode === 'ndjson') {
      this.writeNdjson(chunk, start);
      return;
    }
    this.partStart = this.collecting() ? start : -1;
    for (let i = start; i < chunk.length; i += 1) {
      const mode = this.mode as Mode;
      if (mode === 'ndjson') {
        this.flushPart(chunk, i);
        this.writeNdjson(chunk, i);
        return;
      }
      // Stretches where only nesting and string state change go through the fast scan; the byte
      // it stops at (a closer or closing quote that ends something) is left for `step`.
      if (mode === 'element' || mode === 'document' || mode === 'skip') {
        if (this.depth > 0 || this.inString) {
          i = this.scanNested(chunk, i, 0);
          if (i >= chunk.length) break;
        }
      } else if (mode === 'wrapper' && (this.depth > 1 || (this.inString && this.afterKeyColon))) {
        // Below the top level of a wrapper object, or in a value string of it: no key to watch.
        i = this.scanNested(chunk, i, 1);
        if (i >= chunk.length) break;
      }
      this.cursor = i;
      this.step(chunk[i], chunk, i);
      this.offset += 1;
    }
    this.flushPart(chunk, chunk.length);
  }

  /** The line of byte `index` of the current chunk; every newline is searched for only once. */
  private lineAt(index: number): number {
    if (index <= this.lineScan) return this.lineAtScan;
    let next = this.nextNewline;
    if (next === -2) next = this.current.indexOf(NEWLINE, this.lineScan);
    while (next >= 0 && next < index) {
      this.lineAtScan += 1;
      next = this.current.indexOf(NEWLINE, next + 1);
    }
    this.nextNewline = next;
    this.lineScan = index;
    return this.lineAtScan;
  }

  /** The line of the byte being stepped (the byte-by-byte reader's running line count). */
  private get line(): number {
    return this.lineAt(this.cursor);
  }

  end(): void {
    if (this.prefix) {
      const held = this.prefix;
      this.prefix = null;
      this.sawBom = true;
      this.write(held);
    }
    if (this.mode === 'ndjson') {
      if (this.ndjsonLine.length > 0) this.finishNdjsonLine();
      return;
    }
    if (this.mode === 'document' || this.mode === 'element') {
      const what = this.mode === 'element' ? 'an array element' : 'a document';
      this.reject(
        `truncated JSON: input ended inside ${what} that began at byte ${this.recordStartOffset} (line ${this.recordStartLine})`,
      );
    } else if (this.mode === 'array' || this.mode === 'wrapper' || this.mode === 'skip') {
      this.reject(
        `truncated JSON: input ended at byte ${this.offset} before the closing bracket`,
        this.offset,
      );
    }
    this.parts = [];
  }

  private collecting(): boolean {
    return this.mode === 'document' || this.mode === 'element' || this.mode === 'wrapper';
  }

  private flushPart(chunk: Buffer, end: number): void {
    if (this.partStart >= 0 && end > this.partStart)
      this.parts.push(chunk.subarray(this.partStart, end));
    this.partStart = -1;
  }

  private beginRecord(chunk: Buffer, index: number): void {
    this.parts = [];
    this.partStart = index;
    this.recordStartOffset = this.offset;
    this.recordStartLine = this.line;
  }

  private finishRecord(chunk: Buffer, index: number, locator: string): void {
    // A record inside the current chunk is decoded in place, without a copy.
    if (this.parts.length === 0 && this.partStart >= 0 && index + 1 > this.partStart) {
      const start = this.partStart;
      this.partStart = -1;
      if (this.wellFormedRange(chunk, start, index + 1)) {
        this.parse(chunk.toString('utf8', start, index + 1), locator, this.recordStartOffset);
        return;
      }
      this.parts.push(chunk.subarray(start, index + 1));
    }
    this.flushPart(chunk, index + 1);
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    const problem = invalidUtf8Problem(bytes, this.recordStartOffset, 'the record');
    if (problem) {
      this.emit({ locator, data: { kind: 'json', value: undefined } }, problem);
      return;
    }
    this.parse(bytes.toString('utf8'), locator, this.recordStartOffset);
  }

  /**
   * True when chunk bytes [start, end) are well-formed UTF-8, judged from one check of the whole
   * chunk: a range of a well-formed stretch is well-formed when it neither starts nor ends inside
   * a character, that is, when neither `start` nor `end` holds a continuation byte.
   */
  private wellFormedRange(chunk: Buffer, start: number, end: number): boolean {
    if (this.validEnd < 0) this.checkChunkUtf8(chunk);
    return (
      start >= this.validStart &&
      end <= this.validEnd &&
      (chunk[start] & 0xc0) !== 0x80 &&
      (end === this.validEnd || (chunk[end] & 0xc0) !== 0x80)
    );
  }

  // The chunk less the pieces of characters cut by its boundaries; an empty range if malformed.
  private checkChunkUtf8(chunk: Buffer): void {
    let start = 0;
    while (start < 3 && start < chunk.length && (chunk[start] & 0xc0) === 0x80) start += 1;
    const end = chunk.length - incompleteTail(chunk);
    const whole = start === 0 && end === chunk.length;
    const valid = isUtf8(whole ? chunk : chunk.subarray(start, end));
    this.validStart = valid ? start : 0;
    this.validEnd = valid ? end : 0;
  }

  private parse(text: string, locator: string, startOffset: number): void {
    try {
      this.emit({ locator, data: { kind: 'json', value: JSON.parse(text) } });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.emit(
        { locator, data: { kind: 'json', value: undefined } },
        `invalid JSON in record starting at byte ${startOffset}: ${detail}`,
      );
    }
  }

  private reject(problem: string, at = this.recordStartOffset): void {
    // Two faults can fall on one byte (a missing comma, then a truncated element there).
    const count = at === this.lastRejectAt ? this.rejectsAtLast + 1 : 1;
    this.lastRejectAt = at;
    this.rejectsAtLast = count;
    const locator = count === 1 ? `byte ${at}` : `byte ${at} (fault ${count})`;
    this.emit({ locator, data: { kind: 'json', value: undefined } }, problem);
  }

  private topLocator(): string {
    return this.documentLabel;
  }

  private elementLocator(): string {
    const pointer = `${this.arrayPointer}/${this.elementIndex}`;
    return this.documentIndex === 0 ? pointer : `${this.documentLabel} ${pointer}`;
  }

  /**
   * The hot loop. Consumes bytes from `from` while only nesting and string state change, that is
   * while inside a string or nested deeper than `floor`, keeping exactly the state the step
   * functions would. Returns the index of the byte that needs a step (the closer that brings the
   * depth back to `floor`, or the quote closing a string at depth `floor`), or the chunk's length.
   */
  private scanNested(chunk: Buffer, from: number, floor: number): number {
    const end = chunk.length;
    let depth = this.depth;
    let i = from;
    if (this.inString) {
      i = this.skipString(chunk, i);
      if (i >= end || depth <= floor) {
        this.offset += i - from;
        return i;
      }
      this.inString = false;
      i += 1;
    }
    for (; i < end; i += 1) {
      const byte = chunk[i];
      if (byte === QUOTE) {
        i = this.skipString(chunk, i + 1);
        if (i >= end) {
          this.inString = true;
          break;
        }
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth += 1;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (depth === floor + 1) break;
        depth -= 1;
      }
    }
    this.depth = depth;
    this.offset += i - from;
    return i;
  }

  /**
   * Inside a string from `from` on: the index of its closing quote, or the chunk's length (then
   * `escaped` tells whether the next chunk starts with an escaped byte). Jumps from quote to quote
   * (native search); a quote is escaped when an odd run of backslashes precedes it.
   */
  private skipString(chunk: Buffer, from: number): number {
    let floor = from; // no byte before it can escape a byte at or after it
    if (this.escaped) {
      if (floor >= chunk.length) return chunk.length;
      this.escaped = false;
      floor += 1;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, floor);
      if (quote < 0) {
        this.escaped = oddBackslashRun(chunk, chunk.length, floor);
        return chunk.length;
      }
      if (!oddBackslashRun(chunk, quote, floor)) return quote;
      floor = quote + 1;
    }
  }

  // Tracks strings and nesting for the byte at chunk[index]; returns true if it was inside a string.
  private scanString(byte: number): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (byte === BACKSLASH) this.escaped = true;
      else if (byte === QUOTE) this.inString = false;
      return true;
    }
    if (byte === QUOTE) {
      this.inString = true;
      return true;
    }
    return false;
  }

  private step(byte: number, chunk: Buffer, index: number): void {
    switch (this.mode) {
      case 'top':
        return this.stepTop(byte, chunk, index);
      case 'document':
      case 'element':
        return this.stepCollect(byte, chunk, index);
      case 'array':
        return this.stepArray(byte, chunk, index);
      case 'wrapper':
        return this.stepWrapper(byte, chunk, index);
      case 'skip':
        return this.stepSkip(byte);
      default:
        return;
    }
  }

  private stepTop(byte: number, chunk: Buffer, index: number): void {
    if (isSpace(byte)) return;
    this.documentStartLine = this.line;
    this.documentLabel =
      this.line === this.lastLabelLine
        ? `line ${this.line} byte ${this.offset}`
        : `line ${this.line}`;
    this.lastLabelLine = this.line;
    const onLaterLine = this.line > this.lastDocumentEndLine;
    if (
      this.documentIndex === 1 &&
      this.firstDocumentSingleLine &&
      onLaterLine &&
      byte === OPEN_BRACE
    ) {
      // The first document filled exactly one line: read the rest as NDJSON, line by line, so a
      // broken line costs only itself.
      this.mode = 'ndjson';
      this.ndjsonLine = [Buffer.from([OPEN_BRACE])];
      this.recordStartLine = this.line;
      this.recordStartOffset = this.offset;
      return;
    }
    if (byte === OPEN_BRACKET) {
      this.mode = 'array';
      this.arrayPointer = '';
      this.elementIndex = 0;
      this.expectComma = false;
      this.recordStartLine = this.line;
      return;
    }
    if (byte === OPEN_BRACE) {
      this.mode = 'wrapper';
      this.depth = 1;
      this.wrapperKey = null;
      this.keyText = null;
      this.afterKeyColon = false;
      this.beginRecord(chunk, index);
      return;
    }
    this.mode = 'document';
    this.depth = 0;
    this.beginRecord(chunk, index);
    this.stepCollect(byte, chunk, index);
  }

  // Inside a top-level object: keep its bytes (it may be one record) while watching for a
  // top-level key whose value is an array of records.
  private stepWrapper(byte: number, chunk: Buffer, index: number): void {
    const wasInString = this.inString;
    if (this.scanString(byte)) {
      if (this.depth === 1 && !this.afterKeyColon) {
        if (!wasInString) {
          this.collectingKey = true;
          this.keyParts = [];
        } else if (!this.inString) {
          this.collectingKey = false;
          this.keyText = Buffer.from(this.keyParts).toString('utf8');
        } else if (this.collectingKey && this.keyParts.length < 256) {
          this.keyParts.push(byte);
        }
      }
      return;
    }
    if (isSpace(byte)) return;
    if (this.depth === 1 && byte === COLON) {
      this.afterKeyColon = true;
      return;
    }
    if (
      this.depth === 1 &&
      this.afterKeyColon &&
      byte === OPEN_BRACKET &&
      this.keyText &&
      WRAPPER_KEYS.has(this.keyText)
    ) {
      // A wrapper: drop what was collected and stream the array's elements.
      this.parts = [];
      this.partStart = -1;
      this.wrapperKey = this.keyText;
      this.arrayPointer = `/${this.keyText}`;
      this.elementIndex = 0;
      this.expectComma = false;
      this.wrapperDepthBase = 1;
      this.mode = 'array';
      this.afterKeyColon = false;
      return;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth += 1;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) this.depth -= 1;
    else if (this.depth === 1 && byte === COMMA) {
      this.afterKeyColon = false;
      this.keyText = null;
    }
    if (this.depth === 0) {
      // The object closed without a wrapper key: it is one record.
      this.finishRecord(chunk, index, this.topLocator());
      this.endDocument();
    }
  }

  // Inside a wrapper object after its record array closed: skip the remaining keys.
  private stepSkip(byte: number): void {
    if (this.scanString(byte)) return;
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth += 1;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      this.depth -= 1;
      if (this.depth === 0) this.endDocument();
    }
  }

  private stepArray(byte: number, chunk: Buffer, index: number): void {
    if (isSpace(byte)) return;
    if (byte === CLOSE_BRACKET) {
      if (!this.expectComma && this.elementIndex > 0) {
        // `[a, b,]`: the elements stand, but the file is not valid JSON and the export may have
        // been cut or edited by hand, so the fault is counted instead of passed over.
        this.reject(
          `invalid JSON: trailing ',' before ']' at byte ${this.offset} (line ${this.line})`,
          this.offset,
        );
      }
      if (this.wrapperKey !== null) {
        this.mode = 'skip';
        this.depth = 1;
        this.wrapperKey = null;
      } else {
        this.endDocument();
      }
      return;
    }
    if (byte === COMMA) {
      if (!this.expectComma)
        this.reject(
          `invalid JSON: unexpected ',' at byte ${this.offset} (line ${this.line})`,
          this.offset,
        );
      this.expectComma = false;
      return;
    }
    if (this.expectComma) {
      this.reject(
        `invalid JSON: missing ',' before byte ${this.offset} (line ${this.line})`,
        this.offset,
      );
    }
    this.mode = 'element';
    this.depth = 0;
    this.beginRecord(chunk, index);
    this.stepCollect(byte, chunk, index);
  }

  private stepCollect(byte: number, chunk: Buffer, index: number): void {
    if (this.scanString(byte)) {
      if (!this.inString && this.depth === 0) this.closeScalar(chunk, index);
      return;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      this.depth += 1;
      return;
    }
    if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (this.depth === 0) {
        this.flushPart(chunk, index);
        this.partStart = -1;
        if (this.parts.every((part) => part.length === 0)) {
          // A closer with nothing open (`{"a":1}}`, `[1,}]`): a fault at this byte. Handing it on
          // to the array step would start a new element with the same byte, forever.
          this.parts = [];
          const char = String.fromCharCode(byte);
          this.reject(
            `invalid JSON: unexpected '${char}' at byte ${this.offset} (line ${this.line})`,
            this.offset,
          );
          this.mode = this.mode === 'element' ? 'array' : 'top';
          return;
        }
        // A scalar directly followed by a closer (`[1,2]`): end the scalar, then the closer.
        this.closeValue(chunk, index - 1);
        this.step(byte, chunk, index);
        return;
      }
      this.depth -= 1;
      if (this.depth === 0) this.closeValue(chunk, index);
      return;
    }
    if (this.depth === 0 && (byte === COMMA || isSpace(byte))) {
      // End of a scalar (number, true, false, null) at element level.
      this.flushPart(chunk, index);
      this.partStart = -1;
      this.closeValue(chunk, index - 1);
      if (byte === COMMA) this.expectComma = false;
    }
  }

  private closeScalar(chunk: Buffer, index: number): void {
    this.closeValue(chunk, index);
  }

  private closeValue(chunk: Buffer, index: number): void {
    if (this.mode === 'element') {
      this.finishRecord(chunk, index, this.elementLocator());
      this.elementIndex += 1;
      this.mode = 'array';
      this.expectComma = true;
    } else {
      this.finishRecord(chunk, index, this.topLocator());
      this.endDocument();
    }
  }

  private endDocument(): void {
    if (this.documentIndex === 0)
      this.firstDocumentSingleLine = this.documentStartLine === this.line;
    this.lastDocumentEndLine = this.line;
    this.documentIndex += 1;
    this.mode = 'top';
    this.depth = 0;
  }

  private writeNdjson(chunk: Buffer, start: number): void {
    let line = this.lineAt(start);
    let lineStart = start;
    for (let i = chunk.indexOf(NEWLINE, start); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) {
      this.ndjsonLine.push(chunk.subarray(lineStart, i));
      this.offset += i - lineStart + 1;
      this.finishNdjsonLine();
      line += 1;
      this.recordStartLine = line;
      this.recordStartOffset = this.offset;
      lineStart = i + 1;
    }
    this.lineAtScan = line;
    this.lineScan = lineStart;
    this.nextNewline = -1;
    if (lineStart < chunk.length) {
      this.ndjsonLine.push(chunk.subarray(lineStart));
      this.offset += chunk.length - lineStart;
    }
  }

  private finishNdjsonLine(): void {
    const bytes =
      this.ndjsonLine.length === 1 ? this.ndjsonLine[0] : Buffer.concat(this.ndjsonLine);
    this.ndjsonLine = [];
    const locator = `line ${this.recordStartLine}`;
    const problem = invalidUtf8Problem(
      bytes,
      this.recordStartOffset,
      `line ${this.recordStartLine}`,
    );
    if (problem) {
      this.emit({ locator, data: { kind: 'json', value: undefined } }, problem);
      return;
    }
    const text = bytes.toString('utf8').trim();
    if (text.length === 0) return;

    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.emit(
        { locator, data: { kind: 'json', value: undefined } },
        `invalid JSON on line ${this.recordStartLine} (byte ${this.recordStartOffset}): ${detail}`,
      );
      return;
    }

    // NDJSON whose lines are wrapper objects (one CloudTrail file per line): expand them.
    const wrapper = wrapperArray(value);
    if (!wrapper) {
      this.emit({ locator, data: { kind: 'json', value } });
      return;
    }
    wrapper.items.forEach((item, i) => {
      this.emit({
        locator: `${locator} /${wrapper.key}/${i}`,
        data: { kind: 'json', value: item },
      });
    });
  }
}

/** True when an odd number of backslashes directly precede `index` (looking back to `floor`). */
function oddBackslashRun(chunk: Buffer, index: number, floor: number): boolean {
  let at = index - 1;
  while (at >= floor && chunk[at] === BACKSLASH) at -= 1;
  return ((index - 1 - at) & 1) === 1;
}

/** The record array of a wrapper object (`{"Records": [...]}`), if the value is one. */
export function wrapperArray(value: unknown): { key: string; items: unknown[] } | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  // Most records are no wrapper: rule that out by name before listing the object's entries.
  let named = false;
  for (const key of WRAPPER_KEY_LIST) if (Object.hasOwn(value, key)) named = true;
  if (!named) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (WRAPPER_KEYS.has(key) && Array.isArray(inner)) return { key, items: inner };
  }
  return null;
}
