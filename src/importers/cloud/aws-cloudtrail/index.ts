// AWS CloudTrail importer: metadata, detection, file reading and the run's integrity ledger.
import type { DetachedOpen, FileInfo, FileSession, Importer } from '../../types.js';
import type { ImporterRun, RecordSink, RunSettings } from '../../types.js';
import { str, type JsonObject } from '../../common.js';
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
    'A repeated eventID is a duplicate when the copy normalizes to the same event (time, action, ' +
      'parties, target, expiry, summary); a copy that says something else is kept beside the ' +
      'first, with a failed integrity note naming its locator (not the earlier copy). Fields that ' +
      'are not normalized (source IP, user agent) are not compared; eventIDs compare exactly, so ' +
      'an upper-cased copy is a new event.',
  ],
} as const;

/** What a CloudTrail file tells its run: a digest record, and the file's end. */
type CloudTrailFact =
  | { kind: 'digest'; digest: JsonObject }
  | { kind: 'ended'; contentSha256: string; hadEvents: boolean };

// Option lookups are parsed once per settings object; worker threads see a settings object per
// file, the main thread one per run.
const lookupsBySettings = new WeakMap<RunSettings, ReturnType<typeof parseOptions>>();

function lookupsFor(settings: RunSettings): ReturnType<typeof parseOptions> {
  let lookups = lookupsBySettings.get(settings);
  if (!lookups) lookupsBySettings.set(settings, (lookups = parseOptions(settings.options)));
  return lookups;
}

/**
 * Reads one file without the run. Duplicate events (common across S3 trees) are told apart by
 * the pipeline from the eventID passed as `unique` (an altered copy is kept and noted, never dropped);
 * digests and the file's end go to the run's integrity ledger as facts.
 */
function openDetached(
  settings: RunSettings,
  file: FileInfo,
  sink: RecordSink,
  fact: (fact: CloudTrailFact) => void,
): FileSession {
  const lookups = lookupsFor(settings);
  let hadEvents = false;
  return {
    record(record) {
      if (record.data.kind !== 'json') {
        sink.reject(record, 'not JSON: expected a CloudTrail event object');
        return;
      }
      const found = unwrap(record.data.value);
      if (found.kind === 'digest') {
        fact({ kind: 'digest', digest: found.digest });
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
        sink.accept(record, [draftFor(ctx)], eventId);
      } catch (error) {
        // A record this importer cannot read is rejected; it never stops the rest of the file.
        const message = error instanceof Error ? error.message : String(error);
        const reason =
          error instanceof TimeError ? message : `unreadable CloudTrail event: ${message}`;
        sink.reject(record, reason);
      }
    },
    end({ contentSha256 }) {
      fact({ kind: 'ended', contentSha256, hadEvents });
    },
  };
}

function createRun(settings: RunSettings): ImporterRun {
  const ledger = new IntegrityLedger();
  const takeFact = (file: FileInfo, fact: unknown) => {
    const told = fact as CloudTrailFact;
    if (told.kind === 'digest') ledger.addDigest(file.path, told.digest);
    else ledger.fileEnded(file.path, told.contentSha256, told.hadEvents);
  };
  return {
    openFile: (file, sink) => openDetached(settings, file, sink, (fact) => takeFact(file, fact)),
    takeFact,
    finish: () => ledger.notes(),
  };
}

export const awsCloudTrail: Importer = {
  meta: { ...meta, formats: [...meta.formats], limitations: [...meta.limitations] },
  input: 'json',
  detect: detectCloudTrail,
  createRun,
  detached: openDetached as DetachedOpen,
};
