// Facts from a Sentinel export of CyberArk_AuditEvents_CL (Identity Security Platform audit).
import type { IdentityKind } from '../../../model/event.js';
import { isObject, str } from '../../common.js';
import { csvObject, type CsvRow } from '../../../read/record.js';
import { TimeError, parseEpoch, parseIsoTime } from '../../../util/time.js';
import { extraGet, parseExtraDetails } from './extra-details.js';
import type { AuditFacts, AuditTime } from './facts.js';
import { hmsSeconds } from './from-json.js';

export class CustomDataError extends Error {}

/**
 * `customData` is a JSON string in (at least) three shapes: a flat object, a
 * `{"nested_items":[{"name":..,"value":..}]}` list with either key order, and a pretty-printed
 * object. All become one flat name -> string map.
 */
export function parseCustomData(text: string | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  if (!text || text.trim() === '') return map;

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CustomDataError(`customData is not valid JSON: ${JSON.stringify(text.slice(0, 60))}`);
  }
  if (!isObject(value)) throw new CustomDataError('customData is not a JSON object');

  const nested = value.nested_items;
  if (Array.isArray(nested)) {
    for (const item of nested) {
      if (!isObject(item)) continue;
      const name = str(item.name);
      if (name !== undefined && !(name in map)) map[name] = str(item.value) ?? '';
    }
    return map;
  }
  for (const [key, item] of Object.entries(value)) {
    const scalar =
      typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean';
    if (scalar) map[key] = String(item);
  }
  return map;
}

export function factsFromCsv(row: CsvRow): AuditFacts {
  const cells = csvObject(row);
  const cell = (name: string) => cells[name]?.trim() || undefined;
  const custom = parseCustomData(cells.customData);
  const data = (name: string) => custom[name]?.trim() || undefined;

  const codeText = cell('auditCode') ?? '';
  const vaultCode = /^PAM0*(\d+)$/i.exec(codeText);
  // The PSM ExtraDetails string sits in customData.new_target.
  const extra = parseExtraDetails(data('new_target'));
  const duration = extraGet(extra, 'SessionDuration');
  // SIA writes the target as user@host#network.
  const siaTarget = /^([^@#\s]+)@([^#\s]+)(?:#.*)?$/.exec(cell('target') ?? '');
  const failed =
    cell('auditType')?.toLowerCase() === 'failure' || cell('actionType')?.toLowerCase() === 'deny';

  return {
    format: 'csv',
    code: vaultCode ? Number(vaultCode[1]) : undefined,
    codeText,
    action: cell('action') ?? cell('actionType') ?? '',
    time: csvTime(cell('TimeGenerated'), cell('timestamp')),
    issuer: cell('username') ?? cell('userId') ?? data('username') ?? data('source_user'),
    issuerKind: identityType(cell('identityType')),
    safe: cell('safe'),
    account:
      cell('targetAccount') ??
      extraGet(extra, 'User') ??
      data('ephemeral_user') ??
      siaTarget?.[1] ??
      data('account_name'),
    address:
      extraGet(extra, 'DstHost') ??
      data('target_machine') ??
      siaTarget?.[2] ??
      data('target_ip') ??
      cell('target') ??
      data('target'),
    host: data('target') ?? cell('serviceName'),
    station: cell('source') ?? data('station_ip') ?? data('source_ip_address'),
    reason: data('reason') ?? data('justification'),
    ticketIds: [data('ticket_id'), data('ticketId')].filter((t): t is string => !!t),
    sessionId: cell('sessionId') ?? extraGet(extra, 'SessionID') ?? data('session_guid'),
    sessionDurationSeconds: duration ? hmsSeconds(duration) : undefined,
    protocol: extraGet(extra, 'Protocol') ?? data('protocol'),
    mfa: mfaOf(data('authentication_method') ?? data('authentication_methods')),
    failed: failed || undefined,
  };
}

// TimeGenerated is the Log Analytics ingestion-side UTC time written with Z; `timestamp` is
// the event time in epoch seconds. The event time is preferred when present.
function csvTime(timeGenerated: string | undefined, epochSeconds: string | undefined): AuditTime {
  try {
    if (epochSeconds && /^\d+(\.\d+)?$/.test(epochSeconds)) {
      const digits = epochSeconds.split('.')[0].length;
      return { ok: true, ms: parseEpoch(epochSeconds, digits >= 13 ? 'ms' : 's') };
    }
    if (timeGenerated) return { ok: true, ms: parseIsoTime(timeGenerated, 'UTC') };
    return {
      ok: false,
      reason: 'no time: expected timestamp (epoch seconds) or TimeGenerated (ISO UTC)',
    };
  } catch (error) {
    if (error instanceof TimeError) return { ok: false, reason: error.message };
    throw error;
  }
}

function identityType(value: string | undefined): IdentityKind | undefined {
  if (!value) return undefined;
  const upper = value.toUpperCase();
  if (upper === 'HUMAN') return 'human';
  if (upper === 'NON_HUMAN' || upper === 'MACHINE' || upper === 'SERVICE') return 'service';
  return undefined;
}

// MultiAuth / MFA name strong authentication; UserPassword names a single factor.
function mfaOf(method: string | undefined): boolean | undefined {
  if (!method) return undefined;
  if (/multi|mfa|fido|otp/i.test(method)) return true;
  if (/^userpassword$|^password$/i.test(method)) return false;
  return undefined;
}
