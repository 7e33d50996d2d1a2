// Reads one row of a Jira issue-search CSV export into ticket facts (sources doc 6.3).
import type { CsvRow } from '../../../read/record.js';
import { TimeError } from '../../../util/time.js';
import { parseCsvDate } from './dates.js';
import { decisionOf, type JiraOptions } from './options.js';
import {
  accessTarget,
  jiraPerson,
  type Comment,
  type Decision,
  type TicketFacts,
} from './ticket.js';

export class RowError extends Error {}

/** Where the row's dates are read: the export's declared zone and format win over the run's. */
export interface CsvDateContext {
  format: string;
  zone?: string;
}

/**
 * Column positions of a field: the plain header `NAME` or `Custom field (NAME)`, compared
 * case-insensitively (design.md section 8). Repeated headers give several positions.
 */
export function columnsOf(headers: readonly string[], name: string): number[] {
  const plain = name.toLowerCase();
  const custom = `custom field (${plain})`;
  const found: number[] = [];
  headers.forEach((header, index) => {
    const h = header.trim().toLowerCase();
    if (h === plain || h === custom) found.push(index);
  });
  return found;
}

/** Non-empty cells of the first configured field that has any, by position. */
function cellsOf(row: CsvRow, names: readonly string[]): string[] {
  for (const name of names) {
    const values = columnsOf(row.headers, name)
      .map((i) => (row.cells[i] ?? '').trim())
      .filter((v) => v !== '');
    if (values.length > 0) return values;
  }
  return [];
}

function firstCell(row: CsvRow, names: readonly string[]): string | undefined {
  return cellsOf(row, names)[0];
}

function hasColumn(row: CsvRow, name: string): boolean {
  return columnsOf(row.headers, name).length > 0;
}

function readDate(text: string, column: string, dates: CsvDateContext): string {
  try {
    return parseCsvDate(text, dates.format, dates.zone);
  } catch (error) {
    const detail = error instanceof TimeError ? error.message : String(error);
    throw new RowError(
      `${column} ${JSON.stringify(text)} unreadable: ${detail} (expected ${dates.format})`,
    );
  }
}

/** JSM's Approvals field exports as a Java object string that holds no decision. */
export function isOpaqueApprovalCell(cell: string): boolean {
  return /ApprovalsCFValue@|servicedesk\.plugins\.approvals/.test(cell);
}

export function countOpaqueApprovalCells(row: CsvRow): number {
  return row.cells.filter((cell) => isOpaqueApprovalCell(cell)).length;
}

export function csvTicketFacts(
  row: CsvRow,
  options: JiraOptions,
  dates: CsvDateContext,
): TicketFacts {
  const key = firstCell(row, ['Issue key']);
  if (!key)
    throw new RowError('Issue key missing: expected the ticket key (e.g. ACC-123) in "Issue key"');

  const createdText = firstCell(row, ['Created']);
  if (hasColumn(row, 'Created') && !createdText) {
    throw new RowError('Created is empty: expected the date the ticket was opened');
  }
  const facts: TicketFacts = {
    key,
    labels: cellsOf(row, ['Labels']),
    transitions: [],
    decisions: [],
    comments: [],
    action: 'issue (CSV export)',
  };
  if (createdText) facts.createdAt = readDate(createdText, 'Created', dates);
  const resolvedText = firstCell(row, ['Resolved']);
  if (resolvedText) facts.resolvedAt = readDate(resolvedText, 'Resolved', dates);

  const summary = firstCell(row, ['Summary']);
  if (summary) facts.summary = summary;
  const issueType = firstCell(row, ['Issue Type']);
  if (issueType) facts.issueType = issueType;
  const status = firstCell(row, ['Status']);
  if (status) facts.status = status;
  const reporter = firstCell(row, ['Reporter', 'Reporter Id', 'Creator']);
  if (reporter) facts.reporter = jiraPerson(reporter);
  const subject = firstCell(row, options.subjectFields);
  if (subject) facts.subject = jiraPerson(subject);
  const target = firstCell(row, options.targetFields);
  if (target) facts.target = accessTarget(target);

  facts.decisions = decisionsOf(row, options, dates);
  facts.comments = commentsOf(row, dates);
  return facts;
}

/** Approver + approval status (+ date) fields, as CSV exports carry approvals (design.md 8). */
function decisionsOf(row: CsvRow, options: JiraOptions, dates: CsvDateContext): Decision[] {
  const statusText = firstCell(row, options.approvalStatusFields);
  const decision = decisionOf(options, statusText);
  if (!decision) return [];

  const dateText = firstCell(row, options.approvalDateFields);
  const updatedText = firstCell(row, ['Updated']);
  let at: string;
  let timeIsBound = false;
  if (dateText) at = readDate(dateText, 'approval date', dates);
  else if (updatedText) {
    at = readDate(updatedText, 'Updated', dates);
    timeIsBound = true;
  } else {
    const expected = options.approvalDateFields.join(' or ');
    throw new RowError(`approval status "${statusText}" without a date: expected ${expected}`);
  }

  // A multi-user picker exports one column per user, or one cell with a comma-separated list.
  const approvers = cellsOf(row, options.approverFields)
    .flatMap((cell) => cell.split(/[,;]/))
    .map((name) => name.trim())
    .filter((name) => name !== '' && !isOpaqueApprovalCell(name));
  const via = `${options.approvalStatusFields[0] ?? 'approval status'} field`;
  const base = { at, decision, via, ...(timeIsBound ? { timeIsBound } : {}) } as const;
  if (approvers.length === 0) return [{ ...base }];
  return approvers.map((name) => ({ ...base, approver: jiraPerson(name) }));
}

/** Comment cells are `date;author;body`; only the first two `;` separate (bodies hold `;`). */
function commentsOf(row: CsvRow, dates: CsvDateContext): Comment[] {
  const comments: Comment[] = [];
  for (const index of columnsOf(row.headers, 'Comment')) {
    const cell = (row.cells[index] ?? '').trim();
    if (cell === '') continue;
    const first = cell.indexOf(';');
    const second = first < 0 ? -1 : cell.indexOf(';', first + 1);
    if (second < 0) {
      throw new RowError(`Comment ${JSON.stringify(cell.slice(0, 40))} is not "date;author;text"`);
    }
    const author = cell.slice(first + 1, second).trim();
    const at = readDate(cell.slice(0, first).trim(), 'Comment date', dates);
    // The column number lets an auditor find the very cell among the repeated Comment columns.
    const comment: Comment = { at, body: cell.slice(second + 1), subLocator: ` col ${index + 1}` };
    if (author) comment.author = jiraPerson(author);
    comments.push(comment);
  }
  return comments;
}

/** The values of a repeated column, by position (Sprint, Labels, Watchers). */
export function repeatedValues(row: CsvRow, name: string): string[] {
  return columnsOf(row.headers, name)
    .map((i) => (row.cells[i] ?? '').trim())
    .filter((v) => v !== '');
}
