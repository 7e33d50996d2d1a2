// The normalization core shared by the JSON, CSV and XML ServiceNow importers.
import type { EventDraft, Identity, Target } from '../../../model/event.js';
import { TimeError } from '../../../util/time.js';
import { findTickets, identity } from '../../common.js';
import type { ServiceNowSettings } from './config.js';
import { preferDisplay, preferStored, type SnRecord } from './fields.js';
import {
  changeState,
  choiceKey,
  decision,
  isSupportedTable,
  tableFromClass,
  tableFromFileName,
  tableFromNumber,
  type SupportedTable,
  type TaskTable,
} from './tables.js';
import { ServiceNowTimes } from './times.js';

export type Outcome =
  | { kind: 'accept'; events: EventDraft[] }
  | { kind: 'ignore'; as: string }
  | { kind: 'reject'; reason: string }
  /** An approval whose task is not known yet; asked again at the end of the file. */
  | { kind: 'defer' };

/** What an approval row needs to know of its task. */
interface TaskInfo {
  number: string;
  subject?: Identity;
  target?: Target;
  breakGlass?: boolean;
}

const TARGET_KINDS: Record<string, string> = {
  cmdb_ci: 'ci',
  business_service: 'service',
  cat_item: 'catalog-item',
  assignment_group: 'group',
};

// Fields that place a row in time; a row with none of them is unusable as evidence.
const TIME_FIELDS = ['opened_at', 'sys_created_on', 'sys_updated_on', 'approval_set', 'closed_at'];

// Task numbers as ServiceNow displays references to tasks (`CHG0030101`, `RITM0010002`).
const TASK_NUMBER = /^[A-Z]{2,8}\d{5,}$/;

/**
 * One instance per importer run. It remembers every task it has read (sys_id and number) so that
 * approval rows exported with only the task's sys_id can name the ticket: the task must therefore
 * be read before its approvals, in an earlier file or anywhere in the same file.
 */
export class ServiceNowCore {
  private readonly times: ServiceNowTimes;
  private readonly tasksBySysId = new Map<string, TaskInfo>();
  private readonly tasksByNumber = new Map<string, TaskInfo>();

  constructor(
    private readonly importerId: string,
    private readonly settings: ServiceNowSettings,
  ) {
    this.times = new ServiceNowTimes(settings, importerId);
  }

  /** Normalizes one record; `final` is set when a deferred approval is asked again. */
  normalize(record: SnRecord, filePath: string, final = false): Outcome {
    const table = this.tableOf(record, filePath);
    // Rows of other tables are counted by table name, even when they carry no times.
    if (table !== undefined && !isSupportedTable(table)) return { kind: 'ignore', as: table };
    if (!TIME_FIELDS.some((name) => record.get(name) !== undefined)) {
      return {
        kind: 'reject',
        reason:
          `no date-time field (${TIME_FIELDS.join(', ')}): a row without times cannot be placed ` +
          'on the timeline; export these fields too',
      };
    }
    if (table === undefined) {
      return {
        kind: 'reject',
        reason:
          'table unknown: expected table_name, sys_class_name, a task number (CHG…, RITM…, SCTASK…, ' +
          `INC…) or the table in the file name; or set importers.${this.importerId}.table`,
      };
    }
    return this.normalizeRow(table, record, final);
  }

  private normalizeRow(table: SupportedTable, record: SnRecord, final: boolean): Outcome {
    try {
      if (table === 'sysapproval_approver') return this.approvalRow(record, final);
      return this.taskRow(table, record);
    } catch (error) {
      if (error instanceof TimeError) return { kind: 'reject', reason: error.message };
      throw error;
    }
  }

  private tableOf(record: SnRecord, filePath: string): string | undefined {
    if (this.settings.table) return this.settings.table;
    if (record.declaredTable) return record.declaredTable;
    const fromClass = tableFromClass(preferStored(record.get('sys_class_name')));
    if (fromClass) return fromClass;
    const fromNumber = tableFromNumber(preferStored(record.get('number')));
    if (fromNumber) return fromNumber;
    const fromName = tableFromFileName(filePath);
    if (fromName) return fromName;
    if (record.get('approver') || record.get('sysapproval')) return 'sysapproval_approver';
    return undefined;
  }

