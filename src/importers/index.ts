// The explicit registry of importers, sorted by id. Add new importers here, in order.
import { awsCloudTrail } from './cloud/aws-cloudtrail/index.js';
import { azureActivityImporter } from './cloud/azure-activity/index.js';
import { gcpAuditImporter } from './cloud/gcp-audit/index.js';
import { csvMapped } from './generic/csv-mapped/index.js';
import { entraIdCsvImporter, entraIdImporter } from './idp/entra-id/index.js';
import { okta } from './idp/okta/index.js';
import { beyondtrust } from './pam/beyondtrust/index.js';
import { cyberarkCsv, cyberarkLines } from './pam/cyberark/index.js';
import { delineaJson, delineaLines } from './pam/delinea/index.js';
import { teleport } from './pam/teleport/index.js';
import { vault } from './pam/vault/index.js';
import { jira, jiraCsv, jiraXml } from './ticketing/jira/index.js';
import { servicenowCsv, servicenowJson, servicenowXml } from './ticketing/servicenow/index.js';
import { ImporterMeta, type Importer } from './types.js';

const IMPORTERS: readonly Importer[] = [
  awsCloudTrail,
  azureActivityImporter,
  beyondtrust,
  csvMapped,
  cyberarkLines,
  cyberarkCsv,
  delineaLines,
  delineaJson,
  entraIdImporter,
  entraIdCsvImporter,
  gcpAuditImporter,
  jira,
  jiraCsv,
  jiraXml,
  okta,
  servicenowJson,
  servicenowCsv,
  servicenowXml,
  teleport,
  vault,
];

function validated(importers: readonly Importer[]): ReadonlyMap<string, Importer> {
  const map = new Map<string, Importer>();
  for (const importer of importers) {
    ImporterMeta.parse(importer.meta);
    if (map.has(importer.meta.id)) throw new Error(`duplicate importer id ${importer.meta.id}`);
    map.set(importer.meta.id, importer);
  }
  const ids = [...map.keys()];
  const sorted = [...ids].sort();
  if (ids.join(',') !== sorted.join(',')) throw new Error('importer registry is not sorted by id');
  return map;
}

export const importers: ReadonlyMap<string, Importer> = validated(IMPORTERS);

export function getImporter(id: string): Importer | undefined {
  return importers.get(id);
}
