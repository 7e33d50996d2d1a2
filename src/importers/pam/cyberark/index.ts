// The CyberArk importers: `cyberark` (syslog/JSON/CEF lines) and `cyberark-csv` (Sentinel CSV).
export { cyberarkLines } from './lines-importer.js';
export { cyberarkCsv } from './csv-importer.js';
