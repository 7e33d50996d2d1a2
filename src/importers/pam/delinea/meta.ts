// Metadata of the Delinea Secret Server importers (syslog/CEF lines and JSON-wrapped CEF).
import type { ImporterMeta } from '../../types.js';

const HOW_TO_EXPORT =
  'In Secret Server go to Admin > Configuration > General (Application Settings), edit, enable ' +
  '"Enable Syslog/CEF Logging", set the Syslog/CEF server, port, protocol and the Syslog/CEF ' +
  "time zone, and save. Hand over the syslog receiver's file for the period, and declare the " +
  'time zone chosen there (config timezone or export-context.json timezone): rt carries none.';

const SHARED_LIMITATIONS = [
  'rt (and BSD syslog headers) carry no zone: without a declared zone every record is rejected ' +
    'with "timezone unknown"; a BSD header used as a fallback also needs the export close time.',
  'Only 10004 SECRET - VIEW and 10039 SECRET - PASSWORD_DISPLAYED are confirmed by a public ' +
    'sample. Checkout, check-in, launch and access request / approve / deny are recognised by ' +
    'assumed names of the same pattern (SECRET - CHECKOUT, CHECKIN, LAUNCH, ACCESS_REQUESTED, ' +
    'ACCESS_APPROVED, ACCESS_DENIED, or the msg Action), never by event id (the fixtures use ' +
    'placeholder ids 10045-10050).',
  'SECRET - VIEW is activity (the password stays masked); PASSWORD_DISPLAYED and checkout are ' +
    'issuance of the credential; check-in is its revocation.',
  'The requester of an approval or denial is assumed to be in duser; suser is the approver.',
  'Launch records give no session id and no session end.',
  'Events other than secret lifecycle actions (logins, folder and user changes) are ignored by name.',
];

export const delineaLinesMeta: ImporterMeta = {
  id: 'delinea',
  family: 'pam',
  vendor: 'Delinea (Thycotic)',
  product: 'Secret Server',
  expects:
    'Secret Server syslog/CEF audit lines (CEF:0|Thycotic Software|Secret Server|...), with or ' +
    'without a syslog header, or JSON lines whose message or event.original holds that CEF text.',
  howToExport: HOW_TO_EXPORT,
  formats: ['syslog lines (BSD, RFC 5424, none)', 'CEF', 'JSON lines', 'gzip'],
  limitations: SHARED_LIMITATIONS,
};

export const delineaJsonMeta: ImporterMeta = {
  id: 'delinea-json',
  family: 'pam',
  vendor: 'Delinea (Thycotic)',
  product: 'Secret Server',
  expects:
    'A JSON document of Secret Server CEF events as Elastic exports them: {"events":[{"event":' +
    '{"original":"<CEF line>"}}]} or an array of such entries (message also accepted).',
  howToExport:
    HOW_TO_EXPORT +
    ' For data already in Elastic, export the documents with event.original kept ' +
    '(preserve_original_event) as a JSON array or {"events":[...]} document.',
  formats: ['JSON document', 'JSON array', 'gzip'],
  limitations: [
    ...SHARED_LIMITATIONS,
    'Only event.original / message is read; the pre-parsed cef object is ignored (it reads rt as UTC).',
    'If the reader hands the whole {"events":[...]} wrapper over as one record, it is counted as ' +
      'one record, and one bad entry rejects the whole wrapper (with each entry named).',
  ],
};
