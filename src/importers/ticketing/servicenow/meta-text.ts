// Sentences the three ServiceNow importers' metadata share.

export const TABLES_SENTENCE =
  'change_request, sc_req_item, sc_task, incident and sysapproval_approver';

export const COMMON_LIMITATIONS = [
  'Rows of other tables (sc_request, alm_hardware, ...) are counted as ignored by table name.',
  'Approval rows name their task by sys_id in stored-value exports; the ticket number is found only ' +
    'when the task was read earlier in the same run (an earlier file, or anywhere in the same file). ' +
    'ServiceNow names its exports <table>.<ext>, and every task table sorts before ' +
    'sysapproval_approver, so a folder of default file names works.',
  "The change's own approval field gives an approval event only when approval_set holds the time; " +
    'it never names the approver (use sysapproval_approver for that).',
  'A post-implementation review is recognised on emergency changes from review_comments, ' +
    'review_status, review_date, or close notes on a closed change; an instance that records ' +
    'reviews elsewhere (a task, a survey) needs that table exported too.',
  'Users are identified by the name the export shows (display value); stored-value JSON exports ' +
    'show only sys_ids, which need identities aliases to match other sources.',
  'Display times in the hour repeated when daylight saving time ends are read as the earlier instant.',
  'Incidents and catalog tasks are context (reasons and fulfilment work), not requests.',
];
