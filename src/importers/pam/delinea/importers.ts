// The `delinea` (syslog / JSON lines) and `delinea-json` (JSON wrapper) importers.
import { getPath, isObject, str } from '../../common.js';
import type { RawRecord } from '../../../read/record.js';
import type {
  DetectionSample,
  FileSession,
  Importer,
  RecordSink,
  RunSettings,
} from '../../types.js';
import { settle, type Normalized } from '../../common/outcome.js';
import { localClock, type LocalClock } from '../../common/syslog.js';
import { delineaJsonMeta, delineaLinesMeta } from './meta.js';
import { normalizeSecretServerText, SECRET_SERVER_CEF } from './normalize.js';

export const delineaLines: Importer = {
  meta: delineaLinesMeta,
  input: 'lines',
  detect(sample: DetectionSample): number {
    const lines = sample.lines.filter((line) => line.trim() !== '').slice(0, 20);
    if (lines.length === 0) return 0;
    const ours = lines.filter(isSecretServerLine);
    if (ours.length === 0) return 0;
    return ours.length === lines.length ? 95 : 60;
  },
  createRun(settings: RunSettings) {
    const clock = localClock(settings);
    return {
      openFile(_file, sink: RecordSink): FileSession {
        return { record: (record) => settle(sink, record, normalizeLine(record, clock)) };
      },
    };
  },
};

export const delineaJson: Importer = {
  meta: delineaJsonMeta,
  input: 'json',
  detect(sample: DetectionSample): number {
    const entries = sample.jsonRecords.flatMap((value) => wrapperEntries(value) ?? [value]);
    return entries.some((entry) => SECRET_SERVER_CEF.test(cefTextOf(entry) ?? '')) ? 90 : 0;
  },
  createRun(settings: RunSettings) {
    const clock = localClock(settings);
    return {
      openFile(_file, sink: RecordSink): FileSession {
        return { record: (record) => settle(sink, record, normalizeJsonRecord(record, clock)) };
      },
    };
  },
};

// A line is ours when it starts with a syslog header or CEF and carries the Secret Server CEF
// header, or is a whole JSON object (Filebeat/Elastic style) whose message holds one.
function isSecretServerLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    try {
      return SECRET_SERVER_CEF.test(cefTextOf(JSON.parse(trimmed)) ?? '');
    } catch {
      return false;
    }
  }
  return /^(?:<\d{1,3}>|[A-Z][a-z]{2} |CEF:)/.test(trimmed) && SECRET_SERVER_CEF.test(trimmed);
}

function normalizeLine(record: RawRecord, clock: LocalClock): Normalized {
  if (record.data.kind !== 'line') return { kind: 'reject', reason: 'expected a text line' };
  const text = record.data.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { kind: 'ignore', reason: 'blank line' };
  if (text.trim().startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { kind: 'reject', reason: `invalid JSON line: ${(error as Error).message}` };
    }
    const cefText = cefTextOf(value);
    if (!cefText) {
      return {
        kind: 'reject',
        reason: 'JSON line without message or event.original holding CEF text',
      };
    }
    return normalizeSecretServerText(cefText, clock);
  }
  return normalizeSecretServerText(text, clock);
}

/** The CEF text of one exported entry: `event.original` (Elastic) or a string `message`. */
function cefTextOf(entry: unknown): string | undefined {
  return str(getPath(entry, 'event.original')) ?? str(getPath(entry, 'message'));
}

function wrapperEntries(value: unknown): unknown[] | undefined {
  return isObject(value) && Array.isArray(value.events) ? value.events : undefined;
}

// The reader may hand over the entries of `{"events":[...]}` one by one (locator /events/N) or
// the wrapper as one record; then its entries become sub-located events of that one record.
function normalizeJsonRecord(record: RawRecord, clock: LocalClock): Normalized {
  if (record.data.kind !== 'json') return { kind: 'reject', reason: 'expected a JSON record' };
  const entries = wrapperEntries(record.data.value);
  if (!entries) return normalizeEntry(record.data.value, clock);

  const events = [];
  const problems: string[] = [];
  const ignored: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const result = normalizeEntry(entry, clock);
    if (result.kind === 'event') events.push({ ...result.event, subLocator: `/events/${index}` });
    else if (result.kind === 'reject') problems.push(`/events/${index}: ${result.reason}`);
    else if (result.kind === 'ignore') ignored.push(result.reason);
  }
  // One record, one outcome: a single bad entry makes the wrapper rejected, loudly, rather
  // than counting it as normalized with an entry silently missing.
  if (problems.length > 0) return { kind: 'reject', reason: problems.join('; ') };
  if (events.length === 0) return { kind: 'ignore', reason: ignored[0] ?? 'empty events list' };
  return { kind: 'events', events };
}

function normalizeEntry(entry: unknown, clock: LocalClock): Normalized {
  const cefText = cefTextOf(entry);
  if (!cefText) {
    return { kind: 'reject', reason: 'entry without event.original or message holding CEF text' };
  }
  return normalizeSecretServerText(cefText, clock);
}
