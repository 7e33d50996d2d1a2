// HashiCorp Vault audit device importer: pairs request and response entries and normalizes once.
import type { RawRecord } from '../../../read/record.js';
import { firstObjects, getPath, isObject, shareScore, str, type JsonObject } from '../../common.js';
import type {
  DetectionSample,
  FileSession,
  Importer,
  RecordSink,
  RunSettings,
} from '../../types.js';
import { normalizeEntry, type NormalizeContext } from './normalize.js';

const ENTRY_TYPES = new Set(['request', 'response', 'kmip-request', 'kmip-response']);

// How many recent response ids to remember, so that a request written after its response
// (possible when several goroutines write to the device) is still recognized as paired.
const RECENT_RESPONSES = 4096;

export const vault: Importer = {
  meta: {
    id: 'vault',
    family: 'pam',
    vendor: 'HashiCorp',
    product: 'Vault audit device',
    expects: 'The JSON lines written by a Vault file (or socket/syslog) audit device.',
    howToExport:
      'Enable a file audit device (`vault audit enable file file_path=/var/log/vault/audit.log`), ' +
      'then hand over the log file and its rotated copies (gzip is fine) for the review period. ' +
      'Keep the default HMAC settings; the importer never needs clear values.',
    formats: ['NDJSON', 'JSON array', 'gzip'],
    limitations: [
      'The lease duration of a dynamic secret (database/creds, aws/creds, pki/issue) is not written ' +
        'to the audit log, so such credentials are imported with no expiry.',
      'Revoke calls that name a lease or token in the request body show only its HMAC; it links ' +
        'to the grant only when the same audit device logged that token before (same HMAC key).',
      'Renewals are imported as issuance events that extend the grant; a lease renewal carries no ' +
        'new expiry because Vault does not log the lease duration.',
      'Failed calls (including "permission denied") and requests logged without a response are ' +
        'activity with outcome failure or a note; they never count as issuance or revocation.',
      'KMIP entries are counted as ignored: they carry no Vault token or grant.',
      'Token activity carries no expiry: token_ttl in later entries is the original TTL, which ' +
        'renewals extend, so it cannot tell when the token stopped working.',
    ],
  },
  input: 'json',

  detect(sample: DetectionSample): number {
    return shareScore(firstObjects(sample), isVaultEntry);
  },

  createRun(settings: RunSettings) {
    const context: NormalizeContext = {
      timezone: settings.timezone ?? settings.exportContext?.timezone,
      accessorOfToken: new Map(),
    };
    return { openFile: (_file, sink) => openFile(sink, context) };
  },
};

function isVaultEntry(value: JsonObject): boolean {
  const type = str(value.type);
  return (
    !!type && ENTRY_TYPES.has(type) && isObject(value.request) && typeof value.time === 'string'
  );
}

function openFile(sink: RecordSink, context: NormalizeContext): FileSession {
  const waiting = new Map<string, { record: RawRecord; entry: JsonObject }>();
  const answered = new Set<string>();

  const settle = (record: RawRecord, entry: JsonObject) => {
    const result = normalizeEntry(entry, context);
    if ('reject' in result) sink.reject(record, result.reject);
    else sink.accept(record, [result.event]);
  };

  return {
    record(record) {
      const entry = record.data.kind === 'json' ? record.data.value : undefined;
      if (!isObject(entry)) {
        sink.reject(record, 'expected a JSON object (a Vault audit entry)');
        return;
      }
      const type = str(entry.type);
      if (!type) {
        sink.reject(record, 'type missing: expected "request" or "response"');
        return;
      }
      if (type !== 'request' && type !== 'response') {
        sink.ignore(record, type);
        return;
      }

      const id = str(getPath(entry, 'request.id'));
      if (type === 'request') {
        if (id && answered.has(id)) sink.ignore(record, 'paired-request');
        else if (id && !waiting.has(id)) waiting.set(id, { record, entry });
        else settle(record, entry);
        return;
      }

      const request = id ? waiting.get(id) : undefined;
      if (id && request) {
        waiting.delete(id);
        sink.ignore(request.record, 'paired-request');
      }
      settle(record, entry);
      if (id) remember(answered, id);
    },

    end() {
      // A request whose response never came (Vault stopped, log rotated between the two) is
      // still evidence of an attempt: it is normalized on its own.
      for (const { record, entry } of waiting.values()) settle(record, entry);
      waiting.clear();
    },
  };
}

function remember(answered: Set<string>, id: string): void {
  answered.add(id);
  if (answered.size > RECENT_RESPONSES) {
    const oldest = answered.values().next().value;
    if (oldest !== undefined) answered.delete(oldest);
  }
}
