// Loads the config for a command: the validated config, and the parts the import stage needs.
import path from 'node:path';
import { ConfigError, defaultConfig, loadConfig, type Config } from '../config/index.js';
import { importers } from '../importers/index.js';
import { UsageError } from './errors.js';
import type { ImportConfig } from './inputs.js';

export interface RunConfig {
  config: Config;
  importConfig: ImportConfig;
}

/** The config from `file`, or the defaults when none is given; a bad config is exit 2. */
export async function loadRunConfig(file: string | undefined): Promise<RunConfig> {
  let config: Config;
  try {
    config = file ? await loadConfig(file) : defaultConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  for (const id of Object.keys(config.importers)) {
    if (!importers.has(id)) {
      throw new UsageError(
        `${file}: importers.${id}: no importer has this id; 'dora-evidence sources' lists them`,
      );
    }
  }
  return {
    config,
    importConfig: {
      timezone: config.timezone,
      sources: config.sources.map((s) => ({ path: s.path, importer: s.importer })),
      importers: config.importers as Record<string, Record<string, unknown>>,
      baseDir: file ? path.dirname(file) : process.cwd(),
    },
  };
}
