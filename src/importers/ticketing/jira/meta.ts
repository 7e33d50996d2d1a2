// Registry metadata of the three Jira importers: what each expects and how to export it.

const SHARED_LIMITATIONS = [
  'All three Jira importers read the `importers.jira` settings block.',
  'A workflow status counts as approval or denial only when it is named in approvedStatuses or ' +
    'declinedStatuses; Done/Closed is recorded as context and is never taken as an approval.',
  'An approver field without an approval status field naming the decision is not an approval ' +
    '(such fields often list who may approve, not who did).',
];

export const JSON_META = {
  id: 'jira',
  family: 'ticketing' as const,
  vendor: 'Atlassian',
  product: 'Jira / Jira Service Management (REST and webhooks)',
  expects:
    'Jira issues as JSON: REST search results with expand=changelog, single issues, archived ' +
    'webhook payloads (webhookEvent + issue + changelog) or JSM approval API responses.',
  howToExport:
    'REST: GET /rest/api/2/search?jql=<your JQL>&expand=changelog&maxResults=100 (Cloud: ' +
    '/rest/api/3/search/jql), page with startAt until every issue is saved, and keep each ' +
    'response body as a .json file. Add expand=names to match custom fields by name. JSM ' +
    'approvals: GET /rest/servicedeskapi/request/<KEY>/approval for each request, saved as ' +
    '<KEY>-approvals.json. Webhooks: archive each delivered body as one JSON document.',
  formats: [
    'REST search page ({"issues": [...]})',
    'single issue',
    'webhook payload',
    'JSM approval page',
    'NDJSON',
    'gzip',
  ],
  limitations: [
    ...SHARED_LIMITATIONS,
    'Custom fields in REST JSON are matched by id (customfield_10050) or by name only when the ' +
      'response carries `names` (expand=names).',
    'JSM approval responses do not name the ticket: its key is taken from the record (issueKey) ' +
      'or from the file name; without one the approval has no ticket reference.',
    'JSM gives one completedDate per approval step; every approver who decided in that step is ' +
      'timed with it. Pending steps give no event and are counted as ignored.',
  ],
};

export const CSV_META = {
  id: 'jira-csv',
  family: 'ticketing' as const,
  vendor: 'Atlassian',
  product: 'Jira / Jira Service Management (issue search CSV export)',
  expects:
    'The CSV export of an issue search ("Export > Export CSV (all fields)" or current fields), ' +
    'one issue per row, with Issue key and Created columns.',
  howToExport:
    'In Jira, open Filters > Advanced issue search, enter the JQL for the access tickets of the ' +
    'period, then Export > Export CSV (all fields), with the delimiter left as comma. Note the ' +
    'time zone and date format of the exporting user profile (Profile > Personal settings) and ' +
    'set them as timezone and importers.jira.dateFormat (or in export-context.json).',
  formats: ['CSV (repeated columns, quoted multi-line cells, BOM, CRLF)', 'gzip'],
  limitations: [
    ...SHARED_LIMITATIONS,
    'Dates carry no zone: the configured or declared zone is required, else the row is rejected.',
    'JSM `Custom field (Approvals)` exports as a Java object string (ApprovalsCFValue@…) that ' +
      'holds no decision; such cells are counted in a note and cannot be read.',
    'The CSV holds no changelog: who moved a ticket to an approved status is not in it.',
    'Rows from an export without a Created column are ignored (kind "ticket without Created ' +
      'column") because the request cannot be dated.',
    'Two-digit years are read as 20yy.',
  ],
};

export const XML_META = {
  id: 'jira-xml',
  family: 'ticketing' as const,
  vendor: 'Atlassian',
  product: 'Jira (issue navigator XML / RSS export)',
  expects: 'The XML (RSS) export of an issue search: <rss><channel><item>… one item per issue.',
  howToExport:
    'In Jira Server/Data Center, open the issue search with your JQL and choose Export > XML. ' +
    'The export is capped at 1,000 issues; split the JQL by period if needed.',
  formats: ['RSS 0.92 XML', 'English and German month and weekday names', 'gzip'],
  limitations: [
    ...SHARED_LIMITATIONS,
    'Month and weekday names are read in English and German only; other locales are rejected ' +
      'by name, never guessed.',
    'The XML export has no changelog; approvals come only from the configured custom fields.',
  ],
};
