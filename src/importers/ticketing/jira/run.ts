// Run state shared by the three Jira importers: options, de-duplication, notes about cells.
import type { EventDraft } from '../../../model/event.js';
import type { RunSettings, SourceNote } from '../../types.js';
import { parseJiraOptions, type JiraOptions } from './options.js';
import { ticketDrafts, type TicketFacts } from './ticket.js';

export class JiraRunState {
  readonly options: JiraOptions;
  /** Tickets whose request event this run already produced (REST pages, webhooks, CSV). */
  private readonly requested = new Set<string>();
  /** Changelog entries and decisions already turned into events. */
  private readonly seenFacts = new Set<string>();
  /** file -> number of CSV cells holding JSM's unreadable approvals object. */
  readonly opaqueApprovalCells = new Map<string, number>();

  constructor(readonly settings: RunSettings) {
    this.options = parseJiraOptions(settings.options);
  }

  /** Times without an offset: the zone declared beside the export wins over the run's zone. */
  get zone(): string | undefined {
    return this.settings.exportContext?.timezone ?? this.settings.timezone;
  }

  get dateFormat(): string {
    return this.settings.exportContext?.dateFormat ?? this.options.dateFormat;
  }

  /** Events for a ticket, leaving out what an earlier record of this run already gave. */
  drafts(facts: TicketFacts): EventDraft[] {
    const fresh: TicketFacts = {
      ...facts,
      transitions: facts.transitions.filter((t) =>
        this.firstTime(t.historyId && `${facts.key}#${t.historyId}`),
      ),
      decisions: facts.decisions.filter((d) =>
        this.firstTime(`${facts.key}#${d.via}#${d.at}#${d.approver?.id ?? ''}#${d.decision}`),
      ),
    };
    const emitRequest = facts.key !== '' && !this.requested.has(facts.key);
    const drafts = ticketDrafts(fresh, this.options, emitRequest);
    if (emitRequest && facts.createdAt) this.requested.add(facts.key);
    return drafts;
  }

  hasRequest(key: string): boolean {
    return this.requested.has(key);
  }

  private firstTime(key: string | undefined): boolean {
    if (!key) return true;
    if (this.seenFacts.has(key)) return false;
    this.seenFacts.add(key);
    return true;
  }

  notes(): SourceNote[] {
    return [...this.opaqueApprovalCells]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([file, count]) => ({
        kind: 'info' as const,
        file,
        message:
          `${count} Approvals cell(s) hold JSM's ApprovalsCFValue object text, which carries no ` +
          'approver or decision; export the approvals with the JSM REST API instead',
      }));
  }
}
