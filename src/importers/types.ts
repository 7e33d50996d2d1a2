// The contract every importer implements: metadata, a detector, and a per-file record handler.
import { z } from 'zod';
import type { EventDraft } from '../model/event.js';
import type { RawRecord } from '../read/record.js';

export const Family = z.enum(['ticketing', 'idp', 'pam', 'cloud', 'generic']);

/** How the reader should present a file to this importer. */
export const InputKind = z.enum(['json', 'csv', 'lines', 'xml']);
export type InputKind = z.infer<typeof InputKind>;

export const ImporterMeta = z.object({
  /** One id everywhere: folder, registry key, CLI value, source.importer. */
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  family: Family,
  vendor: z.string().min(1),
  product: z.string().min(1),
  /** The export this importer expects, in one sentence. */
  expects: z.string().min(1),
  /** How to produce that export from the product, step by step in plain words. */
  howToExport: z.string().min(1),
  /** Containers and encodings understood, e.g. "JSON array", "NDJSON", "gzip". */
  formats: z.array(z.string()).min(1),
  /** Known shortcomings, in plain words. */
  limitations: z.array(z.string()),
});
export type ImporterMeta = z.infer<typeof ImporterMeta>;

/** What the detector sees of a file: its name and the first few records as each reader sees them. */
export interface DetectionSample {
  /** Path as given, with forward slashes (archive members: archive path + '!/' + member). */
  path: string;
  /** First bytes of the (decompressed) content, as UTF-8 text; at most 64 KiB. */
  head: string;
  /** First JSON records, if the content parses as JSON / NDJSON; empty otherwise. */
  jsonRecords: unknown[];
  /** Header of the content if it parses as CSV; null otherwise. */
  csvHeaders: string[] | null;
  /** First text lines (without line ends). */
  lines: string[];
}

/** Settings handed to every importer run: config-level and importer-specific. */
export interface RunSettings {
  /** IANA zone for source times without an offset; undefined when none was configured. */
  timezone?: string;
  /** The `importers.<id>` block of the config, unvalidated; the importer validates it. */
  options: Record<string, unknown>;
  /** Extra facts about an input that the export itself does not carry (e.g. the year). */
  exportContext?: ExportContext;
}

/** Facts declared beside an export (`export-context.json`) that its records do not state. */
export interface ExportContext {
  timezone?: string;
  /** When the export was closed / written, UTC; used to supply years that syslog lines omit. */
  closedAt?: string;
  dateFormat?: string;
  locale?: string;
}

export interface FileInfo {
  /** Display path (as given on the command line, forward slashes). */
  path: string;
  sha256: string;
  size: number;
}

/**
 * Receives the outcome of every record. Each record must get exactly one of accept, ignore or
 * reject; the pipeline counts any record left without one as rejected, so none is ever lost.
 */
export interface RecordSink {
  /**
   * The record was normalized into one or more events. With `unique` (a vendor's own record id,
   * such as CloudTrail's eventID), the pipeline counts the record as ignored ('duplicate') when
   * an earlier accepted record of the run carried that id and said the same (same events); when
   * that record said something else, both are kept and the file gets a failed-integrity note.
   */
  accept(record: RawRecord, events: EventDraft[], unique?: string): void;
  /** The record is not lifecycle evidence; `kind` is the vendor event name or a reason. */
  ignore(record: RawRecord, kind: string): void;
  /** The record is broken or unusable; `reason` says what was expected. */
  reject(record: RawRecord, reason: string): void;
}

/** Notes an importer makes about a source as a whole (integrity, coverage of the export). */
export interface SourceNote {
  kind: 'integrity-verified' | 'integrity-unverified' | 'integrity-failed' | 'info';
  /** The file the note is about (display path). */
  file: string;
  message: string;
}

export interface FileSession {
  /** Handle one record; must report its outcome to the sink now or at end(). */
  record(record: RawRecord): void;
  /**
   * Called once after the last record; flush anything deferred (pairs waiting for a partner).
   * `contentSha256` is the sha256 of the decompressed bytes (CloudTrail digests hash those).
   */
  end?(content: { contentSha256: string }): void;
}

/** State for one importer over one run (cross-file checks such as digest chains live here). */
export interface ImporterRun {
  openFile(file: FileInfo, sink: RecordSink): FileSession;
  /** After all files: source-level notes (integrity checks that need every file). */
  finish?(): SourceNote[];
  /** Takes a fact that a detached file session (see `Importer.detached`) reported, in file order. */
  takeFact?(file: FileInfo, fact: unknown): void;
}

/**
 * A file session that needs nothing of the run while it reads: what the run must learn of the
 * file goes to `fact` as plain data (copyable between threads), for the run's `takeFact`.
 */
export type DetachedOpen = (
  settings: RunSettings,
  file: FileInfo,
  sink: RecordSink,
  fact: (fact: unknown) => void,
) => FileSession;

export interface Importer {
  meta: ImporterMeta;
  input: InputKind;
  /** Score 0 (not mine) to 100 (certain) from the file name and first records. */
  detect(sample: DetectionSample): number;
  createRun(settings: RunSettings): ImporterRun;
  /**
   * Present when a file can be read apart from its run (in a worker thread): the run's
   * `openFile` must then be this with the run's `takeFact` as the fact receiver, so that both
   * ways give the same outcomes.
   */
  detached?: DetachedOpen;
  /**
   * For input 'xml': split the whole document into records (locator = line of the element or a
   * path such as `/rss/channel/item[3]`); a fault is returned with `problem` set.
   */
  splitXml?(document: string): Iterable<{ record: RawRecord; problem?: string }>;
}
