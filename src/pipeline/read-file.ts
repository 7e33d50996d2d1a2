// Reads one file's records into its importer session: the same steps on the main thread and in
// a worker thread, so both count and reject alike.
import type { FileSession, Importer } from '../importers/types.js';
import type { OpenedContent } from '../read/content.js';
import type { TextEncoding } from '../read/encoding.js';
import { readRecords } from '../read/records.js';
import type { FileCollector, ReadyEvent } from './run-importer.js';

/** The locator of the rejection that stands for a file's unreadable rest (damaged content). */
export const DAMAGE_LOCATOR = '(end of readable data)';

export interface FileReadEnd {
  /** What broke the content stream (a damaged gzip, bad UTF-16), if anything did. */
  damage: string | null;
  /** sha256 of the decompressed content; empty when the content was damaged. */
  contentSha256: string;
  encoding: TextEncoding | null;
}

/**
 * Feeds every record to `session`. A damaged stream keeps the records before the damage and
 * counts the unreadable rest as one rejected record. `between` runs between records (a worker
 * waits there for the main thread to catch up).
 */
export async function readFileInto<Ready extends ReadyEvent>(
  opened: OpenedContent,
  importer: Importer,
  headText: string,
  gzip: boolean,
  collector: FileCollector<Ready>,
  session: FileSession,
  between?: () => Promise<void> | undefined,
): Promise<FileReadEnd> {
  let streamError: string | null = null;
  try {
    for await (const item of readRecords(opened.content, importer, headText)) {
      collector.counted(item.record);
      if (item.problem) collector.reject(item.record, item.problem);
      else collector.deliver(session, item.record);
      const wait = between?.();
      if (wait) await wait;
    }
  } catch (error) {
    streamError = (error as Error).message;
  }

  let hashes: { contentSha256: string } | null = null;
  if (streamError === null) {
    hashes = await opened.finished.catch((error: Error) => {
      streamError = error.message;
      return null;
    });
  } else {
    opened.finished.catch(() => undefined);
  }
  const damage = streamError === null ? null : damageText(gzip, streamError);
  if (damage !== null) {
    const damaged = { locator: DAMAGE_LOCATOR, data: { kind: 'line' as const, text: '' } };
    collector.counted(damaged);
    collector.reject(damaged, `${damage}; records before this point were kept`);
  }

  collector.finish(session, { contentSha256: hashes?.contentSha256 ?? '' });
  return { damage, contentSha256: hashes?.contentSha256 ?? '', encoding: opened.encoding() };
}

/** How a damaged content stream is described, in reject reasons and integrity notes. */
export function damageText(gzip: boolean, problem: string): string {
  return `${gzip ? 'gzip ' : ''}content damaged: ${problem}`;
}
