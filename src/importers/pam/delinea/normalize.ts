// Turns one Secret Server CEF audit record into a timeline event, an ignore kind or a rejection.
import type { EventDraft, Identity, IdentityKind, Stage } from '../../../model/event.js';
import { findTickets, identity } from '../../common.js';
import { TimeError, toUtcIso } from '../../../util/time.js';
import {
  CefError,
  cefLabeled,
  cefName,
  cefValue,
  findCefStart,
  parseCef,
} from '../../common/cef.js';
import type { CefRecord } from '../../common/cef.js';
import { parseCefTime } from '../../common/cef-time.js';
import type { Normalized } from '../../common/outcome.js';
import { parseSyslogFrame, resolveHeaderTime } from '../../common/syslog.js';
import type { LocalClock, SyslogFrame } from '../../common/syslog.js';
import { parseSecretServerMessage, type SecretServerMessage } from './msg.js';

/** CEF header vendor/product of Secret Server; 11.x still writes "Thycotic Software". */
export const SECRET_SERVER_CEF =
  /CEF:\d+\|(?:Thycotic Software|Thycotic|Delinea)\|Secret Server\|/i;

// Secret audit actions by their normalized name (CEF name after "SECRET - ", or msg Action).
// VIEW and PASSWORD_DISPLAYED are in the Elastic integration's sample; the others are assumed
// names of the same pattern (no public sample), matched loosely.
const SECRET_ACTIONS: [RegExp, Stage][] = [
  [/^(PASSWORDDISPLAYED|COPYPASSWORD|PASSWORDCOPIED|COPYPASSWORDTOCLIPBOARD)$/, 'issuance'],
  [/^(CHECKOUT|CHECKEDOUT)$/, 'issuance'],
  [/^(CHECKIN|CHECKEDIN|FORCECHECKIN)$/, 'revocation'],
  [/^(LAUNCH|LAUNCHED|LAUNCHER|SESSIONLAUNCHED)$/, 'session-start'],
  [/^(ACCESSREQUESTED|REQUESTACCESS|ACCESSREQUEST|REQUESTED)$/, 'request'],
  [/^(ACCESSAPPROVED|APPROVEACCESS|REQUESTAPPROVED|APPROVED)$/, 'approval'],
  [/^(ACCESSDENIED|DENYACCESS|REQUESTDENIED|DENIED)$/, 'denial'],
  // Opening a secret shows its fields with the password masked: access to the record, not
  // release of the credential, so it is activity under whatever grant allows it.
  [/^VIEW$/, 'activity'],
];

/** Normalizes a line or string holding a Secret Server CEF message (optionally syslog-framed). */
export function normalizeSecretServerText(text: string, clock: LocalClock): Normalized {
  const cefAt = findCefStart(text);
  if (cefAt < 0) {
    return {
      kind: 'reject',
      reason: 'expected a Secret Server CEF message ("CEF:0|Thycotic Software|Secret Server|...")',
    };
  }
  const frame = parseSyslogFrame(text.slice(0, cefAt).trimEnd() + ' ');
  let cef: CefRecord;
  try {
    cef = parseCef(text.slice(cefAt).trimEnd());
  } catch (error) {
    if (error instanceof CefError) return { kind: 'reject', reason: error.message };
    throw error;
  }
  return normalizeSecretServerCef(cef, frame, clock);
}

