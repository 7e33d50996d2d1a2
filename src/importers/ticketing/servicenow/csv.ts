// The `servicenow-csv` importer: list view exports (Export > CSV, or Excel re-saved as CSV).
import type { Importer } from '../../types.js';
import { detectCsv } from './detect.js';
import { csvRecord } from './fields.js';
import { COMMON_LIMITATIONS, TABLES_SENTENCE } from './meta-text.js';
import { createServiceNowRun, type RecordReader } from './session.js';

const readCsv: RecordReader = (raw) => {
  if (raw.data.kind !== 'csv') return { reject: 'expected a CSV row of a ServiceNow list export' };
  if (raw.data.row.cells.every((cell) => cell.trim() === '')) return { ignore: 'empty row' };
  return csvRecord(raw.data.row);
};

export const servicenowCsv: Importer = {
  meta: {
    id: 'servicenow-csv',
    family: 'ticketing',
    vendor: 'ServiceNow',
    product: 'ServiceNow ITSM (list export)',
    expects:
      `CSV exports of list views of ${TABLES_SENTENCE}, with field names or column labels as ` +
      "the header; dates in the exporting user's time zone and format.",
    howToExport:
      'Open the list (e.g. change_request.list), filter it to the period, add the columns number, ' +
      'sys_id, opened_at, opened_by, requested_for/requested_by, type, approval, approval_set, ' +
      'closed_at, closed_by, close_notes, review_comments (for sysapproval_approver: approver, ' +
      'sysapproval, state, sys_created_on, sys_updated_on), then right-click a column header > ' +
      'Export > CSV. Note your profile time zone and date format and put them in ' +
      'importers.servicenow-csv.displayTimezone and displayDateFormat.',
    formats: ['CSV (comma, semicolon or tab; UTF-8, optional BOM; CRLF or LF)', 'gzip'],
    limitations: [
      ...COMMON_LIMITATIONS,
      "Every date in a list export is in the exporting user's zone and format: without " +
        'displayTimezone (or an export context or timezone) each row is rejected as timezone unknown.',
      'References are exported as display names, so approval rows link to tasks by number only.',
    ],
  },
  input: 'csv',
  detect: detectCsv,
  createRun: (settings) => createServiceNowRun('servicenow-csv', settings, readCsv),
};
