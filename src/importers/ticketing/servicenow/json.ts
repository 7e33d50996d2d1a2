// The `servicenow` importer: Table API JSON (`{"result": [...]}`) and NDJSON rows of collectors.
import { isObject } from '../../common.js';
import type { Importer } from '../../types.js';
import { detectJson } from './detect.js';
import { jsonRecord } from './fields.js';
import { createServiceNowRun, type RecordReader } from './session.js';
import { COMMON_LIMITATIONS, TABLES_SENTENCE } from './meta-text.js';

const readJson: RecordReader = (raw, settings) => {
  if (raw.data.kind !== 'json') return { reject: 'expected a JSON record of the Table API' };
  let value = raw.data.value;
  if (isObject(value) && isObject(value.error)) {
    return { reject: `Table API error response: ${JSON.stringify(value.error).slice(0, 200)}` };
  }
  // A single-record response (`GET .../table/<t>/<sys_id>`, PATCH) has an object as result.
  if (isObject(value) && 'result' in value) {
    if (!isObject(value.result)) {
      return {
        reject:
          'a whole Table API response as one record: expected each element of result on its own',
      };
    }
    value = value.result;
  }
  if (!isObject(value)) return { reject: 'expected a ServiceNow row (a JSON object)' };
  return jsonRecord(value, settings.values);
};

export const servicenowJson: Importer = {
  meta: {
    id: 'servicenow',
    family: 'ticketing',
    vendor: 'ServiceNow',
    product: 'ServiceNow ITSM (Table API)',
    expects:
      `Table API JSON responses for ${TABLES_SENTENCE}, with sysparm_display_value false, true or ` +
      'all, or NDJSON rows of the same shape as log collectors write them.',
    howToExport:
      'Call GET /api/now/table/<table>?sysparm_display_value=all&sysparm_query=<period filter> for ' +
      'each of change_request, sc_req_item, sc_task, incident and sysapproval_approver (page with ' +
      'sysparm_limit and sysparm_offset) and save each response as <table>.json. Prefer ' +
      'sysparm_display_value=all: it keeps the stored UTC times next to the names of users. With ' +
      'sysparm_display_value=true, set importers.servicenow.displayTimezone and displayDateFormat ' +
      "to the exporting user's time zone and date format.",
    formats: ['JSON ({"result": [...]})', 'NDJSON', 'gzip'],
    limitations: [
      ...COMMON_LIMITATIONS,
      'A display-only export whose dates look like stored values (yyyy-MM-dd HH:mm:ss) and whose ' +
        'choices show no labels cannot be told from a stored-value export; set ' +
        'importers.servicenow.values to display for such files.',
    ],
  },
  input: 'json',
  detect: detectJson,
  createRun: (settings) => createServiceNowRun('servicenow', settings, readJson),
};
