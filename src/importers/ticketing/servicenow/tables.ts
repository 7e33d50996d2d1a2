// ServiceNow tables this importer reads, how a record's table is recognized, and choice values.

export const SUPPORTED_TABLES = [
  'change_request',
  'incident',
  'sc_req_item',
  'sc_task',
  'sysapproval_approver',
] as const;
export type SupportedTable = (typeof SUPPORTED_TABLES)[number];

/** Tables whose rows are tasks (they carry a number); sysapproval_approver rows are not. */
export type TaskTable = Exclude<SupportedTable, 'sysapproval_approver'>;

export function isSupportedTable(name: string): name is SupportedTable {
  return (SUPPORTED_TABLES as readonly string[]).includes(name);
}

// Default number prefixes of the base system (System Definition > Number Maintenance). An
// instance can change them, which is why table_name, sys_class_name and the file name come first.
const NUMBER_PREFIXES: readonly [RegExp, string][] = [
  [/^CHG\d/, 'change_request'],
  [/^RITM\d/, 'sc_req_item'],
  [/^SCTASK\d/, 'sc_task'],
  [/^INC\d/, 'incident'],
  [/^REQ\d/, 'sc_request'],
  [/^CTASK\d/, 'change_task'],
  [/^PRB\d/, 'problem'],
];

export function tableFromNumber(number: string | undefined): string | undefined {
  if (!number) return undefined;
  return NUMBER_PREFIXES.find(([pattern]) => pattern.test(number))?.[1];
}

/** A table named in the file name, as ServiceNow names its exports (`change_request.csv`). */
export function tableFromFileName(path: string): SupportedTable | undefined {
  const name = path.split(/[/!]/).pop()?.toLowerCase() ?? '';
  return SUPPORTED_TABLES.find((table) => name.includes(table));
}

/** Display labels of sys_class_name (the `=true` / CSV form) mapped back to table names. */
const CLASS_LABELS: Record<string, string> = {
  'change request': 'change_request',
  incident: 'incident',
  'requested item': 'sc_req_item',
  'catalog task': 'sc_task',
  approval: 'sysapproval_approver',
};

export function tableFromClass(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const lower = value.trim().toLowerCase();
  return CLASS_LABELS[lower] ?? (/^[a-z0-9_]+$/.test(lower) ? lower : undefined);
}

/** Column labels of list exports that use labels instead of field names, mapped to fields. */
export const COLUMN_LABELS: Record<string, string> = {
  number: 'number',
  'short description': 'short_description',
  description: 'description',
  opened: 'opened_at',
  'opened by': 'opened_by',
  'requested for': 'requested_for',
  'requested by': 'requested_by',
  caller: 'caller_id',
  approval: 'approval',
  'approval set': 'approval_set',
  'approval for': 'sysapproval',
  approver: 'approver',
  approving: 'document_id',
  closed: 'closed_at',
  'closed by': 'closed_by',
  'close notes': 'close_notes',
  resolved: 'resolved_at',
  'resolved by': 'resolved_by',
  type: 'type',
  state: 'state',
  'configuration item': 'cmdb_ci',
  'assignment group': 'assignment_group',
  'assigned to': 'assigned_to',
  item: 'cat_item',
  request: 'request',
  'request item': 'request_item',
  created: 'sys_created_on',
  'created by': 'sys_created_by',
  updated: 'sys_updated_on',
  'updated by': 'sys_updated_by',
  comments: 'comments',
  justification: 'justification',
  'actual start': 'work_start',
  'actual end': 'work_end',
  'review date': 'review_date',
  'review status': 'review_status',
  'review comments': 'review_comments',
  'sys id': 'sys_id',
  'task type': 'sys_class_name',
};

/** A choice value in one comparable form: trimmed, lower-case, spaces as underscores. */
export function choiceKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return key.length > 0 ? key : undefined;
}

/** Approval decisions as the stored values and the display labels of the base system say them. */
export type Decision = 'approved' | 'rejected' | 'requested' | 'not_requested' | 'withdrawn';

const DECISIONS: Record<string, Decision> = {
  approved: 'approved',
  rejected: 'rejected',
  requested: 'requested',
  not_requested: 'not_requested',
  not_yet_requested: 'not_requested',
  cancelled: 'withdrawn',
  canceled: 'withdrawn',
  not_required: 'withdrawn',
  no_longer_required: 'withdrawn',
  duplicate: 'withdrawn',
};

export function decision(value: string | undefined): Decision | undefined {
  const key = choiceKey(value);
  return key === undefined ? undefined : DECISIONS[key];
}

// change_request.state of the base system: stored number and display label (sources doc §7).
const CHANGE_STATES: Record<string, string> = {
  '-5': 'new',
  '-4': 'assess',
  '-3': 'authorize',
  '-2': 'scheduled',
  '-1': 'implement',
  '0': 'review',
  '3': 'closed',
  '4': 'canceled',
};

/** The change state as a label (`review`, `closed`...), from either form. */
export function changeState(value: string | undefined): string | undefined {
  const key = choiceKey(value);
  if (key === undefined) return undefined;
  return CHANGE_STATES[key] ?? (key === 'cancelled' ? 'canceled' : key);
}
