// Detection scores for the three ServiceNow export forms.
import { isObject, type JsonObject } from '../../common.js';
import type { DetectionSample } from '../../types.js';
import { columnField } from './fields.js';
import { tableFromFileName } from './tables.js';

// Fields of the task and approval tables that no other vendor in scope uses together.
const SERVICENOW_FIELDS = new Set([
  'number',
  'sys_id',
  'sys_created_on',
  'sys_updated_on',
  'sys_class_name',
  'sys_created_by',
  'opened_at',
  'opened_by',
  'sysapproval',
  'document_id',
  'approver',
  'approval',
  'approval_set',
  'assignment_group',
  'cmdb_ci',
  'short_description',
  'requested_for',
  'requested_by',
  'closed_at',
  'cat_item',
  'caller_id',
]);

// Base-system task number prefixes (Number Maintenance) of the tables read here.
const TASK_NUMBER = /^(CHG|RITM|SCTASK|INC|REQ)\d{5,}$/;

/** Table API JSON: `{"result": ...}` envelopes or rows, with or without display values. */
export function detectJson(sample: DetectionSample): number {
  const rows = sample.jsonRecords.flatMap(unwrap).slice(0, 5);
  const scores = rows.map(scoreRow);
  const best = scores.length > 0 ? Math.max(...scores) : 0;
  if (best > 0) return best;

  // The reader may hand no records (a head cut inside a long first row): look at the text.
  const head = sample.head;
  if (/^\s*\{\s*"result"\s*:/.test(head) && /"sys_id"\s*:/.test(head)) return 70;
  if (/"table_name"\s*:/.test(head) && /"sys_id"\s*:\s*\{\s*"display_value"/.test(head)) return 70;
  return 0;
}

function unwrap(record: unknown): JsonObject[] {
  if (!isObject(record)) return [];
  const result = record.result;
  if (Array.isArray(result)) return result.filter(isObject);
  if (isObject(result)) return [result];
  return [record];
}

function scoreRow(row: JsonObject): number {
  const known = Object.keys(row).filter((key) => SERVICENOW_FIELDS.has(key)).length;
  const hasSysId = typeof row.sys_id === 'string' || isObject(row.sys_id);
  if (!hasSysId) {
    // Exports trimmed to a few columns may drop sys_id; a task number with fields of ours stays.
    const number = isObject(row.number) ? row.number.value : row.number;
    return typeof number === 'string' && TASK_NUMBER.test(number) && known >= 3 ? 80 : 0;
  }
  const shaped = Object.values(row).some(
    (v) => isObject(v) && ('display_value' in v || 'link' in v),
  );
  if (typeof row.table_name === 'string' && shaped) return 95;
  if (known >= 3) return 90;
  if (known >= 1 || shaped) return 75;
  // A bare `{sys_id, state, comments}` is what the Table API answers to a PATCH of a record.
  return 'state' in row ? 60 : 0;
}

/** List CSV / Excel-as-CSV exports: field names or labels as the header. */
export function detectCsv(sample: DetectionSample): number {
  if (!sample.csvHeaders) return 0;
  const fields = sample.csvHeaders.map(columnField);
  const lower = sample.csvHeaders.map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  // Jira's issue export has Created/Updated/Description too; its key column rules it out.
  if (lower.includes('issue key') || lower.includes('issue id')) return 0;

  const anchored = ['number', 'sys_id', 'sysapproval'].some((f) => fields.includes(f));
  const known = new Set(fields.filter((f) => SERVICENOW_FIELDS.has(f))).size;
  if (!anchored || known < 3) return 0;
  const exactNames = sample.csvHeaders.filter((h) =>
    SERVICENOW_FIELDS.has(h.replace(/^\uFEFF/, '').trim()),
  ).length;
  const byName = tableFromFileName(sample.path) ? 10 : 0;
  return Math.min(95, (exactNames >= 3 ? 80 : 65) + byName);
}

/** The `<unload>` XML export. */
export function detectXml(sample: DetectionSample): number {
  const head = sample.head.replace(/^\uFEFF/, '').slice(0, 4096);
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<unload[\s>]/.test(head)) return 0;
  return /action="(INSERT_OR_UPDATE|DELETE)"/.test(head) || /unload_date=/.test(head) ? 95 : 60;
}
