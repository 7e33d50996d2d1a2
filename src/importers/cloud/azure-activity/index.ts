// Azure Activity Log importer: role assignments, PIM schedule requests, elevation, activity.
import { z } from 'zod';
import { isObject } from '../../common.js';
import type { DetectionSample, Importer, ImporterMeta, RunSettings } from '../../types.js';
import type { RawRecord } from '../../../read/record.js';
import { BUILT_IN_ROLES } from './builtin-roles.js';
import { activityRecord, ciStr, type ActivityRecord } from './fields.js';
import { eventTime, normalizeActivity, type Outcome } from './normalize.js';
import type { RoleNames } from './role-assignments.js';

const meta: ImporterMeta = {
  id: 'azure-activity',
  family: 'cloud',
  vendor: 'Microsoft',
  product: 'Azure Activity Log (subscription control plane)',
  expects:
    'Activity Log events as REST/portal JSON, diagnostic-setting records or Log Analytics AzureActivity rows.',
  howToExport:
    'Azure portal > Monitor > Activity log > Export Activity Logs > add a diagnostic setting that ' +
    'sends the Administrative category to a storage account (insights-activity-logs/.../PT1H.json) ' +
    'or an Event Hub. Or the REST API GET /subscriptions/{id}/providers/Microsoft.Insights/' +
    'eventtypes/management/values (save each page), or az monitor activity-log list --output json. ' +
    "The portal's Download as CSV is not read.",
  formats: [
    'JSON array',
    '{"value": [...]} REST page',
    '{"records": [...]} Event Hub',
    'NDJSON (PT1H.json)',
    'gzip',
  ],
  limitations: [
    'Role names come from a built-in table plus importers.azure-activity.customRoles; any ' +
      'other role definition id is shown as its GUID.',
    'A Start/Accept record is counted once with its final Success/Failure record of the same ' +
      'correlationId, operation and resource; when the final record is in a later file the ' +
      'Start stays as context.',
    'PIM for Azure resources (roleAssignmentScheduleRequests) is mapped from the ARM API ' +
      'reference; no public sample was available.',
    'elevateAccess/action is an issuance without a request; it is not marked break-glass, ' +
      'because the record does not say the use was an emergency.',
    'Expiry of a PIM-activated Azure role is not logged here; the Entra audit log carries it.',
    'Platform categories (ServiceHealth, ResourceHealth, Alert, Autoscale, Recommendation, ' +
      'Policy, Security) are ignored.',
  ],
};

const CustomRoles = z.record(z.string().min(1), z.string().min(1));

/** Built-in roles plus `importers.azure-activity.customRoles` (GUID or full id → name). */
function roleNames(settings: RunSettings): RoleNames {
  const names = new Map(BUILT_IN_ROLES);
  const configured = settings.options.customRoles;
  if (configured === undefined) return names;
  const parsed = CustomRoles.safeParse(configured);
  if (!parsed.success) {
    throw new Error(
      'importers.azure-activity.customRoles: expected a map of role definition GUID to role name',
    );
  }
  for (const [id, name] of Object.entries(parsed.data)) {
    names.set(id.split('/').filter(Boolean).at(-1)!.toLowerCase(), name);
  }
  return names;
}

function pairKey(record: ActivityRecord): string {
  return `${record.correlationId ?? ''}|${record.operation}|${(record.resourceId ?? '').toLowerCase()}`;
}

export const azureActivityImporter: Importer = {
  meta,
  input: 'json',
  detect,
  createRun(settings) {
    const roles = roleNames(settings);
    // Final records seen in this run, so a later Start of the same call is known as its pair.
    const finished = new Set<string>();
    const seen = new Set<string>();

    return {
      openFile(_file, sink) {
        const waiting = new Map<string, { record: RawRecord; activity: ActivityRecord }[]>();
        const settle = (record: RawRecord, outcome: Outcome) => {
          if ('events' in outcome) sink.accept(record, outcome.events);
          else if ('ignore' in outcome) sink.ignore(record, outcome.ignore);
          else sink.reject(record, outcome.reject);
        };

        return {
          record(record) {
            if (record.data.kind !== 'json' || !isObject(record.data.value)) {
              sink.reject(record, 'expected a JSON object (Azure Activity Log event)');
              return;
            }
            const activity = activityRecord(record.data.value);
            const key = pairKey(activity);

            if (activity.statusClass === 'start') {
              if (!activity.correlationId) settle(record, normalizeActivity(activity, roles, true));
              else if (finished.has(key)) sink.ignore(record, 'start-of-pair');
              else waiting.set(key, [...(waiting.get(key) ?? []), { record, activity }]);
              return;
            }

            if (activity.statusClass === 'final' && activity.correlationId) {
              const time = eventTime(activity);
              const exact = `${key}|${activity.status?.toLowerCase()}|${'at' in time ? time.at : ''}`;
              // REST and diagnostic exports of the same subscription overlap: count a repeat once.
              if (seen.has(exact)) {
                sink.ignore(record, 'duplicate');
                return;
              }
              seen.add(exact);
              finished.add(key);
              for (const start of waiting.get(key) ?? [])
                sink.ignore(start.record, 'start-of-pair');
              waiting.delete(key);
            }
            settle(record, normalizeActivity(activity, roles));
          },
          end() {
            for (const starts of waiting.values()) {
              for (const start of starts)
                settle(start.record, normalizeActivity(start.activity, roles, true));
            }
            waiting.clear();
          },
        };
      },
    };
  },
};

function detect(sample: DetectionSample): number {
  let best = 0;
  for (const record of sample.jsonRecords.slice(0, 20)) {
    if (!isObject(record)) continue;
    const activity = activityRecord(record);
    const resourceId = (activity.resourceId ?? '').toLowerCase();
    // Entra diagnostic records share the envelope; they belong to the entra-id importer.
    if (resourceId.includes('/providers/microsoft.aadiam')) return 0;
    const azureOperation = /^microsoft\.[a-z0-9]+\//.test(activity.operation);
    const azureResource =
      resourceId.startsWith('/subscriptions/') || resourceId.startsWith('/providers/');
    const restShape =
      ciStr(record, 'eventDataId') !== undefined ||
      ciStr(record, 'OperationNameValue') !== undefined;
    if (azureOperation && (azureResource || restShape)) best = Math.max(best, 90);
    else if (azureOperation && activity.category) best = Math.max(best, 70);
  }
  return best;
}
