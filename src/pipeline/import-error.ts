// The import stage's error for what the user must fix (exit 2), not a crash.
export class ImportError extends Error {}
