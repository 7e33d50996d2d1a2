// The jira importers: REST/webhook/JSM JSON (`jira`), issue-search CSV (`jira-csv`), XML (`jira-xml`).
import path from 'node:path';
import type { EventDraft } from '../../../model/event.js';
import type { RawRecord } from '../../../read/record.js';
import type { DetectionSample, FileInfo, Importer, RecordSink } from '../../types.js';
import { isObject, str, type JsonObject } from '../../common.js';
import { countOpaqueApprovalCells, csvTicketFacts, RowError } from './csv.js';
import { CSV_META, JSON_META, XML_META } from './meta.js';
import {
  IssueError,
  isJsmApproval,
  jsmDecisions,
  restTicketFacts,
  webhookHistory,
} from './rest.js';
import { JiraRunState } from './run.js';
import type { TicketFacts } from './ticket.js';
import { ItemError, splitJiraXml, xmlTicketFacts } from './xml.js';

const KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

function isIssue(value: unknown): value is JsonObject {
  return isObject(value) && KEY.test(str(value.key) ?? '') && isObject(value.fields);
}

function isWebhook(value: unknown): value is JsonObject {
  return isObject(value) && typeof value.webhookEvent === 'string' && isObject(value.issue);
}

/** The outcome of one JSON record before it is reported: events, or why there are none. */
type Result = { drafts: EventDraft[]; quiet?: string };

function withPrefix(drafts: EventDraft[], prefix: string): EventDraft[] {
  if (!prefix) return drafts;
  return drafts.map((d) => ({ ...d, subLocator: `${prefix}${d.subLocator ?? ''}` }));
}

// ---- jira (JSON) -------------------------------------------------------------------------

/** The ticket key of a JSM approval export: in the record, else in the file name (ACC-12-approvals.json). */
function jsmKey(record: JsonObject, file: FileInfo): string {
  const inRecord = str(record.issueKey) ?? str(record.requestKey) ?? str(record.key);
  if (inRecord && KEY.test(inRecord)) return inRecord;
  return /[A-Z][A-Z0-9_]+-\d+/.exec(path.basename(file.path))?.[0] ?? '';
}

function emptyFacts(key: string): TicketFacts {
  return { key, labels: [], transitions: [], decisions: [], comments: [], action: 'JSM approval' };
}

function jsmResult(
  state: JiraRunState,
  approvals: unknown[],
  key: string,
  pointer: string,
): Result {
  const facts = emptyFacts(key);
  approvals.forEach((approval, index) => {
    if (isJsmApproval(approval))
      facts.decisions.push(...jsmDecisions(approval, `${pointer}/${index}`));
  });
  const drafts = state.drafts(facts);
  return drafts.length > 0 ? { drafts } : { drafts, quiet: 'JSM approval pending' };
}

function issueResult(state: JiraRunState, issue: JsonObject, pointer: string): Result {
  const alreadyRequested = state.hasRequest(str(issue.key) ?? '');
  const drafts = withPrefix(state.drafts(restTicketFacts(issue, '', state.options)), pointer);
  if (drafts.length > 0) return { drafts };
  return {
    drafts,
    quiet: alreadyRequested ? 'duplicate' : 'issue without created date or transitions',
  };
}

function jsonResult(state: JiraRunState, value: unknown, file: FileInfo): Result | string {
  if (isWebhook(value)) {
    const history = webhookHistory(value);
    const action = str(value.webhookEvent) ?? 'webhook';
    const webhook = history ? { history, pointer: '/changelog', action } : undefined;
    const facts = restTicketFacts(value.issue as JsonObject, '/issue', state.options, webhook);
    const drafts = withIssuePrefix(state.drafts(facts));
    return drafts.length > 0
      ? { drafts }
      : { drafts, quiet: str(value.issue_event_type_name) ?? action };
  }
  if (isIssue(value)) return issueResult(state, value, '');
  if (isJsmApproval(value)) return jsmResult(state, [value], jsmKey(value, file), '');
  if (isObject(value) && Array.isArray(value.issues)) {
    const drafts = value.issues.flatMap((issue, i) =>
      isIssue(issue) ? issueResult(state, issue, `/issues/${i}`).drafts : [],
    );
    return drafts.length > 0
      ? { drafts }
      : { drafts, quiet: 'search page without lifecycle evidence' };
  }
  if (isObject(value) && Array.isArray(value.values) && value.values.every(isJsmApproval)) {
    return jsmResult(state, value.values, jsmKey(value, file), '/values');
  }
  if (isObject(value) && isObject(value.approvals) && Array.isArray(value.approvals.values)) {
    return jsmResult(state, value.approvals.values, jsmKey(value, file), '/approvals/values');
  }
  return (
    'not a Jira issue, webhook payload or JSM approval: expected "key" and "fields", ' +
    '"webhookEvent" and "issue", or "approvers" and "finalDecision"'
  );
}

