// The `servicenow-xml` importer: `<unload>` XML exports, split whole into rows by unload-xml.ts.
import { isObject } from '../../common.js';
import type { Importer } from '../../types.js';
import { detectXml } from './detect.js';
import { xmlRecord } from './fields.js';
import { COMMON_LIMITATIONS, TABLES_SENTENCE } from './meta-text.js';
import { createServiceNowRun, type RecordReader } from './session.js';
import { splitUnloadXml } from './unload-xml.js';

const readXmlRow: RecordReader = (raw) => {
  if (raw.data.kind !== 'json' || !isObject(raw.data.value)) {
    return { reject: 'expected a row element of a ServiceNow XML export (see readUnloadXml)' };
  }
  const row = raw.data.value;
  // An unload written for a delete carries the deleted row; it is no evidence of a decision.
  if (row.action === 'DELETE') return { ignore: `${String(row.table_name)}.delete` };
  return xmlRecord(row);
};

export const servicenowXml: Importer = {
  meta: {
    id: 'servicenow-xml',
    family: 'ticketing',
    vendor: 'ServiceNow',
    product: 'ServiceNow ITSM (XML export)',
    expects: `XML exports (<unload> documents) of ${TABLES_SENTENCE}; stored values, UTC times.`,
    howToExport:
      'Open the list, filter it to the period, then right-click a column header > Export > XML ' +
      '(or open <table>_list.do?XML&sysparm_query=<filter>). Export each table to its own file.',
    formats: ['XML (<unload>)', 'gzip'],
    limitations: [
      ...COMMON_LIMITATIONS,
      'The XML document is read whole into memory (ServiceNow caps XML exports by row count).',
    ],
  },
  input: 'xml',
  detect: detectXml,
  splitXml: splitUnloadXml,
  createRun: (settings) => createServiceNowRun('servicenow-xml', settings, readXmlRow),
};
