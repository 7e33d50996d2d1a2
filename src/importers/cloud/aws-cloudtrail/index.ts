// AWS CloudTrail importer: metadata, detection, and the per-run state (dedup and integrity).
import type { Importer, ImporterRun, RunSettings } from '../../types.js';
import { str } from '../../common.js';
import { IdSet } from '../../../util/id-set.js';
import { TimeError } from '../../../util/time.js';
import { detectCloudTrail } from './detect.js';
import { IntegrityLedger } from './digest.js';
import type { CallContext } from './draft.js';
import { eventTimeMs, obj, serviceOf, unwrap } from './fields.js';
import { principalOf } from './identity.js';
import { parseOptions } from './options.js';
import { draftFor } from './stages.js';

const meta = {
  id: 'aws-cloudtrail',
  family: 'cloud',
  vendor: 'Amazon Web Services',
  product: 'AWS CloudTrail',
  expects:
    'CloudTrail management events: trail log files from S3 (with their digest files), event history ' +
    'downloads or lookup-events output, or SIEM exports of the same events.',
  howToExport:
    'Trail logs: copy the trail bucket prefix with `aws s3 sync s3://<bucket>/AWSLogs/ ./AWSLogs/` ' +
    '(keep the CloudTrail-Digest folders; enable log file validation on the trail beforehand). ' +
    'Event history: CloudTrail console > Event history > Download events > JSON, or ' +
    '`aws cloudtrail lookup-events --start-time ... --end-time ... --output json`. ' +
    'Run the export in every account and region that holds privileged roles, or use an organization trail.',
  formats: [
    'gzip S3 log files {"Records":[...]} in AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ trees',
    'CloudTrail-Digest files (log file validation)',
    'JSON array of events',
    'NDJSON (one event per line, Logstash @timestamp accepted)',
    'single event object',
    'event-history items with the event as a JSON string in CloudTrailEvent',
    'EventBridge envelopes with the event under detail',
  ],
  limitations: [
    'Requests and approvals are not in CloudTrail; they come from the ticketing or PAM export.',
    'Digest signatures live in S3 object metadata (x-amz-meta-signature), not in the files, so they ' +
      'cannot be checked offline: log files are checked against the digests and the digests against ' +
      "each other's previousDigestHashValue, which proves consistency, not authenticity.",
    'Log files and digests are matched by object name; an IAM user path (/path/name) is not logged in ' +
      'requests, so IAM user ARNs built from requestParameters.userName assume the root path.',
    'Expiry of Identity Center GetRoleCredentials is known only when the response states it; the ' +
      'permission set session duration is not logged.',
    'CreateAccountAssignment is asynchronous: the record shows the request (status IN_PROGRESS), not ' +
      'that provisioning succeeded.',
    'Identity Center users are keyed by identity store ARN + user id; assignments name only the user ' +
      'id and join those users when identityStore.identityStoreArn is configured. Display names come ' +
      'only from the optional identityStore export in the importer options.',
    'Identity kind: IAM users, federated users and plain role sessions are "unknown" unless the ' +
      'record shows a person (Identity Center, SAML, sourceIdentity) or a workload (EC2, AWS service).',
    'CloudWatch Logs exports (events as strings under logEvents[].message) are not read.',
  ],
} as const;

function createRun(settings: RunSettings): ImporterRun {
  const lookups = parseOptions(settings.options);
  // Every eventID of the run (duplicates across files are common in S3 trees): 16 bytes each.
  const seenEventIds = new IdSet();
  const ledger = new IntegrityLedger();

  return {
    openFile(file, sink) {
      let hadEvents = false;
      return {
        record(record) {
          if (record.data.kind !== 'json') {
            sink.reject(record, 'not JSON: expected a CloudTrail event object');
            return;
          }
          const found = unwrap(record.data.value);
          if (found.kind === 'digest') {
            ledger.addDigest(file.path, found.digest);
            sink.ignore(record, 'digest');
            return;
          }
          if (found.kind === 'invalid') {
            sink.reject(record, found.reason);
            return;
          }
          hadEvents = true;

          const { event } = found;
          const eventId = str(event.eventID);
          if (eventId !== undefined && seenEventIds.has(eventId)) {
            sink.ignore(record, 'duplicate');
            return;
          }
          try {
            const ctx: CallContext = {
              event,
              eventName: str(event.eventName) ?? '',
              service: serviceOf(event),
              atMs: eventTimeMs(event),
              caller: principalOf(event, lookups),
              lookups,
              request: obj(event, 'requestParameters') ?? {},
              response: obj(event, 'responseElements') ?? {},
            };
            sink.accept(record, [draftFor(ctx)]);
            if (eventId !== undefined) seenEventIds.add(eventId);
          } catch (error) {
            // A record this importer cannot read is rejected; it never stops the rest of the file.
            const message = error instanceof Error ? error.message : String(error);
            const reason =
              error instanceof TimeError ? message : `unreadable CloudTrail event: ${message}`;
            sink.reject(record, reason);
          }
        },
        end({ contentSha256 }) {
          ledger.fileEnded(file.path, contentSha256, hadEvents);
        },
      };
    },
    finish() {
      return ledger.notes();
    },
  };
}

export const awsCloudTrail: Importer = {
  meta: { ...meta, formats: [...meta.formats], limitations: [...meta.limitations] },
  input: 'json',
  detect: detectCloudTrail,
  createRun,
};
