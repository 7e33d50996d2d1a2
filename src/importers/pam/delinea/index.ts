// The Delinea Secret Server importers: `delinea` (syslog/CEF lines) and `delinea-json`.
export { delineaJson, delineaLines } from './importers.js';
