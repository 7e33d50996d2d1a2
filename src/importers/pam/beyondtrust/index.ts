// BeyondTrust importer: Password Safe API records and Privileged Remote Access session events.
import type { EventDraft } from '../../../model/event.js';
import { isObject, type JsonObject } from '../../common.js';
import type { DetectionSample, Importer, RunSettings } from '../../types.js';
import {
  managedAccountEvents,
  requestEvents,
  sessionEvents,
  userAuditEvents,
} from './password-safe.js';
import { praEvents } from './pra.js';
import { kindOf, RecordError, unwrap, type RecordKind } from './records.js';

export const beyondtrust: Importer = {
  meta: {
    id: 'beyondtrust',
    family: 'pam',
    vendor: 'BeyondTrust',
    product: 'Password Safe / BeyondInsight and Privileged Remote Access',
    expects:
      'Password Safe API records (Requests, Sessions, UserAudits, ManagedAccounts) as a JSON ' +
      'array, JSON lines or an {"events":[...]} wrapper, and Privileged Remote Access session ' +
      'events converted from the reporting API XML to JSON.',
    howToExport:
      'Password Safe: call the public API v3 (`POST Auth/SignAppin`, then `GET Requests`, ' +
      '`GET Sessions`, `GET UserAudits`, `GET ManagedAccounts`) and save each JSON answer. ' +
      'Privileged Remote Access: call the reporting API (`/api/reporting?generate_report=' +
      'AccessSession&start_date=...&duration=...`) and convert the XML to JSON (text nodes as ' +
      '"#text"), or export the events collected by the Elastic BeyondTrust integrations.',
    formats: ['JSON array', 'NDJSON', '{"events":[...]} wrapper', 'gzip'],
    limitations: [
      'A Requests record is a snapshot: it gives a stage only where it holds that stage\u2019s ' +
        'date; a cancel or check-in without its date is named in the summary but has no event, ' +
        'and snapshots of one request taken at different times repeat its events.',
      'Requester and approver names are read from RequestorName / UserName and ApproverName / ' +
        'ApprovedBy when the export has them; the plain API gives only numeric user ids.',
      'Password Safe sessions name the user by numeric UserID; map it to a person with an ' +
        'identities alias.',
      'Times without a zone (LastChangeDate, NextChangeDate, some Requests dates) need ' +
        '--timezone or the config timezone; without one the record is rejected.',
      'A PRA "Session Start" or "Session End" event gives that stage only; the session\u2019s ' +
        'other end comes from its own event.',
      'Session tokens and recording URLs in the records are never copied into events.',
    ],
  },
  input: 'json',

  detect(sample: DetectionSample): number {
    const records = firstRecords(sample);
    if (records.length === 0) return 0;
    const known = records.filter((r) => kindOf(r) !== undefined).length;
    if (known === records.length) return 90;
    return known * 2 > records.length ? 65 : 0;
  },

  createRun(settings: RunSettings) {
    const zone = settings.timezone ?? settings.exportContext?.timezone;
    return {
      openFile: (_file, sink) => ({
        record(record) {
          const element = record.data.kind === 'json' ? record.data.value : undefined;
          if (!isObject(element)) {
            sink.reject(record, 'expected a JSON object (a BeyondTrust API record)');
            return;
          }
          try {
            const payload = unwrap(element);
            const kind = kindOf(payload);
            if (!kind) {
              sink.reject(
                record,
                'unrecognized record: expected a Password Safe Request, Session, UserAudit or ' +
                  'ManagedAccount, or a PRA session event',
              );
              return;
            }
            const events = eventsOf(kind, payload, zone);
            if (events === null) sink.ignore(record, 'ManagedAccount without LastChangeDate');
            else if (events.length === 0) sink.reject(record, 'StartTime and EndTime missing');
            else sink.accept(record, events);
          } catch (error) {
            if (error instanceof RecordError) sink.reject(record, error.message);
            else throw error;
          }
        },
      }),
    };
  },
};

function eventsOf(kind: RecordKind, payload: JsonObject, zone?: string): EventDraft[] | null {
  switch (kind) {
    case 'request':
      return requestEvents(payload, zone);
    case 'session':
      return sessionEvents(payload, zone);
    case 'user-audit':
      return userAuditEvents(payload, zone);
    case 'managed-account':
      return managedAccountEvents(payload, zone);
    case 'pra-session':
      return praEvents(payload, zone);
  }
}

/** The API records of a sample's first elements, looking inside wrappers and JSON strings. */
function firstRecords(sample: DetectionSample, limit = 5): JsonObject[] {
  let elements = sample.jsonRecords.filter(isObject);
  if (elements.length === 0) elements = parsedLines(sample.lines);
  if (elements.length === 0) elements = parsedLines([sample.head]);
  const records: JsonObject[] = [];
  for (const element of elements.slice(0, limit)) {
    const inner = Array.isArray(element.events) ? element.events.filter(isObject) : [element];
    for (const item of inner.slice(0, limit)) {
      try {
        records.push(unwrap(item));
      } catch {
        records.push(item);
      }
    }
  }
  return records.slice(0, limit);
}

function parsedLines(lines: string[]): JsonObject[] {
  const parsed: JsonObject[] = [];
  for (const line of lines.slice(0, 5)) {
    try {
      const value: unknown = JSON.parse(line);
      if (isObject(value)) parsed.push(value);
    } catch {
      // Not a JSON line.
    }
  }
  return parsed;
}
