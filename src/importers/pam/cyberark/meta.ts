// Metadata of the two CyberArk importers (syslog-style lines and the Sentinel CSV export).
import type { ImporterMeta } from '../../types.js';

const SHARED_LIMITATIONS = [
  'Dual-control records (request, confirm, reject) have no public sample: they are recognised ' +
    'by the action name ("Request Access"/"Create Request", "Confirm Request", "Reject Request"), ' +
    'not by code (the fixtures use 390/391/392 as placeholder codes), and the requester of a ' +
    'confirmation is assumed to be in TargetUser (CEF: cs1 "Affected User Name").',
  'Codes not in the lifecycle table (e.g. 180 Add User, 185 Add Safe, 130 CPM Disable) are ' +
    'counted as ignored under their code and name, not normalized.',
  'Show Password and Copy Password are Retrieve Password (295) records; they are told apart ' +
    'only by PvwaDetails or the "(Action: ...)" marker in Reason.',
  'A CPM change or reconcile (24, 31) is taken as the end of what a retrieval released; the ' +
    'importer does not check that it came after that retrieval (the correlator does).',
  'Command, keystroke and SQL text of PSM activity records is not copied into events (it may ' +
    'contain secrets); the locator leads to it.',
];

export const cyberarkLinesMeta: ImporterMeta = {
  id: 'cyberark',
  family: 'pam',
  vendor: 'CyberArk',
  product: 'Privileged Access Manager (Vault, PVWA, PSM, CPM, PTA)',
  expects:
    'Vault audit records as the SIEM integration writes them, one per line: the elastic XSL ' +
    'JSON, Arcsight CEF or PTA CEF, bare or behind an RFC 5424 or BSD syslog header.',
  howToExport:
    'On the Vault server edit Conf\\DBParm.ini: set SyslogServerIP, SyslogServerPort, ' +
    'SyslogServerProtocol, SyslogMessageCodeFilter (or leave it empty for all codes) and ' +
    'SyslogTranslatorFile (Syslog\\Arcsight.sef.xsl for CEF, the Elastic JSON XSL for JSON); ' +
    'UseLegacySyslogFormat=No gives RFC 5424 headers. Restart the Vault, then hand over the ' +
    "syslog receiver's file for the period. For BSD headers declare the Vault's time zone and " +
    'the time the file was closed (export-context.json: timezone, closedAt).',
  formats: ['syslog lines (RFC 5424, BSD, none)', 'JSON lines', 'CEF', 'gzip'],
  limitations: [
    ...SHARED_LIMITATIONS,
    'BSD syslog headers and the local Timestamp field carry no zone and no year: without a ' +
      'declared zone, or without the export close time for the year, those records are ' +
      'rejected. A file spanning more than twelve months cannot be dated from such headers.',
    'PTA detections become context events (anomalies), never lifecycle evidence.',
    'In CEF the PSM session id is read from externalId (or SessionID in cs5 "Other info").',
  ],
};

export const cyberarkCsvMeta: ImporterMeta = {
  id: 'cyberark-csv',
  family: 'pam',
  vendor: 'CyberArk',
  product: 'Identity Security Platform audit (Microsoft Sentinel CyberArk_AuditEvents_CL)',
  expects:
    'A CSV export of the Log Analytics table CyberArk_AuditEvents_CL with all columns, ' +
    'including auditCode and customData.',
  howToExport:
    'In Microsoft Sentinel open Logs, run "CyberArk_AuditEvents_CL | where TimeGenerated ' +
    'between (datetime(START) .. datetime(END))" without a project clause, then choose ' +
    'Export > CSV (all columns). Rows need not be sorted.',
  formats: ['CSV with header', 'gzip'],
  limitations: [
    ...SHARED_LIMITATIONS,
    'Vault codes appear zero-padded (PAM00300); Identity (IDP2005-2007) and SIA codes (DPAI401, ' +
      'DPAE403, PSMSTRT, PSMTRMN) are mapped to sessions; other platform codes are ignored.',
    'The event time is the timestamp column (epoch seconds); TimeGenerated is used only when it ' +
      'is missing.',
  ],
};
