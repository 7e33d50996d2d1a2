// CyberArk PTA detections (CEF): kept as anomaly context, never as lifecycle evidence.
import type { EventDraft } from '../../../model/event.js';
import { identity } from '../../common.js';
import { TimeError, toUtcIso } from '../../../util/time.js';
import { cefLabeled, cefName, cefValue, type CefRecord } from '../../common/cef.js';
import { parseCefTime } from '../../common/cef-time.js';
import { resolveHeaderTime, type LocalClock, type SyslogFrame } from '../../common/syslog.js';
import type { Normalized } from '../../common/outcome.js';

export function isPtaRecord(cef: CefRecord): boolean {
  return /^cyber-?ark$/i.test(cef.vendor.trim()) && /^pta$/i.test(cef.product.trim());
}

export function normalizePta(cef: CefRecord, frame: SyslogFrame, clock: LocalClock): Normalized {
  let ms: number;
  try {
    // The detection time is epoch ms in deviceCustomDate1, labelled detectionDate (label case
    // varies between PTA versions); the syslog header is only the forwarding time.
    const detected = cefLabeled(cef, 'detectionDate') ?? cefValue(cef, 'rt');
    if (detected) ms = parseCefTime(detected, clock);
    else if (frame.time) ms = resolveHeaderTime(frame.time, clock);
    else return { kind: 'reject', reason: 'PTA record without detectionDate, rt or header time' };
  } catch (error) {
    if (error instanceof TimeError) return { kind: 'reject', reason: error.message };
    throw error;
  }

  const suspect = cefName(cef, 'suser');
  const affected = cefName(cef, 'duser');
  const host = cefValue(cef, 'dhost') ?? cefValue(cef, 'dst');
  const incident = cefLabeled(cef, 'EventID');
  const event: EventDraft = {
    at: toUtcIso(ms),
    stage: 'context',
    tickets: [],
    action: cef.name.trim(),
    outcome: 'success',
    summary: [
      `PTA detection: ${cef.name.trim()}`,
      suspect ? `by ${suspect}` : '',
      affected ? `against ${affected}` : '',
      host ? `on ${host}` : '',
      incident ? `(PTA event ${incident})` : '',
    ]
      .filter((part) => part !== '')
      .join(' '),
  };
  if (suspect) event.actor = identity(suspect, 'unknown');
  if (affected) event.subject = identity(affected, 'unknown');
  if (host) event.target = { id: host, raw: host, kind: 'host' };
  return { kind: 'event', event };
}
