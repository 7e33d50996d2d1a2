// The explicit registry of importers, sorted by id. Add new importers here, in order.
import { azureActivityImporter } from './cloud/azure-activity/index.js';
import { gcpAuditImporter } from './cloud/gcp-audit/index.js';
import { entraIdCsvImporter, entraIdImporter } from './idp/entra-id/index.js';
import { ImporterMeta, type Importer } from './types.js';

const IMPORTERS: readonly Importer[] = [
  // importers are added here, sorted by id
  azureActivityImporter,
  entraIdImporter,
  entraIdCsvImporter,
  gcpAuditImporter,
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
