// One Entra record (any shape) to its outcome: pick the event time, then audit or sign-in rules.
import { isObject } from '../../common.js';
import { TimeError, toUtcIso } from '../../../util/time.js';
import { normalizeAudit } from './audit.js';
import { ciStr, parseMicrosoftUtc } from './fields.js';
import type { Outcome } from './outcome.js';
import { normalizeSignIn } from './signin.js';
import { entraView, type EntraView } from './view.js';

export function normalizeEntraRecord(value: unknown): Outcome {
  if (!isObject(value)) return { reject: 'expected a JSON object (Entra audit or sign-in record)' };

  const view = entraView(value);
  if (view.kind === 'other')
    return { ignore: view.category ?? ciStr(value, 'operationName') ?? 'unrecognized-record' };

  const time = eventTime(view);
  if ('reject' in time) return time;
  if (view.kind === 'audit') return normalizeAudit(view.body, time.at, time.note);
  return normalizeSignIn(view.body, time.at, view.category, time.note);
}

/**
 * The event time: activityDateTime (audit) or createdDateTime (sign-in), in any key case.
 * Log Analytics' TimeGenerated is ingestion time and never used. The diagnostic envelope's `time`
 * is Azure Monitor's processing time; it is used only when the Graph object has no time, and the
 * summary says so. A record with no usable time is rejected, never stamped with "now".
 */
function eventTime(view: EntraView): { at: string; note: string } | { reject: string } {
  const field = view.kind === 'audit' ? 'activityDateTime' : 'createdDateTime';
  const own = ciStr(view.body, field);
  const text = own ?? view.envelopeTime;
  if (text === undefined) {
    return {
      reject: `${field} missing: expected the event time in ISO 8601 UTC (TimeGenerated is ingestion time, not used)`,
    };
  }
  try {
    const at = toUtcIso(parseMicrosoftUtc(text));
    return {
      at,
      note: own === undefined ? ' [time from the diagnostic envelope: processing time]' : '',
    };
  } catch (error) {
    if (error instanceof TimeError)
      return { reject: `${own ? field : 'time'} unreadable: ${error.message}` };
    throw error;
  }
}
