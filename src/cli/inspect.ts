// `inspect`: detection, accounting and time coverage per input file; writes nothing.
import { createLogger, verbosityOf } from './log.js';
import { importFromOptions, type InputOptions } from './inputs.js';
import { loadRunConfig } from './config-input.js';

export interface InspectOptions extends InputOptions {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export async function run(paths: string[], options: InspectOptions): Promise<number> {
  const logger = createLogger(verbosityOf(options));
  const { importConfig } = await loadRunConfig(options.config);
  const { result } = await importFromOptions(paths, options, importConfig, logger);

  if (options.json) {
    const output = {
      files: result.accounting,
      notes: result.notes,
      unrecognized: result.unrecognized,
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  }

  for (const file of result.accounting) {
    const importer = file.importer ?? 'UNRECOGNIZED';
    const counts = `read ${file.read} = normalized ${file.normalized} + ignored ${file.ignored} + rejected ${file.rejected}`;
    const coverage = file.coverage.from
      ? `${file.coverage.from} .. ${file.coverage.to}`
      : 'no events';
    process.stdout.write(`${file.file}\n  ${importer}: ${counts}\n  coverage: ${coverage}\n`);
    if (file.error) process.stdout.write(`  ${file.error}\n`);
  }
  for (const rejected of result.rejected.slice(0, 20)) {
    process.stdout.write(`rejected ${rejected.file} ${rejected.locator}: ${rejected.reason}\n`);
  }
  if (result.rejected.length > 20)
    process.stdout.write(`... and ${result.rejected.length - 20} more rejected records\n`);
  for (const note of result.notes)
    process.stdout.write(`note ${note.kind} ${note.file}: ${note.message}\n`);
  return 0;
}