/** Webhook drafts point into the payload: request/summary fields live under /issue. */
function withIssuePrefix(drafts: EventDraft[]): EventDraft[] {
  return drafts.map((d) => (d.subLocator ? d : { ...d, subLocator: '/issue' }));
}

function settle(sink: RecordSink, record: RawRecord, result: Result): void {
  if (result.drafts.length > 0) sink.accept(record, result.drafts);
  else sink.ignore(record, result.quiet ?? 'no lifecycle evidence');
}

function detectJson(sample: DetectionSample): number {
  const first = sample.jsonRecords.slice(0, 5);
  if (first.length === 0) return 0;
  const mine = first.filter(
    (r) =>
      isIssue(r) ||
      isWebhook(r) ||
      isJsmApproval(r) ||
      (isObject(r) && Array.isArray(r.issues) && r.issues.some(isIssue)) ||
      (isObject(r) &&
        Array.isArray(r.values) &&
        r.values.length > 0 &&
        r.values.every(isJsmApproval)),
  ).length;
  if (mine === 0) return 0;
  return Math.min(100, (mine === first.length ? 90 : 60) + (/jira/i.test(sample.path) ? 10 : 0));
}

export const jira: Importer = {
  meta: JSON_META,
  input: 'json',
  detect: detectJson,
  createRun(settings) {
    const state = new JiraRunState(settings);
    return {
      openFile: (file, sink) => ({
        record(record) {
          if (record.data.kind !== 'json') {
            sink.reject(
              record,
              'expected a JSON record (Jira REST issue, webhook payload or JSM approval)',
            );
            return;
          }
          try {
            const result = jsonResult(state, record.data.value, file);
            if (typeof result === 'string') sink.reject(record, result);
            else settle(sink, record, result);
          } catch (error) {
            if (!(error instanceof IssueError)) throw error;
            sink.reject(record, error.message);
          }
        },
      }),
    };
  },
};

// ---- jira-csv ----------------------------------------------------------------------------

function detectCsv(sample: DetectionSample): number {
  const headers = (sample.csvHeaders ?? []).map((h) => h.trim().toLowerCase());
  if (!headers.includes('issue key')) return 0;
  const typical = ['summary', 'issue id', 'issue type', 'status', 'reporter', 'created'];
  const extra = typical.filter((h) => headers.includes(h)).length;
  return Math.min(100, 80 + extra * 3 + (/jira/i.test(sample.path) ? 5 : 0));
}

export const jiraCsv: Importer = {
  meta: CSV_META,
  input: 'csv',
  detect: detectCsv,
  createRun(settings) {
    const state = new JiraRunState(settings);
    return {
      openFile: (file, sink) => ({
        record(record) {
          if (record.data.kind !== 'csv') {
            sink.reject(record, 'expected a CSV row of a Jira issue-search export');
            return;
          }
          const row = record.data.row;
          const opaque = countOpaqueApprovalCells(row);
          if (opaque > 0) {
            const before = state.opaqueApprovalCells.get(file.path) ?? 0;
            state.opaqueApprovalCells.set(file.path, before + opaque);
          }
          try {
            const facts = csvTicketFacts(row, state.options, {
              format: state.dateFormat,
              zone: state.zone,
            });
            const repeated = state.hasRequest(facts.key);
            const drafts = state.drafts(facts);
            if (drafts.length > 0) sink.accept(record, drafts);
            else if (repeated) sink.ignore(record, 'duplicate');
            // The user left the Created column out of the export: the row cannot be dated.
            else sink.ignore(record, 'ticket without Created column');
          } catch (error) {
            if (!(error instanceof RowError)) throw error;
            sink.reject(record, `${error.message}`);
          }
        },
      }),
      finish: () => state.notes(),
    };
  },
};

// ---- jira-xml ----------------------------------------------------------------------------

function detectXml(sample: DetectionSample): number {
  const head = sample.head.slice(0, 8192);
  if (!/<rss[\s>]/.test(head)) return 0;
  const jiraLike =
    /<key id="\d+">[A-Z][A-Z0-9_]+-\d+<\/key>/.test(sample.head) || /jira/i.test(head);
  return jiraLike ? 90 : 0;
}

export const jiraXml: Importer = {
  meta: XML_META,
  input: 'xml',
  detect: detectXml,
  splitXml: splitJiraXml,
  createRun(settings) {
    const state = new JiraRunState(settings);
    return {
      openFile: (_file, sink) => ({
        record(record) {
          const item = record.data.kind === 'json' ? record.data.value : undefined;
          if (!isObject(item)) {
            sink.reject(record, 'expected one <item> of a Jira XML export');
            return;
          }
          try {
            const drafts = state.drafts(xmlTicketFacts(item, state.options, state.zone));
            if (drafts.length > 0) sink.accept(record, drafts);
            else sink.ignore(record, 'duplicate');
          } catch (error) {
            if (!(error instanceof ItemError)) throw error;
            sink.reject(record, error.message);
          }
        },
      }),
    };
  },
};

export { jiraXmlRecords, JIRA_XML_PARSER_OPTIONS, splitJiraXml } from './xml.js';
