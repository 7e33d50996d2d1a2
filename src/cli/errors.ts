// Errors that end a command with a given exit code and a message already meant for the user.

/** Exit codes of design.md section 4. */
export const EXIT = { ok: 0, finding: 1, cannotRun: 2 } as const;

/** A failure the user can fix (bad usage, unreadable input, bad config): exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.cannotRun,
  ) {
    super(message);
  }
}
