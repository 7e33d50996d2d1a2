// Teleport audit log importer: access requests, certificates, logins, sessions and role grants.
import { firstObjects, isObject, shareScore, str, type JsonObject } from '../../common.js';
import type { DetectionSample, Importer, RunSettings } from '../../types.js';
import { normalizeEvent } from './normalize.js';

// Event codes: "T", a family, a severity letter (lib/events/codes.go), e.g. T2000I, TDB00W.
const EVENT_CODE = /^T[A-Z0-9]{2,8}[IWE]$/;

export const teleport: Importer = {
  meta: {
    id: 'teleport',
    family: 'pam',
    vendor: 'Teleport (Gravitational)',
    product: 'Teleport audit log',
    expects:
      'Teleport audit events as JSON lines (the auth service file log, the event handler plugin ' +
      'output, or `tctl` / API exports), or a JSON array of them.',
    howToExport:
      'Copy the audit log files (`/var/lib/teleport/log/*.log` on the auth service) for the ' +
      'review period, or export them with the Teleport event handler plugin (fluentd JSON ' +
      'output) or `tctl events ls --format=json --from=<start> --to=<end>` (newer releases).',
    formats: ['NDJSON', 'JSON array', 'gzip'],
    limitations: [
      'A certificate is linked to an access request only when Teleport wrote the request ids ' +
        '(identity.access_requests); older certificates without them are linked by user and roles.',
      'A session event names only the first of several access requests behind its certificate.',
      'Deleting an access request is imported as a revocation, but certificates already issued ' +
        'from it remain valid until they expire; Teleport does not log that.',
      'user.create and user.update are standing role assignments (issuance); an update that ' +
        'removes roles is not seen as a revocation of the removed roles.',
      'An integer `expires` (seen once in Teleport\u2019s catalogue) is read as Unix seconds.',
      'Connector, role and token management events are counted as ignored by type.',
    ],
  },
  input: 'json',

  detect(sample: DetectionSample): number {
    return shareScore(firstObjects(sample), isTeleportEvent);
  },

  createRun(settings: RunSettings) {
    const zone = settings.timezone ?? settings.exportContext?.timezone;
    return {
      openFile: (_file, sink) => ({
        record(record) {
          const value = record.data.kind === 'json' ? record.data.value : undefined;
          if (!isObject(value)) {
            sink.reject(record, 'expected a JSON object (a Teleport audit event)');
            return;
          }
          const outcome = normalizeEvent(value, zone);
          if ('reject' in outcome) sink.reject(record, outcome.reject);
          else if ('ignore' in outcome) sink.ignore(record, outcome.ignore);
          else sink.accept(record, outcome.events);
        },
      }),
    };
  },
};

function isTeleportEvent(value: JsonObject): boolean {
  const code = str(value.code);
  return !!str(value.event) && !!code && EVENT_CODE.test(code) && typeof value.time === 'string';
}
