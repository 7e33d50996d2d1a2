// Reads Jira's issue-navigator XML (RSS) export: one record per <item>, localized dates.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RawRecord } from '../../../read/record.js';
import { isObject, str, type JsonObject } from '../../common.js';
import { TimeError } from '../../../util/time.js';
import { parseRssDate } from './dates.js';
import { decisionOf, type JiraOptions } from './options.js';
import {
  accessTarget,
  jiraPerson,
  type Comment,
  type Decision,
  type TicketFacts,
} from './ticket.js';

export class ItemError extends Error {}

const REPEATED = new Set(['item', 'label', 'comment', 'customfield', 'customfieldvalue']);

/**
 * The parser settings the records are made with: attributes as `@_name`, text as `#text`,
 * values kept as strings (a key like 0012 or a date must not turn into a number).
 */
export const JIRA_XML_PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name: string) => REPEATED.has(name),
};

/**
 * Splits an XML export into one record per `<item>`, located as `/rss/channel/item[N]`
 * (1-based, as XPath counts). Jira caps XML exports at 1,000 issues, so the document is parsed
 * whole. A document that is not well-formed is one fault naming the line, never a guess.
 */
export function splitJiraXml(text: string): { record: RawRecord; problem?: string }[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, msg } = valid.err;
    const record: RawRecord = { locator: `line ${line}`, data: { kind: 'line', text: '' } };
    return [{ record, problem: `not well-formed XML at line ${line}: ${msg}` }];
  }
  let document: unknown;
  try {
    document = new XMLParser(JIRA_XML_PARSER_OPTIONS).parse(text) as unknown;
  } catch (error) {
    // The validator passes some documents the parser then refuses (an unclosed `<?` tag).
    const record: RawRecord = { locator: 'line 1', data: { kind: 'line', text: '' } };
    return [{ record, problem: `not well-formed XML: ${(error as Error).message}` }];
  }
  const channel = isObject(document) && isObject(document.rss) ? document.rss.channel : undefined;
  const items = isObject(channel) && Array.isArray(channel.item) ? channel.item : [];
  return items.map((item, index) => ({
    record: {
      locator: `/rss/channel/item[${index + 1}]`,
      data: { kind: 'json', value: item as unknown },
    },
  }));
}

/** The records of a well-formed export (tests and small inputs). */
export function jiraXmlRecords(text: string): RawRecord[] {
  return splitJiraXml(text).map((item) => item.record);
}

function text(node: unknown): string | undefined {
  if (isObject(node)) return str(node['#text']);
  return str(node);
}

function attribute(node: unknown, name: string): string | undefined {
  return isObject(node) ? str(node[`@_${name}`]) : undefined;
}

function date(node: unknown, what: string, zone?: string): string | undefined {
  const value = text(node);
  if (value === undefined) return undefined;
  try {
    return parseRssDate(value, zone);
  } catch (error) {
    const detail = error instanceof TimeError ? error.message : String(error);
    throw new ItemError(`${what} ${JSON.stringify(value)} unreadable: ${detail}`);
  }
}

/** A user element: `<reporter username="jweber">Jonas Weber</reporter>`. */
function person(node: unknown) {
  const raw = attribute(node, 'username') ?? attribute(node, 'accountid') ?? text(node);
  return raw ? jiraPerson(raw) : undefined;
}

/** Custom field values by field name: `<customfield><customfieldname>…` blocks. */
function customValues(item: JsonObject, names: readonly string[]): string[] {
  const block = isObject(item.customfields) ? item.customfields.customfield : undefined;
  const fields = Array.isArray(block) ? block.filter(isObject) : [];
  for (const wanted of names) {
    const field = fields.find(
      (f) => text(f.customfieldname)?.toLowerCase() === wanted.toLowerCase(),
    );
    const valuesNode =
      field && isObject(field.customfieldvalues) ? field.customfieldvalues : undefined;
    const holder = valuesNode?.customfieldvalue;
    const values = (Array.isArray(holder) ? holder : [])
      .map(text)
      .filter((v): v is string => v !== undefined);
    if (values.length > 0) return values;
  }
  return [];
}

export function xmlTicketFacts(item: JsonObject, options: JiraOptions, zone?: string): TicketFacts {
  const key = text(item.key);
  if (!key) throw new ItemError('key missing: expected <key>ACC-123</key> in the item');
  const labelsNode = isObject(item.labels) ? item.labels.label : undefined;
  const facts: TicketFacts = {
    key,
    labels: (Array.isArray(labelsNode) ? labelsNode : []).map(text).filter((v): v is string => !!v),
    transitions: [],
    decisions: [],
    comments: [],
    action: 'issue (XML export)',
  };
  const created = date(item.created, 'created', zone);
  if (!created)
    throw new ItemError('created missing: expected <created> with the date the ticket was opened');
  facts.createdAt = created;
  const resolved = date(item.resolved, 'resolved', zone);
  if (resolved) facts.resolvedAt = resolved;
  // `updated` is not an event, but an unreadable one still means the export is not understood.
  date(item.updated, 'updated', zone);

  const summary = text(item.summary) ?? text(item.title);
  if (summary) facts.summary = summary;
  const issueType = text(item.type);
  if (issueType) facts.issueType = issueType;
  const status = text(item.status);
  if (status) facts.status = status;
  const reporter = person(item.reporter);
  if (reporter) facts.reporter = reporter;
  const subject = customValues(item, options.subjectFields)[0];
  if (subject) facts.subject = jiraPerson(subject);
  const target = customValues(item, options.targetFields)[0];
  if (target) facts.target = accessTarget(target);

  facts.decisions = xmlDecisions(item, options, zone);
  facts.comments = xmlComments(item, zone);
  return facts;
}

function xmlDecisions(item: JsonObject, options: JiraOptions, zone?: string): Decision[] {
  const status = customValues(item, options.approvalStatusFields)[0];
  const decision = decisionOf(options, status);
  if (!decision) return [];
  const dateText = customValues(item, options.approvalDateFields)[0];
  const at = dateText ? date(dateText, 'approval date', zone) : date(item.updated, 'updated', zone);
  if (!at) {
    const expected = options.approvalDateFields.join(' or ');
    throw new ItemError(`approval status "${status}" without a date: expected ${expected}`);
  }
  const via = `${options.approvalStatusFields[0] ?? 'approval status'} field`;
  const base: Decision = dateText
    ? { at, decision, via }
    : { at, decision, via, timeIsBound: true };
  const approvers = customValues(item, options.approverFields);
  return approvers.length === 0
    ? [base]
    : approvers.map((name) => ({ ...base, approver: jiraPerson(name) }));
}

function xmlComments(item: JsonObject, zone?: string): Comment[] {
  const holder = isObject(item.comments) ? item.comments.comment : undefined;
  const comments: Comment[] = [];
  (Array.isArray(holder) ? holder : []).forEach((node, index) => {
    const at = date(attribute(node, 'created'), 'comment created', zone);
    if (!at)
      throw new ItemError(`comment ${index + 1} has no created attribute: expected its date`);
    const comment: Comment = {
      at,
      body: text(node) ?? '',
      subLocator: `/comments/comment[${index + 1}]`,
    };
    const author = attribute(node, 'author');
    if (author) comment.author = jiraPerson(author);
    comments.push(comment);
  });
  return comments;
}
