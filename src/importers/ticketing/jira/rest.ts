// Reads Jira REST issues (expand=changelog), webhook payloads and JSM approvals into ticket facts.
import type { Identity } from '../../../model/event.js';
import { isObject, str, type JsonObject } from '../../common.js';
import { TimeError } from '../../../util/time.js';
import { parseRestTime } from './dates.js';
import { decisionOf, inList, type JiraOptions } from './options.js';
import {
  accessTarget,
  jiraPerson,
  type Decision,
  type TicketFacts,
  type Transition,
} from './ticket.js';

export class IssueError extends Error {}

function time(value: unknown, what: string): string {
  try {
    return parseRestTime(value);
  } catch (error) {
    const detail = error instanceof TimeError ? error.message : String(error);
    const shown = JSON.stringify(value);
    throw new IssueError(`${what} ${shown} unreadable: ${detail} (expected ISO 8601 with offset)`);
  }
}

/** A Jira user object (Server: name/key, Cloud: accountId); e-mail first, as aliases use it. */
export function restPerson(value: unknown): Identity | undefined {
  if (typeof value === 'string' && value.trim() !== '') return jiraPerson(value.trim());
  if (!isObject(value)) return undefined;
  const raw =
    str(value.emailAddress) ?? str(value.name) ?? str(value.accountId) ?? str(value.displayName);
  return raw ? jiraPerson(raw, str(value.accountType)) : undefined;
}

/** Plain text of a field value: strings, numbers, options {value}, objects {name}, users, arrays. */
function fieldText(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.map(fieldText).find((v) => v !== undefined);
  if (!isObject(value)) return str(value);
  const text = str(value.value) ?? str(value.name) ?? str(value.displayName);
  return text ?? str(value.emailAddress) ?? str(value.key);
}

/** A configured field by REST id (customfield_10050), by its name in `names`, or by key. */
function fieldValue(issue: JsonObject, configured: readonly string[]): unknown {
  const fields = isObject(issue.fields) ? issue.fields : {};
  const names = isObject(issue.names) ? issue.names : {};
  for (const wanted of configured) {
    const lower = wanted.toLowerCase();
    for (const [id, value] of Object.entries(fields)) {
      if (value === null || value === undefined || value === '') continue;
      const name = str(names[id]);
      if (id.toLowerCase() === lower || name?.toLowerCase() === lower) return value;
    }
  }
  return undefined;
}

export function isJsmApproval(value: unknown): value is JsonObject {
  return isObject(value) && Array.isArray(value.approvers) && 'finalDecision' in value;
}

/** JSM approval (`/rest/servicedeskapi/request/{key}/approval` item or Approvals field entry). */
export function jsmDecisions(approval: JsonObject, subLocator: string): Decision[] {
  const completed = isObject(approval.completedDate) ? approval.completedDate : undefined;
  if (!completed) return [];
  const at = time(completed.epochMillis ?? completed.iso8601 ?? completed.jira, 'completedDate');
  const via = `JSM approval ${str(approval.name) ?? str(approval.id) ?? ''}`.trim();
  const decisions: Decision[] = [];
  (approval.approvers as unknown[]).forEach((entry, index) => {
    if (!isObject(entry)) return;
    const verdict = str(entry.approverDecision)?.toLowerCase();
    if (verdict !== 'approved' && verdict !== 'declined') return;
    const decision: Decision = {
      at,
      decision: verdict,
      via,
      subLocator: `${subLocator}/approvers/${index}`,
    };
    const approver = restPerson(entry.approver);
    if (approver) decision.approver = approver;
    const id = str(approval.id);
    if (id) decision.grantKey = `jsm-approval:${id}`;
    decisions.push(decision);
  });
  return decisions;
}

