// Logging to stderr with --quiet / --verbose; stdout is kept for output that was asked for.

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** A progress line, shown only on a terminal and never with --quiet; overwritten in place. */
  progress(message: string): void;
  /** Ends a progress line so later messages start on a fresh line. */
  clearProgress(): void;
}

export function createLogger(
  verbosity: Verbosity,
  stream: NodeJS.WriteStream = process.stderr,
): Logger {
  const showProgress = verbosity !== 'quiet' && stream.isTTY === true;
  let progressShown = false;
  const write = (line: string) => {
    if (progressShown) {
      stream.write('\r\x1b[2K');
      progressShown = false;
    }
    stream.write(`${line}\n`);
  };
  return {
    info: (message) => verbosity !== 'quiet' && write(message),
    warn: (message) => verbosity !== 'quiet' && write(`warning: ${message}`),
    error: (message) => write(`error: ${message}`),
    debug: (message) => verbosity === 'verbose' && write(message),
    progress: (message) => {
      if (!showProgress) return;
      stream.write(`\r\x1b[2K${message}`);
      progressShown = true;
    },
    clearProgress: () => {
      if (progressShown) stream.write('\r\x1b[2K');
      progressShown = false;
    },
  };
}

export function verbosityOf(options: { quiet?: boolean; verbose?: boolean }): Verbosity {
  if (options.quiet) return 'quiet';
  return options.verbose ? 'verbose' : 'normal';
}
