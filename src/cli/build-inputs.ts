// Turns the import result into the bundle's input list: one entry per file on disk.
import { createReadStream, statSync } from 'node:fs';
import { sha256OfStream } from '../util/hash.js';
import type { BundleInputFile } from '../export/bundle.js';
import type { ImportResult } from '../pipeline/import.js';

/**
 * Files on disk are listed as read. Members of one ZIP archive become one entry for the archive
 * (its bytes are what sources/ can hold byte for byte), with the members' counts added up.
 */
export async function bundleInputs(result: ImportResult): Promise<BundleInputFile[]> {
  const accounting = new Map(result.accounting.map((a) => [a.file, a]));
  const entries = new Map<string, BundleInputFile & { importers: Set<string> }>();

  for (const input of result.inputs) {
    const file = input.file;
    const account = accounting.get(file.displayPath);
    const name = file.archive ?? file.displayPath;
    let entry = entries.get(name);
    if (!entry) {
      const sha256 = file.archive
        ? await sha256OfStream(createReadStream(file.diskPath))
        : input.sha256;
      const size = file.archive ? statSync(file.diskPath).size : file.size;
      entry = {
        name,
        path: file.diskPath,
        sha256,
        size,
        importer: null,
        counts: { read: 0, normalized: 0, ignored: 0, rejected: 0 },
        coverage: { from: null, to: null },
        importers: new Set(),
      };
      entries.set(name, entry);
    }
    if (input.importer) entry.importers.add(input.importer);
    if (account) {
      entry.counts.read += account.read;
      entry.counts.normalized += account.normalized;
      entry.counts.ignored += account.ignored;
      entry.counts.rejected += account.rejected;
      const { from, to } = account.coverage;
      if (from && (!entry.coverage.from || from < entry.coverage.from)) entry.coverage.from = from;
      if (to && (!entry.coverage.to || to > entry.coverage.to)) entry.coverage.to = to;
    }
  }

  return [...entries.values()].map(({ importers, ...entry }) => ({
    ...entry,
    importer: importers.size > 0 ? [...importers].sort().join(',') : null,
  }));
}
