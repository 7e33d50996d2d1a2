// Google Cloud Audit Logs importer: IAM bindings, PAM grants, workload credentials, activity.
import { createHash } from 'node:crypto';
import type { EventDraft } from '../../../model/event.js';
import { isObject, type JsonObject } from '../../common.js';
import type { DetectionSample, Importer, ImporterMeta } from '../../types.js';
import { parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';
import { credentialEvents } from './credentials.js';
import { auditEntry, principalIdentity, type AuditEntry } from './fields.js';
import { isSetIamPolicy, setIamPolicyEvents, type Base } from './iam-policy.js';
import { isPamEntry, pamEvents } from './pam.js';

const meta: ImporterMeta = {
  id: 'gcp-audit',
  family: 'cloud',
  vendor: 'Google',
  product: 'Cloud Audit Logs (Admin Activity, Data Access, System Event, Policy Denied)',
  expects: 'Cloud Audit Logs LogEntry records with protoPayload (google.cloud.audit.AuditLog).',
  howToExport:
    'Cloud Logging > Log Router > Create sink > destination Cloud Storage, filter ' +
    'logName:"cloudaudit.googleapis.com" ' +
    '(hourly NDJSON objects under cloudaudit.googleapis.com/activity/...). Or gcloud logging read ' +
    '\'logName:"cloudaudit.googleapis.com"\' --format=json --freshness=90d > audit.json. Or the API entries.list, ' +
    'saving each page until nextPageToken is empty. Enable Data Access logs for iamcredentials.googleapis.com ' +
    'to see token minting.',
  formats: [
    'NDJSON (Cloud Storage sink)',
    'JSON array (gcloud logging read)',
    '{"entries": [...]} API page',
    'gzip',
  ],
  limitations: [
    'Only bindingDeltas say what a SetIamPolicy changed; a record without them is kept as context and grants nothing.',
    'Expiry of a conditional binding is read from request.time < timestamp("…") joined by ' +
      '&&; other conditions give no expiry, and GCP logs no event when such a binding expires.',
    'Privileged Access Manager records are mapped from the API reference (no public sample). ' +
      'The IAM change PAM makes on activation comes from its service agent as a SetIamPolicy ' +
      'without the grant name.',
    'GenerateAccessToken / GenerateIdToken / SignJwt / SignBlob appear only when Data Access ' +
      'logs are enabled for IAM Credentials; their absence is not evidence of no use.',
    'BigQuery and Pub/Sub sink layouts (flattened columns, base64 message.data) are not read.',
  ],
};

/** Cloud Logging defines LogEntry.timestamp as UTC; Panther writes it without `T` and zone. */
function entryTime(entry: AuditEntry): { at: string } | { reject: string } {
  if (!entry.timestamp)
    return { reject: 'timestamp missing: expected the LogEntry time (RFC 3339, UTC)' };
  try {
    return { at: toUtcIso(parseIsoTime(entry.timestamp, 'UTC')) };
  } catch (error) {
    if (error instanceof TimeError) return { reject: `timestamp unreadable: ${error.message}` };
    throw error;
  }
}

type Outcome = { events: EventDraft[] } | { ignore: string } | { reject: string };

export function normalizeEntry(value: JsonObject): Outcome {
  const entry = auditEntry(value);
  if (!entry) return { ignore: 'not-an-audit-log-entry' };
  if (!entry.methodName)
    return {
      reject: 'protoPayload.methodName missing: expected the API method of the audit entry',
    };
  const time = entryTime(entry);
  if ('reject' in time) return time;

  const actor = entry.principal ? principalIdentity(entry.principal) : undefined;
  const failed = entry.statusCode !== 0;
  const base: Base = {
    at: time.at,
    actorRaw: entry.principal,
    draft: () => {
      const event: EventDraft = {
        at: time.at,
        stage: 'activity',
        action: entry.methodName!,
        outcome: failed ? 'failure' : 'success',
        tickets: [],
        summary: `${entry.principal ?? 'unknown principal'}: ${entry.methodName} on ${entry.resourceName ?? '(resource not stated)'}`,
      };
      if (actor) event.actor = actor;
      return event;
    },
  };

  const events = specificEvents(entry, base);
  // A policy change whose binding deltas are all unreadable (not objects) is damage: rejected,
  // since accepting it with no event would give it no honest outcome and ignoring would hide it.
  if (events && events.length === 0) {
    return {
      reject: `${entry.methodName}: no readable entry in serviceData.policyDelta.bindingDeltas or the PAM payload`,
    };
  }
  if (events) {
    if (failed)
      for (const event of events)
        event.summary += ` (failed: status ${entry.statusCode}${entry.statusMessage ? ` ${entry.statusMessage}` : ''})`;
    return { events };
  }
  // System events (live migration, automatic restarts) have no caller: nothing to attribute.
  if (!actor) return { ignore: entry.methodName };
  const event = base.draft();
  if (entry.resourceName)
    event.target = { id: entry.resourceName, raw: entry.resourceName, kind: 'gcp-resource' };
  if (failed) event.summary += ` (failed: status ${entry.statusCode})`;
  return { events: [event] };
}

function specificEvents(entry: AuditEntry, base: Base): EventDraft[] | undefined {
  if (isSetIamPolicy(entry)) return setIamPolicyEvents(entry, base);
  if (isPamEntry(entry)) return pamEvents(entry, base);
  return credentialEvents(entry, base);
}

export const gcpAuditImporter: Importer = {
  meta,
  input: 'json',
  detect,
  createRun() {
    // Sinks may deliver an entry twice; only a byte-identical repeat of the same insertId counts once.
    const seen = new Set<string>();
    return {
      openFile(_file, sink) {
        return {
          record(record) {
            if (record.data.kind !== 'json' || !isObject(record.data.value)) {
              sink.reject(record, 'expected a JSON object (Cloud Audit Logs LogEntry)');
              return;
            }
            const value = record.data.value;
            if (typeof value.insertId === 'string') {
              const digest = createHash('sha256')
                .update(JSON.stringify(value))
                .digest('hex')
                .slice(0, 24);
              if (seen.has(digest)) {
                sink.ignore(record, 'duplicate');
                return;
              }
              seen.add(digest);
            }
            const outcome = normalizeEntry(value);
            if ('events' in outcome) sink.accept(record, outcome.events);
            else if ('ignore' in outcome) sink.ignore(record, outcome.ignore);
            else sink.reject(record, outcome.reject);
          },
        };
      },
    };
  },
};

function detect(sample: DetectionSample): number {
  let best = 0;
  for (const record of sample.jsonRecords.slice(0, 20)) {
    if (!isObject(record) || !isObject(record.protoPayload)) continue;
    const logName = typeof record.logName === 'string' ? record.logName : '';
    if (logName.includes('cloudaudit.googleapis.com')) return 95;
    if (auditEntry(record)) best = Math.max(best, 80);
  }
  return best;
}