/** One changelog history: status transitions and approval-field decisions by its author. */
function readHistory(
  history: JsonObject,
  pointer: string,
  options: JiraOptions,
  facts: TicketFacts,
): void {
  const at = time(history.created, 'changelog created');
  const author = restPerson(history.author);
  const items = Array.isArray(history.items) ? history.items : [];
  const historyId = str(history.id);
  items.forEach((item, index) => {
    if (!isObject(item)) return;
    const field = str(item.field) ?? str(item.fieldId) ?? '';
    const to = str(item.toString);
    const subLocator = `${pointer}/items/${index}`;
    if (field.toLowerCase() === 'status' && to) {
      const transition: Transition = { at, to, subLocator };
      const from = str(item.fromString);
      if (from) transition.from = from;
      if (author) transition.author = author;
      if (historyId) transition.historyId = `${historyId}/${index}`;
      facts.transitions.push(transition);
      return;
    }
    if (inList(options.approvalStatusFields, field)) {
      const decision = decisionOf(options, to);
      if (!decision) return;
      const entry: Decision = { at, decision, via: `${field} field`, subLocator };
      if (author) entry.approver = author;
      facts.decisions.push(entry);
    }
  });
}

/** Facts of a REST issue; `history` is the webhook's single changelog, when there is one. */
export function restTicketFacts(
  issue: JsonObject,
  pointer: string,
  options: JiraOptions,
  webhook?: { history: JsonObject; pointer: string; action: string },
): TicketFacts {
  const key = str(issue.key);
  if (!key) throw new IssueError('issue key missing: expected "key" such as ACC-123');
  const fields = isObject(issue.fields) ? issue.fields : {};
  const facts: TicketFacts = {
    key,
    labels: Array.isArray(fields.labels)
      ? fields.labels.filter((l): l is string => typeof l === 'string')
      : [],
    transitions: [],
    decisions: [],
    comments: [],
    action: webhook?.action ?? 'issue (REST)',
  };
  if (fields.created !== undefined && fields.created !== null) {
    facts.createdAt = time(fields.created, 'created');
  }
  if (fields.resolutiondate) facts.resolvedAt = time(fields.resolutiondate, 'resolutiondate');
  const summary = str(fields.summary);
  if (summary) facts.summary = summary;
  const issueType = fieldText(fields.issuetype);
  if (issueType) facts.issueType = issueType;
  const status = fieldText(fields.status);
  if (status) facts.status = status;
  const reporter = restPerson(fields.reporter) ?? restPerson(fields.creator);
  if (reporter) facts.reporter = reporter;

  const subject = fieldValue(issue, options.subjectFields);
  const subjectPerson = Array.isArray(subject) ? restPerson(subject[0]) : restPerson(subject);
  if (subjectPerson) facts.subject = subjectPerson;
  const target = fieldText(fieldValue(issue, options.targetFields));
  if (target) facts.target = accessTarget(target);

  const changelog = isObject(issue.changelog) ? issue.changelog : undefined;
  const histories = changelog && Array.isArray(changelog.histories) ? changelog.histories : [];
  histories.forEach((history, index) => {
    if (isObject(history))
      readHistory(history, `${pointer}/changelog/histories/${index}`, options, facts);
  });
  if (webhook) readHistory(webhook.history, webhook.pointer, options, facts);

  // JSM keeps the approvals of a request in a custom field: an array of approval objects.
  for (const [id, value] of Object.entries(fields)) {
    if (!Array.isArray(value)) continue;
    value.forEach((entry, index) => {
      if (!isJsmApproval(entry)) return;
      facts.decisions.push(...jsmDecisions(entry, `${pointer}/fields/${id}/${index}`));
    });
  }
  return facts;
}

/** A webhook payload's changelog as a history, timed by the payload's epoch-ms timestamp. */
export function webhookHistory(payload: JsonObject): JsonObject | undefined {
  const changelog = isObject(payload.changelog) ? payload.changelog : undefined;
  if (!changelog) return undefined;
  return {
    id: changelog.id,
    author: payload.user,
    created: payload.timestamp,
    items: changelog.items,
  };
}