  // ---- tasks: change_request, sc_req_item, sc_task, incident --------------------------------

  private taskRow(table: TaskTable, record: SnRecord): Outcome {
    const number = preferStored(record.get('number'));
    if (!number) return { kind: 'reject', reason: `number missing: expected the ${table} number` };

    const openedAt = this.time(record, 'opened_at') ?? this.time(record, 'sys_created_on');
    if (!openedAt) {
      return {
        kind: 'reject',
        reason: `${number}: opened_at and sys_created_on missing: expected when the ${table} was opened`,
      };
    }

    const emergency = table === 'change_request' ? isEmergency(record) : undefined;
    const task: TaskInfo = {
      number,
      subject: this.firstUser(record, this.settings.subjectFields),
      target: this.target(record),
      breakGlass: emergency,
    };
    const common = this.taskCommon(record, task);
    const events: EventDraft[] = [this.opened(table, record, task, openedAt, common)];
    events.push(...this.taskApproval(table, record, task, common));
    events.push(...this.implementation(table, record, task, common));
    events.push(...this.closure(table, record, task, common));

    // Only a task read without fault names the approvals that point at it.
    this.remember(record, task);
    return { kind: 'accept', events };
  }

  private taskCommon(
    record: SnRecord,
    task: TaskInfo,
  ): Omit<EventDraft, 'at' | 'stage' | 'action' | 'summary'> {
    const justification = preferStored(record.get('justification'));
    const short = preferStored(record.get('short_description'));
    const parents = ['parent', 'request', 'request_item', 'change_request']
      .map((name) => this.taskNumber(record, name))
      .filter((found): found is string => found !== undefined);
    const tickets = unique([task.number, ...parents, ...findTickets(short, justification)]);
    return {
      subject: task.subject,
      target: task.target,
      tickets,
      reason: justification ?? short,
      outcome: 'success',
      ...(task.breakGlass === undefined ? {} : { breakGlass: task.breakGlass }),
    };
  }

  private opened(
    table: TaskTable,
    record: SnRecord,
    task: TaskInfo,
    at: string,
    common: ReturnType<ServiceNowCore['taskCommon']>,
  ): EventDraft {
    // Changes and requested items ask for something; catalog tasks are fulfilment work created
    // by the workflow, incidents are reasons for access, not requests for it.
    const stage = table === 'change_request' || table === 'sc_req_item' ? 'request' : 'context';
    const short = preferStored(record.get('short_description'));
    const kind = task.breakGlass ? 'emergency change' : table.replace(/_/g, ' ');
    // An approval decision without its time gives no event; say so where the auditor looks.
    const approval = decision(preferStored(record.get('approval')));
    const undated =
      (approval === 'approved' || approval === 'rejected') && !record.get('approval_set')
        ? `; approval ${approval} with no approval_set time`
        : '';
    return {
      ...common,
      at,
      stage,
      actor: this.user(record, 'opened_by'),
      action: `${table}.opened`,
      summary: `${task.number} (${kind}) opened${short ? `: ${short}` : ''}${undated}`,
    };
  }

  /** The task's own approval field: `approval` decided at `approval_set` (who is not recorded). */
  private taskApproval(
    table: TaskTable,
    record: SnRecord,
    task: TaskInfo,
    common: ReturnType<ServiceNowCore['taskCommon']>,
  ): EventDraft[] {
    const state = decision(preferStored(record.get('approval')));
    if (state !== 'approved' && state !== 'rejected') return [];
    const at = this.time(record, 'approval_set');
    if (!at) return [];
    return [
      {
        ...common,
        at,
        stage: state === 'approved' ? 'approval' : 'denial',
        action: `${table}.approval.${state}`,
        summary: `${task.number} ${state} (approval field set; approver not in this record)`,
      },
    ];
  }

  /** The actual implementation window of a change (work_start / work_end) as context. */
  private implementation(
    table: TaskTable,
    record: SnRecord,
    task: TaskInfo,
    common: ReturnType<ServiceNowCore['taskCommon']>,
  ): EventDraft[] {
    if (table !== 'change_request') return [];
    const events: EventDraft[] = [];
    for (const [field, words] of [
      ['work_start', 'implementation started'],
      ['work_end', 'implementation ended'],
    ] as const) {
      const at = this.time(record, field);
      if (at) {
        events.push({
          ...common,
          at,
          stage: 'context',
          action: `${table}.${field}`,
          summary: `${task.number} ${words}`,
        });
      }
    }
    return events;
  }

