// Password Safe API records (Requests, Sessions, UserAudits, ManagedAccounts) as timeline events.
import type { EventDraft, Identity, Target } from '../../../model/event.js';
import { findTickets, identity, str, type JsonObject } from '../../common.js';
import { firstString, firstTime, RecordError, timeField } from './records.js';

// Request Status values (Password Safe API "Requests"); the product spells "Canceled" in some
// releases and "Cancelled" in others.
const APPROVED = new Set(['approved', 'active', 'released']);
const ENDED = new Set(['cancelled', 'canceled', 'checkedin', 'checked in', 'revoked']);
const KNOWN = new Set(['pending', 'denied', 'expired', ...APPROVED, ...ENDED]);
const END_DATES = [
  'CheckInDate',
  'CheckinDate',
  'CancelledDate',
  'CanceledDate',
  'StatusChangeDate',
];

/** Release durations are minutes in the API (RequestedDurationMinutes / DurationMinutes). */
function durationSeconds(record: JsonObject): number | undefined {
  for (const key of ['RequestedDurationMinutes', 'DurationMinutes', 'Duration']) {
    const value = record[key];
    const minutes =
      typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (Number.isFinite(minutes) && minutes >= 0) return minutes * 60;
  }
  return undefined;
}

function person(raw: string | undefined): Identity | undefined {
  return raw
    ? identity(raw, raw.includes('@') || raw.includes('\\') ? 'human' : 'unknown')
    : undefined;
}

function accountTarget(record: JsonObject): Target | undefined {
  const account = firstString(record, 'AccountName', 'ManagedAccountName');
  const system = firstString(record, 'SystemName', 'AssetName', 'ManagedSystemName');
  const domain = firstString(record, 'DomainName');
  if (!account && !system) return undefined;
  const name = domain && account ? `${domain}\\${account}` : account;
  const id = [name, system].filter(Boolean).join('@');
  return { id, raw: id, kind: 'account' };
}

/**
 * A request record is a snapshot: its dates prove each stage it went through (requested,
 * approved, released, ended). A stage whose time the record lacks is named in the summary only,
 * never given an invented time.
 */
export function requestEvents(record: JsonObject, zone?: string): EventDraft[] {
  const id = str(record.RequestID) as string;
  const status = str(record.Status) ?? '';
  const state = status.toLowerCase();
  if (!KNOWN.has(state)) {
    throw new RecordError(
      `Status ${JSON.stringify(status)} unknown: expected Pending, Approved, Active, Denied, ` +
        'Expired, Cancelled or CheckedIn',
    );
  }

  const requested = firstTime(
    record,
    zone,
    'RequestDate',
    'CreateDate',
    'RequestedDate',
    'RequestReleaseDate',
  );
  if (!requested)
    throw new RecordError('no request time: expected RequestDate or RequestReleaseDate');
  const approvedAt = timeField(record, 'ApprovedDate', zone);
  const releaseAt = timeField(record, 'RequestReleaseDate', zone);
  const expiresAt = timeField(record, 'ExpiresDate', zone);
  const seconds = durationSeconds(record);
  const reason = firstString(record, 'Reason');
  const subject = person(
    firstString(record, 'RequestorName', 'RequestorUserName', 'UserName', 'UserID'),
  );
  const approver = person(firstString(record, 'ApproverName', 'ApprovedBy', 'ApproverUserName'));
  const target = accountTarget(record);
  const access = firstString(record, 'AccessType') ?? 'access';
  const common: EventDraft = {
    at: requested.at,
    stage: 'request',
    tickets: findTickets(reason, firstString(record, 'TicketNumber')),
    grantKey: id,
    action: `Request ${status}`,
    outcome: 'success',
    summary: '',
    ...(subject ? { subject } : {}),
    ...(target ? { target } : {}),
    ...(reason ? { reason } : {}),
  };
  const what = `${access} request ${id} for ${target?.id ?? 'an unnamed account'}`;
  const events: EventDraft[] = [
    {
      ...common,
      ...(subject ? { actor: subject } : {}),
      ...(seconds !== undefined ? { durationSeconds: seconds } : {}),
      summary: `Password Safe ${what} by ${subject?.raw ?? 'unknown user'} (now ${status})`,
    },
  ];

  const wasApproved =
    APPROVED.has(state) || state === 'expired' || (ENDED.has(state) && !!approvedAt);
  if (wasApproved && approvedAt) {
    events.push({
      ...common,
      at: approvedAt,
      stage: 'approval',
      ...(approver ? { actor: approver } : {}),
      summary: `Password Safe ${what} approved by ${approver?.raw ?? 'an unnamed approver'}`,
    });
  }
  if (wasApproved && (approvedAt || releaseAt)) {
    const releasedAt = [approvedAt, releaseAt]
      .filter((t): t is string => !!t)
      .sort()
      .at(-1) as string;
    events.push({
      ...common,
      at: releasedAt,
      stage: 'issuance',
      ...(expiresAt ? { expiresAt } : {}),
      ...(seconds !== undefined ? { durationSeconds: seconds } : {}),
      summary:
        `Password Safe released ${what}` +
        (seconds !== undefined ? ` for ${seconds / 60} minutes` : '') +
        (expiresAt ? `, until ${expiresAt}` : ''),
    });
  }

  if (state === 'denied') events.push(denial(record, common, what, approver, requested.at, zone));
  if (state === 'expired') {
    if (!expiresAt)
      throw new RecordError('Status Expired without ExpiresDate: expected the expiry time');
    const summary = `Password Safe ${what} expired`;
    events.push({ ...common, at: expiresAt, stage: 'expiry', expiresAt, summary });
  }
  if (ENDED.has(state)) {
    const ended = firstTime(record, zone, ...END_DATES);
    if (ended && wasApproved) {
      events.push({
        ...common,
        at: ended.at,
        stage: 'revocation',
        summary: `Password Safe ${what} ended early (${status}): credentials checked in`,
      });
    } else {
      events[0].summary += ended
        ? `, withdrawn at ${ended.at}`
        : '; the record gives no time for that';
    }
  }
  return events;
}

