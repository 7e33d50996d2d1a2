// The `cyberark` importer: Vault audit lines (elastic JSON, CEF, PTA CEF) in any syslog framing.
import type { RawRecord } from '../../../read/record.js';
import type {
  DetectionSample,
  FileSession,
  Importer,
  RecordSink,
  RunSettings,
} from '../../types.js';
import { findCefStart, parseCef, CefError } from '../../common/cef.js';
import { localClock, parseSyslogFrame, type LocalClock } from '../../common/syslog.js';
import { factsFromCef } from './from-cef.js';
import { factsFromJson, findAuditRecord } from './from-json.js';
import { cyberarkLinesMeta } from './meta.js';
import { normalizeAudit } from './normalize.js';
import { settle, type Normalized } from '../../common/outcome.js';
import { isPtaRecord, normalizePta } from './pta.js';

const VAULT_CEF = /CEF:\d+\|Cyber-?Ark\|/i;
const AUDIT_JSON = /"audit_record"\s*:\s*\{|"format"\s*:\s*"elastic"[^\n]*"MessageID"/;

export const cyberarkLines: Importer = {
  meta: cyberarkLinesMeta,
  input: 'lines',
  detect: detectLines,
  createRun(settings: RunSettings) {
    const clock = localClock(settings);
    return {
      openFile(_file, sink: RecordSink): FileSession {
        return { record: (record) => settle(sink, record, normalizeLine(record, clock)) };
      },
    };
  },
};

function detectLines(sample: DetectionSample): number {
  const lines = sample.lines.filter((line) => line.trim() !== '').slice(0, 20);
  if (lines.length === 0) return 0;
  const ours = lines.filter((line) => VAULT_CEF.test(line) || isAuditJsonLine(line));
  if (ours.length === 0) return 0;
  return ours.length === lines.length ? 95 : 60;
}

function isAuditJsonLine(line: string): boolean {
  const brace = line.indexOf('{');
  return brace >= 0 && AUDIT_JSON.test(line) && line.trimEnd().endsWith('}');
}

/** Normalizes one line; exported for the CSV importer's tests and for reuse. */
export function normalizeLine(record: RawRecord, clock: LocalClock): Normalized {
  if (record.data.kind !== 'line') return { kind: 'reject', reason: 'expected a text line' };
  const text = record.data.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { kind: 'ignore', reason: 'blank line' };

  // CEF first: a CEF line never starts with "{", while the JSON payload may contain "CEF:".
  const cefAt = findCefStart(text);
  const braceAt = text.indexOf('{');
  if (cefAt >= 0 && (braceAt < 0 || cefAt < braceAt)) return normalizeCefLine(text, cefAt, clock);
  if (braceAt >= 0) return normalizeJsonLine(text, braceAt, clock);
  return {
    kind: 'reject',
    reason: 'expected a CyberArk audit record: a JSON object or a CEF message',
  };
}

function normalizeCefLine(text: string, cefAt: number, clock: LocalClock): Normalized {
  const frame = parseSyslogFrame(text.slice(0, cefAt).trimEnd() + ' ');
  let cef;
  try {
    cef = parseCef(text.slice(cefAt).trimEnd());
  } catch (error) {
    if (error instanceof CefError) return { kind: 'reject', reason: error.message };
    throw error;
  }
  if (isPtaRecord(cef)) return normalizePta(cef, frame, clock);
  if (!/^cyber-?ark$/i.test(cef.vendor.trim())) {
    return {
      kind: 'reject',
      reason: `CEF vendor ${JSON.stringify(cef.vendor)}: expected Cyber-Ark`,
    };
  }
  return normalizeAudit(factsFromCef(cef, frame, clock));
}

function normalizeJsonLine(text: string, braceAt: number, clock: LocalClock): Normalized {
  // Strip the syslog header up to the first "{" (RFC 5424, BSD or none at all).
  const frame = parseSyslogFrame(text.slice(0, braceAt));
  let value: unknown;
  try {
    value = JSON.parse(text.slice(braceAt));
  } catch (error) {
    return {
      kind: 'reject',
      reason: `invalid JSON after the syslog header: ${(error as Error).message}`,
    };
  }
  const record = findAuditRecord(value);
  if (!record)
    return { kind: 'reject', reason: 'JSON without syslog.audit_record (MessageID, Action)' };
  return normalizeAudit(factsFromJson(record, frame, clock));
}