  /**
   * Resolution and closure are context; for an emergency change, post-implementation review
   * evidence (review fields, or close notes on a closed change) makes a `review` event, so that
   * break-glass changes without a review stand out.
   */
  private closure(
    table: TaskTable,
    record: SnRecord,
    task: TaskInfo,
    common: ReturnType<ServiceNowCore['taskCommon']>,
  ): EventDraft[] {
    const events: EventDraft[] = [];
    const resolvedAt = table === 'incident' ? this.time(record, 'resolved_at') : undefined;
    if (resolvedAt) {
      events.push({
        ...common,
        at: resolvedAt,
        stage: 'context',
        actor: this.user(record, 'resolved_by'),
        action: `${table}.resolved`,
        summary: `${task.number} resolved`,
      });
    }

    const closedAt = this.time(record, 'closed_at');
    const review = task.breakGlass ? this.review(record, closedAt) : undefined;
    if (review) {
      events.push({
        ...common,
        at: review.at,
        stage: 'review',
        actor: review.at === closedAt ? this.user(record, 'closed_by') : undefined,
        reason: review.text,
        action: `${table}.review`,
        summary: `${task.number} emergency change reviewed (${review.evidence})`,
      });
    }
    if (closedAt && review?.at !== closedAt) {
      const state = changeState(preferStored(record.get('state')));
      const closeCode = preferDisplay(record.get('close_code'));
      events.push({
        ...common,
        at: closedAt,
        stage: 'context',
        actor: this.user(record, 'closed_by'),
        action: `${table}.closed`,
        summary:
          `${task.number} closed${closeCode ? ` (${closeCode})` : ''}` +
          (task.breakGlass ? ' with no post-implementation review recorded' : '') +
          (table === 'change_request' && state === 'canceled' ? ', canceled' : ''),
      });
    }
    return events;
  }

  private review(
    record: SnRecord,
    closedAt: string | undefined,
  ): { at: string; evidence: string; text?: string } | undefined {
    const comments = preferStored(record.get('review_comments'));
    const status = preferDisplay(record.get('review_status'));
    const closeNotes = preferStored(record.get('close_notes'));
    const reviewDate = this.time(record, 'review_date');
    const inReview = changeState(preferStored(record.get('state'))) === 'review';

    const evidence = [
      comments ? 'review_comments' : undefined,
      status ? `review_status ${status}` : undefined,
      reviewDate ? 'review_date' : undefined,
      closeNotes && closedAt ? 'close_notes' : undefined,
    ].filter((item): item is string => item !== undefined);
    if (evidence.length === 0) return undefined;

    // The review's own date when the instance records one; else the closure, which ends the
    // review phase; a change still in Review state with review content was last updated then.
    const at =
      reviewDate ?? closedAt ?? (inReview ? this.time(record, 'sys_updated_on') : undefined);
    if (!at) return undefined;
    return { at, evidence: evidence.join(', '), text: comments ?? closeNotes };
  }

  // ---- sysapproval_approver --------------------------------------------------------------

