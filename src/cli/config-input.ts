// Reads the parts of the config file that the import stage needs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { isObject } from '../importers/common.js';
import { UsageError } from './errors.js';
import type { ImportConfig } from './inputs.js';

export async function loadImportConfig(file: string): Promise<ImportConfig> {
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${file}: cannot read config: ${error.code ?? error.message}`);
  });
  let value: unknown;
  try {
    value = YAML.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: config is not valid YAML or JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new UsageError(`${file}: config must be a mapping`);

  const sources = Array.isArray(value.sources) ? value.sources : [];
  return {
    timezone: typeof value.timezone === 'string' ? value.timezone : undefined,
    sources: sources.filter(isObject).map((s) => ({ path: String(s.path), importer: s.importer ? String(s.importer) : undefined })),
    importers: isObject(value.importers) ? (value.importers as Record<string, Record<string, unknown>>) : {},
    baseDir: path.dirname(file),
  };
}
