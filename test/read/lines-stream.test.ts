// Property test: the line reader gives the same lines, numbers and faults however chunks are cut.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLineRecords, type LineItem } from '../../src/read/lines-stream.js';
import { invalidUtf8Problem } from '../../src/read/utf8.js';

const SEED = Number(process.env.PROP_SEED ?? 20_260_412);

/** What the reader must give for the whole text: split at newlines, CR and BOM dropped. */
function expectedLines(bytes: Buffer): LineItem[] {
  const from = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  const items: LineItem[] = [];
  let start = from;
  let number = 0;
  for (let at = from; at <= bytes.length; at += 1) {
    if (at < bytes.length && bytes[at] !== 0x0a) continue;
    number += 1;
    const line = bytes.subarray(start, at);
    const locator = `line ${number}`;
    const problem = invalidUtf8Problem(line, start, locator);
    const text = line.toString('utf8').replace(/\r$/, '');
    if (problem) items.push({ record: { locator, data: { kind: 'line', text: '' } }, problem });
    else if (text.trim().length > 0)
      items.push({ record: { locator, data: { kind: 'line', text } } });
    start = at + 1;
  }
  return items;
}

async function readCut(bytes: Buffer, cuts: number[]): Promise<LineItem[]> {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  const items: LineItem[] = [];
  for await (const item of readLineRecords(Readable.from(chunks))) items.push(item);
  return items;
}

/** Text and raw bytes: line ends, multi-byte characters, malformed UTF-8, a stray BOM. */
const piece = fc.constantFrom(
  ...['a', 'log line', ' ', '\t', '\r', '\n', '\r\n', 'é', '東', '😀', '\uFEFF'].map((text) =>
    Buffer.from(text, 'utf8'),
  ),
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0x80]),
  Buffer.from([0xe6, 0x9d]),
);

describe('readLineRecords', () => {
  it('reads lines cut at any chunk boundary like the whole text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (pieces, picks) => {
          const bytes = Buffer.concat(pieces);
          // The byte order mark is looked for in the first chunk only, as file streams give it.
          const cuts = [...new Set(picks.map((pick) => 3 + (pick % (bytes.length + 1))))]
            .filter((cut) => cut < bytes.length)
            .sort((a, b) => a - b);
          expect(await readCut(bytes, cuts)).toEqual(expectedLines(bytes));
        },
      ),
      { seed: SEED, numRuns: 400, endOnFailure: true },
    );
  });
});
