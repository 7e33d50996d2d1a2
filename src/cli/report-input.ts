// Helpers that shape the analysis for the report: the events it shows, the policy it states.
import type { AnalyzedTimeline } from '../analyze.js';
import type { Gap, Grant, TimelineEvent } from '../model/index.js';
import { getPath } from '../importers/common.js';
import type { TimelineLine } from '../pipeline/activity-store.js';
import { daysWithData } from '../export/report/index.js';

/** The events the report can cite: those of grants and gap evidence, by id. */
export function reportEvents(
  events: readonly TimelineEvent[],
  grants: readonly Grant[],
  gaps: readonly Gap[],
) {
  const wanted = new Set<string>();
  for (const grant of grants) for (const id of grant.eventIds) wanted.add(id);
  for (const gap of gaps) for (const id of gap.evidence) wanted.add(id);
  const byId = new Map<string, TimelineEvent>();
  for (const event of events) if (wanted.has(event.id)) byId.set(event.id, event);
  return byId;
}

/**
 * Passes the timeline to the bundle line by line and keeps the events the report cites on the
 * way, so the timeline is read from disk once for both.
 */
export class TimelineTap {
  private readonly cited = new Map<string, TimelineEvent>();
  private readonly wanted = new Set<string>();
  private complete = false;

  constructor(
    private readonly timeline: AnalyzedTimeline,
    grants: readonly Grant[],
    gaps: readonly Gap[],
  ) {
    for (const grant of grants) for (const id of grant.eventIds) this.wanted.add(id);
    for (const gap of gaps) for (const id of gap.evidence) this.wanted.add(id);
  }

  *lines(): Generator<TimelineLine & { event?: TimelineEvent }> {
    this.cited.clear();
    for (const line of this.timeline.lines()) {
      if (this.wanted.has(line.id)) {
        this.cited.set(line.id, line.event ?? (JSON.parse(line.json) as TimelineEvent));
      }
      yield line;
    }
    this.complete = true;
  }

  /** The cited events by id, in timeline order (as reportEvents gives them). */
  citedEvents(): Map<string, TimelineEvent> {
    if (!this.complete) for (const line of this.lines()) void line;
    return this.cited;
  }

  /** UTC days with data per importer, from the core events and the activity store's days. */
  daysWithData(): Record<string, string[]> {
    const marks: { at: string; source: { importer: string } }[] = [...this.timeline.core];
    for (const [importer, days] of this.timeline.activity.days) {
      for (const day of days) marks.push({ at: day, source: { importer } });
    }
    return daysWithData(marks);
  }
}

// Policy values that are the firm's choice; no DORA or RTS provision fixes them.
const POLICY_PARAMETERS: [string, string][] = [
  ['maxTtl', 'maximum time a privileged grant may stay active'],
  ['approvalValidity', 'how long an approval stays usable before issuance'],
  ['clockSkew', 'tolerance between source clocks; findings inside it are marked uncertain'],
  ['breakGlass.reviewWithin', 'time allowed for the review after a break-glass use'],
  ['requireTicket', 'whether every grant needs a ticket'],
  ['requireApproval', 'whether every grant needs an approval'],
  ['separationOfDuties', 'whether requester and approver must differ'],
];

export function policyStatements(policy: Record<string, unknown>): string[] {
  const statements: string[] = [];
  for (const [key, meaning] of POLICY_PARAMETERS) {
    const value = getPath(policy, key);
    if (value === undefined) continue;
    statements.push(
      `${key} = ${typeof value === 'string' ? value : JSON.stringify(value)}: ${meaning} (firm policy)`,
    );
  }
  return statements;
}
