// Turns a content stream into raw records in the shape an importer asked for.
import type { Readable } from 'node:stream';
import type { Importer } from '../importers/types.js';
import { readCsvRecords, sniffDelimiter } from './csv-stream.js';
import { JsonRecordSplitter } from './json-stream.js';
import { readLineRecords } from './lines-stream.js';
import type { RawRecord } from './record.js';

/** A record as read, or a fault at a position (which the accounting counts as rejected). */
export interface ReadItem {
  record: RawRecord;
  problem?: string;
}

/** The biggest XML document read whole for importers that split XML themselves. */
export const MAX_XML_BYTES = 512 * 1024 * 1024;

export async function* readRecords(
  content: Readable,
  importer: Importer,
  headText: string,
): AsyncGenerator<ReadItem> {
  switch (importer.input) {
    case 'json':
      yield* readJson(content);
      return;
    case 'csv': {
      const firstLine = headText.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
      for await (const item of readCsvRecords(content, sniffDelimiter(firstLine))) yield item;
      return;
    }
    case 'lines':
      yield* readLineRecords(content);
      return;
    case 'xml':
      yield* readXml(content, importer);
      return;
  }
}

async function* readJson(content: Readable): AsyncGenerator<ReadItem> {
  let queue: ReadItem[] = [];
  const splitter = new JsonRecordSplitter((record, problem) => {
    queue.push(problem ? { record, problem } : { record });
  });
  for await (const chunk of content as AsyncIterable<Buffer>) {
    splitter.write(chunk);
    if (queue.length > 0) {
      const ready = queue;
      queue = [];
      yield* ready;
    }
  }
  splitter.end();
  yield* queue;
}

async function* readXml(content: Readable, importer: Importer): AsyncGenerator<ReadItem> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of content as AsyncIterable<Buffer>) {
    length += (chunk as Buffer).length;
    if (length > MAX_XML_BYTES) {
      yield {
        record: { locator: 'byte 0', data: { kind: 'line', text: '' } },
        problem: `XML document larger than ${MAX_XML_BYTES} bytes; split the export`,
      };
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (!importer.splitXml) {
    yield { record: { locator: 'line 1', data: { kind: 'line', text } } };
    return;
  }
  for (const item of importer.splitXml(text)) yield item;
}