function denial(
  record: JsonObject,
  common: EventDraft,
  what: string,
  approver: Identity | undefined,
  requestedAt: string,
  zone?: string,
): EventDraft {
  const when = firstTime(record, zone, 'DeniedDate', 'StatusChangeDate', 'ApprovedDate');
  return {
    ...common,
    at: when?.at ?? requestedAt,
    stage: 'denial',
    ...(approver ? { actor: approver } : {}),
    summary:
      `Password Safe ${what} denied by ${approver?.raw ?? 'an unnamed approver'}` +
      (when ? '' : ' (time of denial not in the record; request time used)'),
  };
}

/** A session (API "Sessions"): start and, once closed, end; linked to its request by RequestID. */
export function sessionEvents(record: JsonObject, zone?: string): EventDraft[] {
  const sessionId = str(record.SessionID) as string;
  const start = timeField(record, 'StartTime', zone);
  const end = timeField(record, 'EndTime', zone);
  const user = str(record.UserID);
  // Sessions name the user only by numeric UserID; config aliases can map it to a person.
  const subject = user ? identity(user, 'unknown') : undefined;
  const target = accountTarget(record);
  const requestId = str(record.RequestID);
  const seconds = typeof record.Duration === 'number' ? record.Duration : undefined;
  const common: EventDraft = {
    at: start ?? (end as string),
    stage: 'session-start',
    tickets: [],
    sessionId,
    action: 'Session',
    outcome: 'success',
    summary: '',
    ...(subject ? { actor: subject, subject } : {}),
    ...(target ? { target } : {}),
    ...(requestId ? { grantKey: requestId } : {}),
  };
  const events: EventDraft[] = [];
  const on = `${target?.id ?? 'an unnamed account'}${requestId ? ` under request ${requestId}` : ''}`;
  if (start) {
    const summary = `Password Safe session ${sessionId} started by user ${user ?? '?'} on ${on}`;
    events.push({ ...common, summary });
  }
  if (end) {
    events.push({
      ...common,
      at: end,
      stage: 'session-end',
      ...(seconds !== undefined ? { durationSeconds: seconds } : {}),
      summary:
        `Password Safe session ${sessionId} ended` +
        (seconds !== undefined ? ` after ${seconds} s` : ''),
    });
  }
  return events;
}

/** A BeyondInsight user audit (API "UserAudits"): an administrative change, kept as context. */
export function userAuditEvents(record: JsonObject, zone?: string): EventDraft[] {
  const at = timeField(record, 'CreateDate', zone);
  if (!at) throw new RecordError('CreateDate missing: expected the time of the audited change');
  const actor = person(firstString(record, 'UserName', 'UserID'));
  const action = `${str(record.ActionType)} ${firstString(record, 'Section') ?? ''}`.trim();
  return [
    {
      at,
      stage: 'context',
      tickets: [],
      action,
      outcome: 'success',
      ...(actor ? { actor } : {}),
      summary:
        `BeyondInsight user audit ${str(record.AuditID)}: ${action} by ` +
        (actor?.raw ?? 'unknown user'),
    },
  ];
}

/** A managed account: the last password change is rotation evidence for long-lived credentials. */
export function managedAccountEvents(record: JsonObject, zone?: string): EventDraft[] | null {
  const changed = timeField(record, 'LastChangeDate', zone);
  if (!changed) return null;
  const next = timeField(record, 'NextChangeDate', zone);
  const target = accountTarget(record);
  const maximum = record.MaximumReleaseDuration;
  return [
    {
      at: changed,
      stage: 'context',
      tickets: [],
      action: 'ManagedAccount LastChangeDate',
      outcome: 'success',
      ...(target ? { target } : {}),
      summary:
        `Password Safe account ${target?.id ?? str(record.ManagedAccountID)} password last changed` +
        (next ? `; next change ${next}` : '') +
        (typeof maximum === 'number' ? `; releases up to ${maximum} minutes` : ''),
    },
  ];
}
