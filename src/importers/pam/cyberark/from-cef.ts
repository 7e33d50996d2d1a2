// Facts from the Vault's CEF output (Arcsight.sef.xsl): act, suser, duser, fname, cs1..cs5, cn1, cn2.
import { TimeError } from '../../../util/time.js';
import { cefLabeled, cefName, cefValue, type CefRecord } from '../../common/cef.js';
import { parseCefTime } from '../../common/cef-time.js';
import { resolveHeaderTime, type LocalClock, type SyslogFrame } from '../../common/syslog.js';
import { extraGet, parseExtraDetails } from './extra-details.js';
import type { AuditFacts, AuditTime } from './facts.js';
import { hmsSeconds } from './from-json.js';

const PSM_CODES = new Set([300, 301, 302, 344, 346, 359, 361, 378, 380, 411, 412]);

export function factsFromCef(cef: CefRecord, frame: SyslogFrame, clock: LocalClock): AuditFacts {
  const codeText = cef.signatureId.trim();
  const code = /^\d+$/.test(codeText) ? Number(codeText) : undefined;
  const otherInfo = cefLabeled(cef, 'Other info');
  const extra = otherInfo && otherInfo.includes('=') ? parseExtraDetails(otherInfo) : {};
  const ticket = cefLabeled(cef, 'Ticket Id') ?? cefLabeled(cef, 'TicketID');
  const duration = extraGet(extra, 'SessionDuration');

  // In the Vault CEF the PSM session id travels in externalId (same value on connect,
  // disconnect and the recorded commands of one session).
  const externalId = cefValue(cef, 'externalId');
  const sessionId =
    extraGet(extra, 'SessionID') ??
    (code !== undefined && PSM_CODES.has(code) ? externalId : undefined);

  return {
    format: 'cef',
    code,
    codeText,
    action: cefValue(cef, 'act') ?? cef.name.trim(),
    time: cefTime(cef, frame, clock),
    issuer: cefName(cef, 'suser'),
    sourceUser: cefLabeled(cef, 'Affected User Name'),
    targetUser: cefLabeled(cef, 'Affected User Name'),
    safe: cefLabeled(cef, 'Safe Name'),
    file: cefName(cef, 'fname'),
    account: cefName(cef, 'duser') ?? extraGet(extra, 'User'),
    address: cefValue(cef, 'dhost') ?? extraGet(extra, 'DstHost'),
    host: frame.host ?? cefValue(cef, 'dvchost'),
    station: cefValue(cef, 'shost') ?? cefValue(cef, 'src'),
    requestId: cefLabeled(cef, 'Request Id'),
    reason: cefValue(cef, 'reason'),
    ticketIds: ticket ? [ticket] : [],
    ticketText: [cefValue(cef, 'msg')].filter((t): t is string => !!t),
    sessionId,
    sessionDurationSeconds: duration ? hmsSeconds(duration) : undefined,
    protocol: cefValue(cef, 'app'),
  };
}

// `rt` (when the XSL writes it) is the Vault's own time; otherwise the syslog header, which for
// BSD framing has no zone and no year and needs both from the declared context.
function cefTime(cef: CefRecord, frame: SyslogFrame, clock: LocalClock): AuditTime {
  try {
    const rt = cefValue(cef, 'rt');
    if (rt) return { ok: true, ms: parseCefTime(rt, clock) };
    if (frame.time) return { ok: true, ms: resolveHeaderTime(frame.time, clock) };
    return { ok: false, reason: 'no time: expected CEF rt or a syslog header time' };
  } catch (error) {
    if (error instanceof TimeError) return { ok: false, reason: error.message };
    throw error;
  }
}
