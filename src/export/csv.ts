// CSV twins of grants.json and gaps.json, with cells neutralized against formula injection.
import { stringify } from 'csv-stringify/sync';
import type { Gap } from '../model/gap.js';
import type { Grant } from '../model/grant.js';

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvColumn {
  key: string;
  header: string;
}

/**
 * Text a spreadsheet would evaluate as a formula (OWASP "CSV injection": = + - @, and tab or
 * carriage return, which some spreadsheets strip before looking) gets a leading apostrophe, so
 * it is shown as text. Only strings are touched: numbers the tool computed stay numbers, and
 * the JSON files keep the original strings byte for byte.
 */
export function neutralizeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function prepareCell(value: CsvCell): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return neutralizeCell(value);
}

/** Rows per csv-stringify call when a CSV is written in chunks. */
const ROWS_PER_CHUNK = 2048;

function stringifyRows(
  columns: CsvColumn[],
  rows: Record<string, CsvCell>[],
  first: boolean,
): string {
  const prepared = rows.map((row) => {
    const out: Record<string, string | number | null> = {};
    for (const column of columns) out[column.key] = prepareCell(row[column.key]);
    return out;
  });
  return stringify(prepared, {
    header: first,
    columns: columns.map((c) => ({ key: c.key, header: c.header })),
    quoted_string: true,
    bom: first,
    record_delimiter: 'unix',
  });
}

/**
 * A CSV with a header row, every text cell quoted, numbers bare, LF line ends, and a UTF-8 BOM
 * so spreadsheet programs read names such as "Tomás" correctly; in chunks of rows, the header
 * and BOM in the first. Every record stands alone in CSV, so the chunks join to the same bytes
 * as one call over all rows.
 */
export function* csvChunks(
  columns: CsvColumn[],
  rows: Iterable<Record<string, CsvCell>>,
  rowsPerChunk = ROWS_PER_CHUNK,
): Generator<Buffer> {
  let batch: Record<string, CsvCell>[] = [];
  let first = true;
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= rowsPerChunk) {
      yield Buffer.from(stringifyRows(columns, batch, first), 'utf8');
      first = false;
      batch = [];
    }
  }
  if (first || batch.length > 0) yield Buffer.from(stringifyRows(columns, batch, first), 'utf8');
}

/** The whole CSV of `csvChunks` as one buffer. */
export function toCsv(columns: CsvColumn[], rows: Record<string, CsvCell>[]): Buffer {
  return Buffer.concat([...csvChunks(columns, rows)]);
}

const GRANT_COLUMNS: CsvColumn[] = [
  'id',
  'subject',
  'subject_kind',
  'target',
  'target_name',
  'requested_at',
  'approvals',
  'denials',
  'issued_at',
  'expires_at',
  'ended_at',
  'end_reason',
  'sessions',
  'activity_count',
  'tickets',
  'break_glass',
  'gap_count',
  'gap_ids',
  'event_count',
].map((key) => ({ key, header: key }));

const GAP_COLUMNS: CsvColumn[] = [
  'id',
  'rule',
  'severity',
  'grant_id',
  'subject',
  'target',
  'at',
  'message',
  'coverage',
  'certainty',
  'baseline',
  'evidence_count',
  'evidence',
  'dora',
  'rts2024_1774',
  'owasp_nhi_2025',
  'nist_csf_2',
  'iso27001_2022',
  'nist_800_53r5',
].map((key) => ({ key, header: key }));

function decisions(list: { by: string; at: string }[]): string {
  return list.map((d) => `${d.by} ${d.at}`).join('; ');
}

function* grantRows(grants: Iterable<Grant>): Generator<Record<string, CsvCell>> {
  for (const g of grants)
    yield {
      id: g.id,
      subject: g.subject.id,
      subject_kind: g.subject.kind,
      target: g.target.id,
      target_name: g.target.name,
      requested_at: g.requestedAt,
      approvals: decisions(g.approvals),
      denials: decisions(g.denials),
      issued_at: g.issuedAt,
      expires_at: g.expiresAt,
      ended_at: g.endedAt,
      end_reason: g.endReason,
      sessions: g.sessions.length,
      activity_count: g.sessions.reduce((sum, s) => sum + s.activityCount, 0),
      tickets: g.tickets.join('; '),
      break_glass: g.breakGlass,
      gap_count: g.gapIds.length,
      gap_ids: g.gapIds.join(' '),
      event_count: g.eventIds.length,
    };
}

/** grants.csv in chunks of rows. */
export function grantsCsvChunks(grants: Iterable<Grant>): Generator<Buffer> {
  return csvChunks(GRANT_COLUMNS, grantRows(grants));
}

export function grantsCsv(grants: Grant[]): Buffer {
  return Buffer.concat([...grantsCsvChunks(grants)]);
}

function* gapRows(gaps: Iterable<Gap>): Generator<Record<string, CsvCell>> {
  for (const g of gaps)
    yield {
      id: g.id,
      rule: g.rule,
      severity: g.severity,
      grant_id: g.grantId,
      subject: g.subject,
      target: g.target,
      at: g.at,
      message: g.message,
      coverage: g.coverage,
      certainty: g.certainty,
      baseline: g.baseline,
      evidence_count: g.evidence.length,
      evidence: g.evidence.join(' '),
      dora: g.controls.dora.join('; '),
      rts2024_1774: g.controls.rts2024_1774.join('; '),
      owasp_nhi_2025: g.controls.owaspNhi2025.join('; '),
      nist_csf_2: g.controls.nistCsf2.join('; '),
      iso27001_2022: g.controls.iso27001_2022.join('; '),
      nist_800_53r5: g.controls.nist80053r5.join('; '),
    };
}

/** gaps.csv in chunks of rows. */
export function gapsCsvChunks(gaps: Iterable<Gap>): Generator<Buffer> {
  return csvChunks(GAP_COLUMNS, gapRows(gaps));
}

export function gapsCsv(gaps: Gap[]): Buffer {
  return Buffer.concat([...gapsCsvChunks(gaps)]);
}
