// Scores a file as CloudTrail from its name and first records (0 for anything else).
import type { DetectionSample } from '../../types.js';
import { isObject, str } from '../../common.js';
import { isDigest, unwrap } from './fields.js';

const LOG_FILE_NAME = /(^|\/)\d{12}_CloudTrail(-Digest)?_[a-z0-9-]+_.*\.json(\.gz)?$/;

function isCloudTrailEvent(value: unknown): boolean {
  const found = unwrap(value);
  if (found.kind !== 'event') return false;
  const source = str(found.event.eventSource) ?? '';
  const event = found.event;
  return source.endsWith('.amazonaws.com') && ('eventVersion' in event || 'userIdentity' in event);
}

/** The records as the reader may present them: events, or a `{"Records": [...]}` wrapper. */
function candidates(records: unknown[]): unknown[] {
  return records.flatMap((record) =>
    isObject(record) && Array.isArray(record.Records) ? record.Records.slice(0, 5) : [record],
  );
}

export function detectCloudTrail(sample: DetectionSample): number {
  const records = candidates(sample.jsonRecords);
  const named = LOG_FILE_NAME.test(sample.path);

  if (records.length > 0) {
    const events = records.filter(isCloudTrailEvent).length;
    const digests = records.filter(
      (r) => isObject(r) && isDigest(r) && 'digestS3Object' in r,
    ).length;
    if (events + digests === 0) return 0;
    const share = (events + digests) / records.length;
    if (share >= 0.5) return named ? 98 : 90;
    return 60;
  }

  // Nothing parsed (a broken file, such as the vendor doc examples with missing commas): claim
  // it only on unmistakable CloudTrail text, so that the reader reports its parse error.
  const head = sample.head;
  const textual =
    /"eventVersion"\s*:/.test(head) &&
    /"eventSource"\s*:\s*"[a-z0-9.-]+\.amazonaws\.com"/.test(head);
  const digestText = /"digestStartTime"\s*:/.test(head) && /"logFiles"\s*:/.test(head);
  if (textual || digestText) return named ? 90 : 70;
  return 0;
}
