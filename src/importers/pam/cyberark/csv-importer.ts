// The `cyberark-csv` importer: CyberArk_AuditEvents_CL rows exported from Microsoft Sentinel.
import type { DetectionSample, FileSession, Importer, RecordSink } from '../../types.js';
import { CustomDataError, factsFromCsv } from './from-csv.js';
import { settle } from '../../common/outcome.js';
import { cyberarkCsvMeta } from './meta.js';
import { normalizeAudit, type Normalized } from './normalize.js';
import type { RawRecord } from '../../../read/record.js';

// Columns that together only the CyberArk audit table has.
const REQUIRED_COLUMNS = ['auditcode', 'customdata', 'applicationcode'];

export const cyberarkCsv: Importer = {
  meta: cyberarkCsvMeta,
  input: 'csv',
  detect(sample: DetectionSample): number {
    const headers = sample.csvHeaders?.map((h) =>
      h
        .replace(/^\uFEFF/, '')
        .trim()
        .toLowerCase(),
    );
    if (!headers || !REQUIRED_COLUMNS.every((c) => headers.includes(c))) return 0;
    const named =
      headers.includes('cyberarktenantid') || /CyberArk_AuditEvents_CL/.test(sample.head);
    return named ? 95 : 70;
  },
  createRun() {
    return {
      openFile(_file, sink: RecordSink): FileSession {
        return { record: (record) => settle(sink, record, normalizeRow(record)) };
      },
    };
  },
};

function normalizeRow(record: RawRecord): Normalized {
  if (record.data.kind !== 'csv') return { kind: 'reject', reason: 'expected a CSV row' };
  try {
    return normalizeAudit(factsFromCsv(record.data.row));
  } catch (error) {
    if (error instanceof CustomDataError) return { kind: 'reject', reason: error.message };
    throw error;
  }
}