export function normalizeSecretServerCef(
  cef: CefRecord,
  frame: SyslogFrame,
  clock: LocalClock,
): Normalized {
  const vendorOk = /^(thycotic( software)?|delinea)$/i.test(cef.vendor.trim());
  if (!vendorOk || !/^secret server$/i.test(cef.product.trim())) {
    const found = JSON.stringify(`${cef.vendor}|${cef.product}`);
    return {
      kind: 'reject',
      reason: `CEF vendor/product ${found}: expected Thycotic Software|Secret Server`,
    };
  }

  // Secret Server does not escape backslashes, so \n in msg is more likely DOMAIN\nora than a newline.
  const msg = parseSecretServerMessage(cefName(cef, 'msg'));
  const stage = secretStage(cef, msg);
  if (!stage) return { kind: 'ignore', reason: cef.name.trim() || `event ${cef.signatureId}` };

  let ms: number;
  try {
    ms = eventTime(cef, frame, clock);
  } catch (error) {
    if (error instanceof TimeError) return { kind: 'reject', reason: error.message };
    throw error;
  }

  const secretId = cefValue(cef, 'fileId') ?? msg.itemId;
  const secretName = cefName(cef, 'fname') ?? msg.itemName;
  if (!secretId && !secretName) {
    return {
      kind: 'reject',
      reason: `${cef.name}: no secret named (expected fileId/fname or "Item Name: ... (Item Id: n)" in msg)`,
    };
  }

  const actorRaw = cefName(cef, 'suser') ?? msg.byUser;
  const actor = actorRaw ? secretServerIdentity(actorRaw) : undefined;
  // Approval records name the approver in suser; the requester is assumed in duser.
  const requesterRaw = cefName(cef, 'duser');
  const subject =
    stage === 'approval' || stage === 'denial'
      ? requesterRaw
        ? secretServerIdentity(requesterRaw)
        : undefined
      : actor;
  const reason = cefValue(cef, 'reason') ?? msg.details;
  const folder = cefLabeled(cef, 'Folder') ?? msg.containerName;
  const requestId = cefLabeled(cef, 'Request Id') ?? cefLabeled(cef, 'Access Request Id');

  const event: EventDraft = {
    at: toUtcIso(ms),
    stage,
    tickets: findTickets(reason, cefLabeled(cef, 'Ticket Number'), cefLabeled(cef, 'Ticket')),
    action: cef.name.trim(),
    outcome: 'success',
    summary: summary(cef, actorRaw, subject, secretName ?? `secret ${secretId}`, folder),
    target: {
      id: secretId ? `secret/${secretId}` : `secret/${secretName}`,
      raw: secretName ?? secretId ?? '',
      kind: 'secret',
      ...(secretName ? { name: secretName } : {}),
    },
    grantKey: requestId ?? `secret/${secretId ?? secretName}`,
  };
  if (actor) event.actor = actor;
  if (subject) event.subject = subject;
  if (reason) event.reason = reason;
  return { kind: 'event', event };
}

function secretStage(cef: CefRecord, msg: SecretServerMessage): Stage | undefined {
  const [category, ...rest] = cef.name.split(' - ');
  const isSecret = /^secret$/i.test(category.trim()) || /^secret$/i.test(msg.event ?? '');
  if (!isSecret) return undefined;
  const candidates = [rest.join(' - '), msg.action ?? ''].map((name) =>
    name.toUpperCase().replace(/[^A-Z]/g, ''),
  );
  for (const name of candidates) {
    for (const [pattern, stage] of SECRET_ACTIONS) if (pattern.test(name)) return stage;
  }
  return undefined;
}

// `rt` is when Secret Server recorded the event, in server local time without a zone (the
// "Syslog/CEF time zone" setting decides which); the syslog header is only the send time.
function eventTime(cef: CefRecord, frame: SyslogFrame, clock: LocalClock): number {
  const rt = cefValue(cef, 'rt');
  if (rt) return parseCefTime(rt, clock);
  if (frame.time) return resolveHeaderTime(frame.time, clock);
  throw new TimeError('no time: expected CEF rt ("MMM dd yyyy HH:mm:ss") or a syslog header time');
}

const SERVICE_NAME = /^(?:svc|srv|app|sa|bot)[-_.]/i;

/**
 * Secret Server writes `DOMAIN\user`, sometimes `DOMAIN\user@upn.suffix`; the UPN, when there
 * is one, is the stable id. The backslash may arrive escaped or not (see cefName).
 */
export function secretServerIdentity(raw: string): Identity {
  const slash = raw.lastIndexOf('\\');
  const user = slash >= 0 ? raw.slice(slash + 1) : raw;
  const kind: IdentityKind = SERVICE_NAME.test(user) ? 'service' : 'unknown';
  const upn = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user) ? user.toLowerCase() : undefined;
  return { ...identity(raw, kind), ...(upn && slash >= 0 ? { id: upn } : {}) };
}

function summary(
  cef: CefRecord,
  actorRaw: string | undefined,
  subject: Identity | undefined,
  secret: string,
  folder: string | undefined,
): string {
  const parts = [`${cef.name.trim()} [${cef.signatureId.trim()}]`];
  if (actorRaw) parts.push(`by ${actorRaw}`);
  if (subject && subject.raw !== actorRaw) parts.push(`for ${subject.raw}`);
  parts.push(`on ${secret}`);
  if (folder) parts.push(`in folder ${folder}`);
  return parts.join(' ');
}
