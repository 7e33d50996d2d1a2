// Microsoft Entra ID importers: audit logs with PIM, and sign-in logs, as JSON or as CSV.
import { isObject } from '../../common.js';
import type {
  DetectionSample,
  FileSession,
  Importer,
  ImporterMeta,
  RecordSink,
} from '../../types.js';
import type { RawRecord } from '../../../read/record.js';
import { ciGet, ciStr } from './fields.js';
import { normalizeEntraRecord } from './normalize.js';
import type { Outcome } from './outcome.js';
import { csvLayout, csvRowToGraph } from './portal-csv.js';
import { SIGNIN_CATEGORIES } from './view.js';

const LIMITATIONS = [
  'Activity names are matched in English; a tenant exporting another display language is not ' +
    'recognized beyond generic activity.',
  'PIM steps are joined by the role assignment request id (additionalDetails ' +
    'RoleAssignmentRequestId / RequestId, else the Request target); records that carry none ' +
    'cannot be joined and stay separate.',
  'Core Directory "Add/Remove member from role" written by PIM itself is kept as context, ' +
    'because the PIM record of the same change is the issuance or end.',
  'Sign-ins give session starts only: Entra logs no sign-out, and sign-ins carry no role, so ' +
    'use within an activation window is found by user and time.',
  'The diagnostic envelope time is processing time; it is used only when the Graph object ' +
    'has no time of its own, and the event summary says so.',
  'Audit data is kept 7 to 30 days by the service; older periods need archived exports.',
];

const HOW_TO_EXPORT =
  'Graph: GET /auditLogs/directoryAudits and /auditLogs/signIns, saving each page (follow @odata.nextLink). ' +
  'Or Entra admin center > Monitoring & health > Diagnostic settings > send AuditLogs and the SignInLogs categories ' +
  'to a storage account (hourly PT1H.json blobs) or Event Hub. Or Log Analytics: query AuditLogs / SigninLogs and ' +
  'export. Portal CSV downloads (Audit logs / Sign-in logs > Download > CSV) are read by entra-id-csv.';

const jsonMeta: ImporterMeta = {
  id: 'entra-id',
  family: 'idp',
  vendor: 'Microsoft',
  product: 'Entra ID (audit logs incl. PIM, sign-in logs)',
  expects:
    'Entra directory audit and sign-in records as Graph objects, diagnostic-setting records or Log Analytics rows.',
  howToExport: HOW_TO_EXPORT,
  formats: [
    'JSON array',
    '{"value": [...]} Graph page',
    '{"records": [...]} Event Hub',
    'NDJSON (PT1H.json)',
    'gzip',
  ],
  limitations: LIMITATIONS,
};

const csvMeta: ImporterMeta = {
  id: 'entra-id-csv',
  family: 'idp',
  vendor: 'Microsoft',
  product: 'Entra ID (portal and Log Analytics CSV downloads)',
  expects:
    'CSV downloaded from the Entra audit or sign-in log blade, or a Log Analytics AuditLogs / SigninLogs export.',
  howToExport:
    'Entra admin center > Monitoring & health > Audit logs (or Sign-in logs) > set the date range > Download > CSV. ' +
    'Or Log Analytics > run the AuditLogs / SigninLogs query > Export > CSV (all columns).',
  formats: ['CSV (portal download)', 'CSV (Log Analytics export, JSON text in nested columns)'],
  limitations: [
    ...LIMITATIONS,
    'Only English portal headers are recognized ("Date (UTC)", "Activity", ...).',
    'The portal CSV keeps three targets, five modified properties and six additional details ' +
      'per record; anything beyond is not in the file.',
  ],
};

function session(sink: RecordSink, toOutcome: (record: RawRecord) => Outcome): FileSession {
  return {
    record(record) {
      const outcome = toOutcome(record);
      if ('events' in outcome) sink.accept(record, outcome.events);
      else if ('ignore' in outcome) sink.ignore(record, outcome.ignore);
      else sink.reject(record, outcome.reject);
    },
  };
}

export const entraIdImporter: Importer = {
  meta: jsonMeta,
  input: 'json',
  detect: detectJson,
  createRun() {
    return {
      openFile(_file, sink) {
        return session(sink, (record) =>
          record.data.kind === 'json'
            ? normalizeEntraRecord(record.data.value)
            : { reject: 'expected a JSON record' },
        );
      },
    };
  },
};

export const entraIdCsvImporter: Importer = {
  meta: csvMeta,
  input: 'csv',
  detect: detectCsv,
  createRun() {
    return {
      openFile(_file, sink) {
        return session(sink, (record) => {
          if (record.data.kind !== 'csv') return { reject: 'expected a CSV row' };
          const layout = csvLayout(record.data.row.headers);
          if (!layout) return { reject: 'CSV header is not an Entra audit or sign-in export' };
          return normalizeEntraRecord(csvRowToGraph(record.data.row, layout));
        });
      },
    };
  },
};

/** Records to look at: a wrapper page (`value`, `records`) is opened if the sample holds one. */
export function sampleRecords(sample: DetectionSample): unknown[] {
  const records: unknown[] = [];
  for (const record of sample.jsonRecords.slice(0, 20)) {
    const inner = isObject(record) ? (record.value ?? record.records ?? record.entries) : undefined;
    if (Array.isArray(inner)) records.push(...inner.slice(0, 20));
    else if (Array.isArray(record)) records.push(...record.slice(0, 20));
    else records.push(record);
  }
  return records;
}

function detectJson(sample: DetectionSample): number {
  let best = 0;
  for (const record of sampleRecords(sample)) best = Math.max(best, scoreRecord(record));
  if (
    best === 0 &&
    sample.jsonRecords.length === 0 &&
    /"activityDisplayName"|microsoft\.aadiam/i.test(sample.head)
  ) {
    best = 50;
  }
  return best;
}

function scoreRecord(record: unknown): number {
  if (!isObject(record)) return 0;
  const category = (ciStr(record, 'category') ?? '').toLowerCase();
  const resourceId = (ciStr(record, 'resourceId') ?? '').toLowerCase();
  if (resourceId.includes('/providers/microsoft.aadiam')) return 95;
  if (isObject(record.properties) && (category === 'auditlogs' || SIGNIN_CATEGORIES.has(category)))
    return 90;
  if (
    ciGet(record, 'activityDisplayName') !== undefined &&
    ciGet(record, 'initiatedBy') !== undefined
  )
    return 85;
  if (SIGNIN_CATEGORIES.has(category) && ciGet(record, 'createdDateTime') !== undefined) return 85;
  const signIn =
    ciGet(record, 'createdDateTime') !== undefined &&
    ciGet(record, 'appDisplayName') !== undefined &&
    (ciGet(record, 'userPrincipalName') !== undefined ||
      ciGet(record, 'servicePrincipalId') !== undefined);
  return signIn ? 75 : 0;
}

function detectCsv(sample: DetectionSample): number {
  if (!sample.csvHeaders) return 0;
  const layout = csvLayout(sample.csvHeaders);
  if (layout === 'portal-audit' || layout === 'portal-signin') return 90;
  return layout === 'log-analytics' ? 80 : 0;
}
