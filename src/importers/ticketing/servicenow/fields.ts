// Uniform field access over the three export forms: Table API JSON, list CSV and unload XML.
import { isObject, type JsonObject } from '../../common.js';
import type { CsvRow } from '../../../read/record.js';
import { COLUMN_LABELS } from './tables.js';

/**
 * One field: `stored` is the internal value (UTC date-times, choice values, sys_ids), `display`
 * what the exporting user saw (their zone and format, labels, names). Either may be missing.
 */
export interface SnField {
  stored?: string;
  display?: string;
}

export type ExportForm = 'json' | 'csv' | 'xml';

export interface SnRecord {
  form: ExportForm;
  /** True when plain values are display values (list CSV, sysparm_display_value=true). */
  displayOnly: boolean;
  /** The table the export names for the record (`table_name` of collectors, the XML element). */
  declaredTable?: string;
  get(name: string): SnField | undefined;
}

/** The stored value when there is one, else the display value. */
export function preferStored(field: SnField | undefined): string | undefined {
  return field?.stored ?? field?.display;
}

/** The display value when there is one (names of referenced users), else the stored value. */
export function preferDisplay(field: SnField | undefined): string | undefined {
  return field?.display ?? field?.stored;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim().length > 0 ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

// Display values ServiceNow writes for an empty duration or date (sources doc §7).
function displayText(value: unknown): string | undefined {
  const found = text(value);
  return found === undefined || found === 'UNKNOWN' ? undefined : found;
}

/** Reads one JSON field in any of the Table API shapes, or the attribute shape of XML readers. */
function jsonField(value: unknown, plainIsDisplay: boolean): SnField | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) {
    const plain = text(value);
    if (plain === undefined) return undefined;
    if (!plainIsDisplay) return { stored: plain };
    const display = displayText(plain);
    return display === undefined ? undefined : { display };
  }

  // sysparm_display_value=all: {display_value, value}; =false references: {link, value};
  // =true references: {display_value, link}; generic XML readers: {'#text', '@_display_value'}.
  const stored = text(value.value ?? value['#text']);
  const display = displayText(value.display_value ?? value['@_display_value']);
  if (stored === undefined && display === undefined) return undefined;
  return { stored, display };
}

const STORED_DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const DATE_FIELDS = ['sys_created_on', 'sys_updated_on', 'opened_at', 'closed_at', 'approval_set'];
const DISPLAY_APPROVALS =
  /^(Approved|Rejected|Requested|Not Yet Requested|Cancelled|Not Required)$/;

/**
 * Whether a JSON record's plain strings are display values (sysparm_display_value=true). The
 * signs: a date in another form than the stored `yyyy-MM-dd HH:mm:ss`, a choice shown by its
 * label (`Approved`, a non-numeric task state), a reference with a name and no sys_id.
 */
export function looksDisplayOnly(object: JsonObject): boolean {
  for (const name of DATE_FIELDS) {
    const value = object[name];
    if (typeof value === 'string' && value.trim() !== '' && !STORED_DATE.test(value.trim()))
      return true;
  }
  if (typeof object.approval === 'string' && DISPLAY_APPROVALS.test(object.approval)) return true;

  const number = typeof object.number === 'string' ? object.number : '';
  const state = object.state;
  if (number !== '' && typeof state === 'string' && state !== '' && !/^-?\d+$/.test(state))
    return true;

  return Object.values(object).some(
    (value) =>
      isObject(value) && 'display_value' in value && !('value' in value) && 'link' in value,
  );
}

export function jsonRecord(object: JsonObject, values: 'auto' | 'stored' | 'display'): SnRecord {
  const displayOnly = values === 'display' || (values === 'auto' && looksDisplayOnly(object));
  const declared = text(object.table_name);
  return {
    form: 'json',
    displayOnly,
    declaredTable: declared,
    get: (name) => jsonField(object[name], displayOnly),
  };
}

/** Field name of a list-export column: field names as they are, labels through COLUMN_LABELS. */
export function columnField(header: string): string {
  const name = header.replace(/^\uFEFF/, '').trim();
  if (/^[a-z0-9_.]+$/.test(name)) return name;
  const lower = name.toLowerCase();
  return COLUMN_LABELS[lower] ?? lower.replace(/\s+/g, '_');
}

/** A list CSV row: every cell is a display value (user's zone and format, names, labels). */
export function csvRecord(row: CsvRow): SnRecord {
  const cells = new Map<string, string>();
  row.headers.forEach((header, i) => {
    const field = columnField(header);
    const cell = row.cells[i] ?? '';
    if (!cells.has(field) || (cells.get(field) === '' && cell !== '')) cells.set(field, cell);
  });
  return {
    form: 'csv',
    displayOnly: true,
    declaredTable: undefined,
    get: (name) => {
      const cell = displayText(cells.get(name));
      return cell === undefined ? undefined : { display: cell };
    },
  };
}

/** An unload XML element read by unload-xml.ts: text is the stored value, attributes display. */
export function xmlRecord(object: JsonObject): SnRecord {
  return {
    form: 'xml',
    displayOnly: false,
    declaredTable: text(object.table_name),
    get: (name) => jsonField(object[name], false),
  };
}
