// `sources`: lists the importers with their metadata, as text or JSON.
import { importers } from '../importers/index.js';

export interface SourcesOptions {
  json?: boolean;
}

export async function run(options: SourcesOptions): Promise<number> {
  const list = [...importers.values()].map((importer) => ({
    ...importer.meta,
    input: importer.input,
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ importers: list }, null, 2)}\n`);
    return 0;
  }
  for (const meta of list) {
    process.stdout.write(`${meta.id}  (${meta.family}: ${meta.vendor} ${meta.product})\n`);
    process.stdout.write(`  expects: ${meta.expects}\n`);
    process.stdout.write(`  export:  ${meta.howToExport}\n`);
    process.stdout.write(`  formats: ${meta.formats.join(', ')}\n`);
    for (const limitation of meta.limitations)
      process.stdout.write(`  limitation: ${limitation}\n`);
    process.stdout.write('\n');
  }
  return 0;
}