  private approvalRow(record: SnRecord, final: boolean): Outcome {
    const rawState = preferStored(record.get('state'));
    const state = decision(rawState);
    if (state === undefined) {
      return {
        kind: 'reject',
        reason: rawState
          ? `state ${JSON.stringify(rawState)}: expected an approval state (requested, approved, rejected, ...)`
          : 'state missing: expected the approval state (requested, approved, rejected, ...)',
      };
    }
    if (state === 'withdrawn' || state === 'not_requested') {
      return { kind: 'ignore', as: `sysapproval_approver.${choiceKey(rawState)}` };
    }

    const link = this.approvalTask(record);
    if (link.pending && !final) return { kind: 'defer' };
    const task = link.task;
    const approver = this.user(record, 'approver');
    const comments = preferStored(record.get('comments'));
    const tickets = unique([...(task ? [task.number] : []), ...findTickets(comments)]);
    const about = task
      ? task.number
      : link.sysId
        ? `task sys_id ${link.sysId} (not in the export read so far)`
        : 'an unnamed task';
    const who = approver?.raw ?? 'an approver not named in the export';

    if (state === 'requested') {
      const at = this.time(record, 'sys_created_on') ?? this.time(record, 'sys_updated_on');
      if (!at)
        return {
          kind: 'reject',
          reason: 'sys_created_on missing: expected when the approval was requested',
        };
      return {
        kind: 'accept',
        events: [
          {
            at,
            stage: 'context',
            actor: approver,
            subject: task?.subject,
            target: task?.target,
            tickets,
            ...(task?.breakGlass === undefined ? {} : { breakGlass: task.breakGlass }),
            action: 'sysapproval_approver.requested',
            outcome: 'success',
            summary: `approval of ${about} requested from ${who}, not decided`,
          },
        ],
      };
    }

    // Once an approval row is final, sys_updated_on is the decision time (sources doc §7).
    const at = this.time(record, 'sys_updated_on');
    if (!at)
      return {
        kind: 'reject',
        reason: `state ${state} but sys_updated_on missing: expected the decision time`,
      };
    return {
      kind: 'accept',
      events: [
        {
          at,
          stage: state === 'approved' ? 'approval' : 'denial',
          actor: approver,
          subject: task?.subject,
          target: task?.target,
          tickets,
          reason: comments,
          ...(task?.breakGlass === undefined ? {} : { breakGlass: task.breakGlass }),
          action: `sysapproval_approver.${state}`,
          outcome: 'success',
          summary: `${who} ${state} ${about}`,
        },
      ],
    };
  }

  /** The task an approval row belongs to, through `sysapproval` or `document_id`. */
  private approvalTask(record: SnRecord): { task?: TaskInfo; sysId?: string; pending: boolean } {
    for (const name of ['sysapproval', 'document_id']) {
      const field = record.get(name);
      if (!field) continue;
      const byId = field.stored ? this.tasksBySysId.get(field.stored) : undefined;
      if (byId) return { task: byId, pending: false };
      const shown = [field.display, field.stored].find(
        (v) => v !== undefined && TASK_NUMBER.test(v),
      );
      if (shown)
        return { task: this.tasksByNumber.get(shown) ?? { number: shown }, pending: false };
      if (field.stored) return { sysId: field.stored, pending: true };
    }
    return { pending: false };
  }

  // ---- helpers ---------------------------------------------------------------------------

  private remember(record: SnRecord, task: TaskInfo): void {
    this.tasksByNumber.set(task.number, task);
    const sysId = preferStored(record.get('sys_id'));
    if (sysId) this.tasksBySysId.set(sysId, task);
  }

  /** A reference to another task as its number: shown by name, or through the sys_id map. */
  private taskNumber(record: SnRecord, name: string): string | undefined {
    const field = record.get(name);
    if (!field) return undefined;
    const shown = [field.display, field.stored].find((v) => v !== undefined && TASK_NUMBER.test(v));
    if (shown) return shown;
    return field.stored ? this.tasksBySysId.get(field.stored)?.number : undefined;
  }

  private time(record: SnRecord, name: string): string | undefined {
    return this.times.read(name, record.get(name));
  }

  /** A sys_user reference: the user's name where the export shows it, else the sys_id. */
  private user(record: SnRecord, name: string): Identity | undefined {
    const field = record.get(name);
    const raw = preferDisplay(field);
    if (!raw) return undefined;
    if (field?.display === undefined && /^[0-9a-f]{32}$/.test(raw)) return identity(raw, 'unknown');
    return identity(raw, /^(system|guest)$/i.test(raw) ? 'service' : 'human');
  }

  private firstUser(record: SnRecord, names: readonly string[]): Identity | undefined {
    for (const name of names) {
      const found = this.user(record, name);
      if (found) return found;
    }
    return undefined;
  }

  private target(record: SnRecord): Target | undefined {
    for (const name of this.settings.targetFields) {
      const field = record.get(name);
      const raw = preferDisplay(field);
      if (!raw) continue;
      return {
        id: raw,
        raw,
        kind: TARGET_KINDS[name] ?? name,
        ...(field?.display ? { name: field.display } : {}),
      };
    }
    return undefined;
  }
}

function isEmergency(record: SnRecord): boolean {
  return choiceKey(preferStored(record.get('type'))) === 'emergency';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
