// What every Jira export form says about a ticket, and the timeline events that follow from it.
import type { EventDraft, Identity, Stage, Target } from '../../../model/event.js';
import { findTickets, identity } from '../../common.js';
import { inList, type JiraOptions } from './options.js';

/** A status change (REST changelog history item, webhook changelog, JSM decision). */
export interface Transition {
  at: string;
  author?: Identity;
  from?: string;
  to: string;
  /** Changelog history id, for de-duplication across REST pages and webhooks. */
  historyId?: string;
  subLocator?: string;
}

/** A decision read from approver / approval status / approval date fields, or JSM approvals. */
export interface Decision {
  at: string;
  approver?: Identity;
  decision: 'approved' | 'declined';
  /** Where it came from, e.g. `Approval status field` or the JSM approval name. */
  via: string;
  /** True when the time is an upper bound (Updated) because no decision date exists. */
  timeIsBound?: boolean;
  grantKey?: string;
  subLocator?: string;
}

export interface Comment {
  at: string;
  author?: Identity;
  body: string;
  subLocator?: string;
}

export interface TicketFacts {
  key: string;
  summary?: string;
  issueType?: string;
  status?: string;
  /** When the ticket was opened, UTC; undefined only when the export lacks the column. */
  createdAt?: string;
  resolvedAt?: string;
  reporter?: Identity;
  subject?: Identity;
  target?: Target;
  labels: string[];
  transitions: Transition[];
  decisions: Decision[];
  comments: Comment[];
  /** The vendor's own name for the record (webhookEvent, `issue`, `csv row`). */
  action: string;
}

/** Jira users are people unless the account is an app (Automation for Jira, Connect apps). */
export function jiraPerson(raw: string, accountType?: string): Identity {
  const automation = accountType === 'app' || /^(automation for jira|addon_|system$)/i.test(raw);
  return identity(raw, automation ? 'service' : 'human');
}

export function accessTarget(raw: string): Target {
  return { id: raw.trim(), raw, kind: 'access', name: raw.trim() };
}

/** Which events a ticket yields; `emitRequest` is false when this run already has its request. */
export function ticketDrafts(
  facts: TicketFacts,
  options: JiraOptions,
  emitRequest: boolean,
): EventDraft[] {
  const drafts: EventDraft[] = [];
  const tickets = findTickets(facts.key, facts.summary);
  if (facts.key && !tickets.includes(facts.key)) tickets.unshift(facts.key);
  const breakGlass = isBreakGlass(facts, options);
  const subject = facts.subject ?? facts.reporter;

  const common = (stage: Stage, at: string, action: string, summary: string): EventDraft => {
    const draft: EventDraft = {
      stage,
      at,
      action,
      outcome: 'success',
      tickets: [...tickets],
      summary,
    };
    if (subject) draft.subject = subject;
    if (facts.target) draft.target = facts.target;
    if (breakGlass) draft.breakGlass = true;
    return draft;
  };

  if (emitRequest && facts.createdAt) {
    const line = `Jira ${facts.key} opened: ${facts.summary ?? ''}`.trim();
    const draft = common('request', facts.createdAt, facts.action, line);
    if (facts.reporter) draft.actor = facts.reporter;
    if (facts.summary) draft.reason = facts.summary;
    drafts.push(draft);
  }

  for (const transition of facts.transitions) {
    const stage = stageOfStatus(transition.to, options);
    const arrow = `${transition.from ?? '?'} → ${transition.to}`;
    const by = transition.author ? ` by ${transition.author.id}` : '';
    const draft = common(
      stage,
      transition.at,
      `status: ${arrow}`,
      `Jira ${facts.key} status ${arrow}${by}`,
    );
    if (transition.author) draft.actor = transition.author;
    if (transition.subLocator) draft.subLocator = transition.subLocator;
    drafts.push(draft);
  }

  for (const decision of facts.decisions) {
    const stage: Stage = decision.decision === 'approved' ? 'approval' : 'denial';
    const by = decision.approver ? ` by ${decision.approver.id}` : ' (approver not named)';
    const bound = decision.timeIsBound
      ? ' (no decision date exported: time is the last update)'
      : '';
    const line = `Jira ${facts.key} ${decision.decision}${by} via ${decision.via}${bound}`;
    const draft = common(stage, decision.at, decision.via, line);
    if (decision.approver) draft.actor = decision.approver;
    if (decision.grantKey) draft.grantKey = decision.grantKey;
    if (decision.subLocator) draft.subLocator = decision.subLocator;
    drafts.push(draft);
  }

  if (facts.resolvedAt && !facts.transitions.some((t) => inList(options.doneStatuses, t.to))) {
    const line = `Jira ${facts.key} resolved (${facts.status ?? 'status unknown'})`;
    drafts.push(common('context', facts.resolvedAt, 'resolved', line));
  }

  for (const comment of facts.comments) {
    const by = comment.author ? ` by ${comment.author.id}` : '';
    const line = `Jira ${facts.key} comment${by}: ${oneLine(comment.body)}`;
    const draft = common('context', comment.at, 'comment', line);
    draft.tickets = [...new Set([...tickets, ...findTickets(comment.body)])];
    draft.reason = comment.body;
    if (comment.author) draft.actor = comment.author;
    if (comment.subLocator) draft.subLocator = comment.subLocator;
    drafts.push(draft);
  }
  return drafts;
}

/**
 * Entering an approved status is an approval by whoever moved the ticket; a declined status is a
 * denial; a review status is review evidence. Done/closed and every other status (including a
 * reopen, which undoes an earlier approval) are context: a closed ticket is never an approval.
 */
export function stageOfStatus(status: string, options: JiraOptions): Stage {
  if (inList(options.approvedStatuses, status)) return 'approval';
  if (inList(options.declinedStatuses, status)) return 'denial';
  if (inList(options.reviewStatuses, status)) return 'review';
  return 'context';
}

function isBreakGlass(facts: TicketFacts, options: JiraOptions): boolean {
  const markers = options.breakGlassMarkers.map((m) => m.toLowerCase());
  const labelled = facts.labels.some((label) => markers.includes(label.toLowerCase()));
  const typed = facts.issueType
    ? markers.some((m) => facts.issueType!.toLowerCase().includes(m))
    : false;
  return labelled || typed;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
