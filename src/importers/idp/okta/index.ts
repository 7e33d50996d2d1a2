// The okta importer: Okta System Log LogEvents (API pages, NDJSON, event hooks, SIEM wrappers).
import type { EventDraft } from '../../../model/event.js';
import type { RawRecord } from '../../../read/record.js';
import type {
  DetectionSample,
  FileInfo,
  Importer,
  ImporterRun,
  RecordSink,
  SourceNote,
} from '../../types.js';
import { decodeJsonString, isObject, str } from '../../common.js';
import { fingerprint, normalizeLogEvent } from './normalize.js';
import { RoleTracker } from './privileges.js';
import { isEventHookDelivery, looksLikeLogEvent, unwrapRecord } from './unwrap.js';

const meta = {
  id: 'okta',
  family: 'idp' as const,
  vendor: 'Okta',
  product: 'Okta Workforce Identity System Log',
  expects:
    'Okta System Log events (LogEvent objects) as returned by GET /api/v1/logs, saved as JSON ' +
    'pages, NDJSON, event hook deliveries or SIEM exports that keep the event in `message`.',
  howToExport:
    'With an API token of a read-only admin: call GET https://<org>.okta.com/api/v1/logs' +
    '?since=<ISO start>&until=<ISO end>&limit=1000, follow the `Link: rel="next"` header until ' +
    'it stops, and save each response body (a JSON array) as it is; pages may be concatenated ' +
    'into one file. Alternatively export the events from your SIEM as NDJSON (one LogEvent, or ' +
    'one document with the LogEvent as a JSON string in `message`, per line), or archive the ' +
    'event hook deliveries your endpoint received. The Admin Console System Log "Download CSV" ' +
    'loses the nested fields and is not supported.',
  formats: [
    'JSON array (API page)',
    'concatenated JSON arrays',
    'NDJSON',
    'event hook delivery (data.events[])',
    'SIEM wrapper with the LogEvent as a JSON string in message',
    'Panther-normalized times without zone',
    'gzip',
  ],
  limitations: [
    'Okta Identity Governance access-request events name only the request (target ACCESS_REQUEST); ' +
      'requester, approvers, justification and duration live in the OIG API and are not in the log.',
    'user.account.privilege.grant lists the roles held after the change; which role was added is ' +
      'found by comparing with the previous event for that user in the same run, in file order. ' +
      'On the first such event for a user every listed role is reported as granted.',
    'Group membership events that name no User target give a grant without a subject.',
    'published is read as UTC even without a zone (Okta defines it as UTC); a configured ' +
      'timezone is not applied to it.',
    'A repeated uuid is a duplicate only when the repeat describes the same event; reused uuids ' +
      'with different content (seen in vendor test data) are all kept and reported in a note.',
    'The Admin Console CSV download is not supported.',
    'An event hook delivery is one record: if one of its events is unusable the whole delivery ' +
      'is rejected, naming the event, so that nothing is dropped without notice.',
  ],
};

function detect(sample: DetectionSample): number {
  const first = sample.jsonRecords.slice(0, 5);
  if (first.length === 0) return 0;
  const inName = /okta/i.test(sample.path);
  let hits = 0;
  for (const record of first) {
    if (looksLikeLogEvent(record) || isEventHookDelivery(record)) hits += 1;
    else if (isObject(record) && looksLikeLogEvent(decodeJsonString(record.message))) hits += 1;
  }
  if (hits === 0) return 0;
  const share = hits / first.length;
  const base = share === 1 ? 90 : 60;
  return Math.min(100, base + (inName ? 10 : 0));
}

interface InnerTally {
  drafts: EventDraft[];
  ignored: string[];
  rejected: string[];
  duplicates: number;
}

class OktaRun implements ImporterRun {
  private readonly roles = new RoleTracker();
  /** uuid -> fingerprints already accepted in this run, for de-duplication across pages. */
  private readonly seen = new Map<string, string[]>();
  /** uuid -> files where it was reused for a different event. */
  private readonly reused = new Map<string, Set<string>>();

  openFile(file: FileInfo, sink: RecordSink) {
    return { record: (record: RawRecord) => this.handle(file, sink, record) };
  }

  private handle(file: FileInfo, sink: RecordSink, record: RawRecord): void {
    if (record.data.kind !== 'json') {
      sink.reject(record, 'expected a JSON record holding an Okta LogEvent');
      return;
    }
    const unwrapped = unwrapRecord(record.data.value);
    if (!unwrapped.ok) {
      sink.reject(record, unwrapped.reason);
      return;
    }

    const tally: InnerTally = { drafts: [], ignored: [], rejected: [], duplicates: 0 };
    for (const { event, subLocator } of unwrapped.events) {
      if (this.isDuplicate(file, event)) {
        tally.duplicates += 1;
        continue;
      }
      const outcome = normalizeLogEvent(event, subLocator, this.roles);
      if (outcome.kind === 'events') tally.drafts.push(...outcome.drafts);
      else if (outcome.kind === 'ignore') tally.ignored.push(outcome.name);
      else tally.rejected.push(subLocator ? `${subLocator}: ${outcome.reason}` : outcome.reason);
    }
    settle(sink, record, tally);
  }

  private isDuplicate(file: FileInfo, event: Record<string, unknown>): boolean {
    const uuid = str(event.uuid);
    const print = fingerprint(event);
    if (!uuid || !print) return false;
    const prints = this.seen.get(uuid);
    if (!prints) {
      this.seen.set(uuid, [print]);
      return false;
    }
    if (prints.includes(print)) return true;
    prints.push(print);
    const files = this.reused.get(uuid) ?? new Set<string>();
    files.add(file.path);
    this.reused.set(uuid, files);
    return false;
  }

  finish(): SourceNote[] {
    const notes: SourceNote[] = [];
    for (const [uuid, files] of [...this.reused].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const file of [...files].sort()) {
        notes.push({
          kind: 'info',
          file,
          message: `Okta uuid ${uuid} is reused by events that differ; all of them were kept`,
        });
      }
    }
    return notes;
  }
}

/** One outcome per record: any unusable inner event rejects it; else events; else ignored. */
function settle(sink: RecordSink, record: RawRecord, tally: InnerTally): void {
  if (tally.rejected.length > 0) {
    sink.reject(record, tally.rejected.join('; '));
    return;
  }
  if (tally.drafts.length > 0) {
    sink.accept(record, tally.drafts);
    return;
  }
  if (tally.ignored.length === 0) {
    sink.ignore(record, tally.duplicates > 0 ? 'duplicate' : 'event hook delivery without events');
    return;
  }
  sink.ignore(record, [...new Set(tally.ignored)].sort().join('+'));
}

export const okta: Importer = {
  meta,
  input: 'json',
  detect,
  createRun: () => new OktaRun(),
};
