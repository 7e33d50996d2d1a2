// `build`: the main job. Until the correlator and bundle land, it imports and writes the timeline.
import { promises as fs } from 'node:fs';
import { createLogger, verbosityOf } from './log.js';
import { importFromOptions, type InputOptions } from './inputs.js';
import { loadImportConfig } from './config-input.js';

export interface BuildOptions extends InputOptions {
  out: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export async function run(paths: string[], options: BuildOptions): Promise<number> {
  const logger = createLogger(verbosityOf(options));
  const config = options.config ? await loadImportConfig(options.config) : undefined;
  const { result } = await importFromOptions(paths, options, config, logger);
  const lines = result.events.map((event) => JSON.stringify(event)).join('\n');
  await fs.writeFile('timeline.jsonl', lines.length > 0 ? `${lines}\n` : '');
  logger.info(`imported ${result.events.length} events from ${result.accounting.length} files`);
  return 0;
}
