// Facts from the Vault's JSON audit record (elastic XSL: `syslog.audit_record`, XML turned JSON).
import { getPath, isObject, str, type JsonObject } from '../../common.js';
import { TimeError, parseIsoTime } from '../../../util/time.js';
import {
  parseYearlessTime,
  resolveHeaderTime,
  resolveYearlessTime,
  type LocalClock,
  type SyslogFrame,
} from '../../common/syslog.js';
import { caPropertiesMap, extraGet, parseExtraDetails } from './extra-details.js';
import type { AuditFacts, AuditTime } from './facts.js';

/** The audit_record object inside a JSON line, in the wrappers seen in the field; else null. */
export function findAuditRecord(value: unknown): JsonObject | null {
  const candidates = [getPath(value, 'syslog.audit_record'), getPath(value, 'audit_record'), value];
  for (const candidate of candidates) {
    if (
      isObject(candidate) &&
      (candidate.MessageID !== undefined || candidate.Action !== undefined)
    ) {
      return candidate;
    }
  }
  return null;
}

export function factsFromJson(
  record: JsonObject,
  frame: SyslogFrame,
  clock: LocalClock,
): AuditFacts {
  const field = (name: string) => str(record[name])?.trim() || undefined;
  const extra = parseExtraDetails(field('ExtraDetails'));
  const ca = caPropertiesMap(record.CAProperties);
  const codeText = field('MessageID') ?? '';
  const retrieveAction = str(getPath(record, 'PvwaDetails.RetrieveReason.General.RetrieveAction'));
  const duration = extraGet(extra, 'SessionDuration');

  return {
    format: 'json',
    code: /^\d+$/.test(codeText) ? Number(codeText) : undefined,
    codeText,
    action: field('Action') ?? field('Desc') ?? field('Message') ?? '',
    time: jsonTime(record, frame, clock),
    issuer: field('Issuer'),
    sourceUser: field('SourceUser'),
    targetUser: field('TargetUser'),
    safe: field('Safe'),
    file: field('File'),
    account: ca.UserName ?? extraGet(extra, 'User'),
    address: ca.Address ?? extraGet(extra, 'DstHost'),
    host: field('Hostname') ?? frame.host,
    station: field('Station'),
    requestId: field('RequestId'),
    reason: field('Reason'),
    ticketIds: [extraGet(extra, 'TicketID', 'TicketId', 'Ticket')].filter((t): t is string => !!t),
    retrieveAction: retrieveAction ?? reasonAction(field('Reason')),
    sessionId: extraGet(extra, 'SessionID', 'SessionId'),
    sessionDurationSeconds: duration ? hmsSeconds(duration) : undefined,
    protocol: extraGet(extra, 'Protocol'),
  };
}

// Time precedence (Elastic cyberarkpas pipeline and the XSL): IsoTimestamp is UTC and exact;
// the local `Timestamp` has neither year nor zone and is used only when nothing better exists.
function jsonTime(record: JsonObject, frame: SyslogFrame, clock: LocalClock): AuditTime {
  try {
    const iso = str(record.IsoTimestamp);
    // The Vault defines IsoTimestamp as UTC, so a value without an offset is still UTC.
    if (iso) return { ok: true, ms: parseIsoTime(iso, 'UTC') };
    if (frame.time?.kind === 'rfc3339')
      return { ok: true, ms: resolveHeaderTime(frame.time, clock) };
    const local = str(record.Timestamp);
    if (local) {
      const yearless = parseYearlessTime(local);
      if (!yearless) {
        return {
          ok: false,
          reason: `Timestamp ${JSON.stringify(local)}: expected "MMM dd HH:mm:ss"`,
        };
      }
      return { ok: true, ms: resolveYearlessTime(yearless, clock) };
    }
    if (frame.time) return { ok: true, ms: resolveHeaderTime(frame.time, clock) };
    return {
      ok: false,
      reason: 'no time: expected IsoTimestamp, Timestamp or a syslog header time',
    };
  } catch (error) {
    if (error instanceof TimeError) return { ok: false, reason: error.message };
    throw error;
  }
}

// PVWA writes "(Action: Show Password)" / "(Action: Copy Password)" into Reason.
function reasonAction(reason: string | undefined): string | undefined {
  const match = reason ? /\(Action: ([^)]+)\)/.exec(reason) : null;
  return match && /password|key/i.test(match[1]) ? match[1].trim() : undefined;
}

/** `HH:MM:SS` (PSM SessionDuration) in seconds; undefined when not in that form. */
export function hmsSeconds(text: string): number | undefined {
  const match = /^(\d+):(\d{2}):(\d{2})$/.exec(text.trim());
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : undefined;
}
