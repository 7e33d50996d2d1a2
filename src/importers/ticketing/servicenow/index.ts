// The ServiceNow importers: one per export form, sharing one normalization core.
export { servicenowCsv } from './csv.js';
export { servicenowJson } from './json.js';
export { readUnloadXml } from './unload-xml.js';
export { servicenowXml } from './xml.js';
