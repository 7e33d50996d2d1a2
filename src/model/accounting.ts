// Per-file accounting (design.md section 6): read = normalized + ignored + rejected, always.
import { z } from 'zod';
import { UtcInstant } from './event.js';

export const RejectedRecord = z.object({
  file: z.string(),
  locator: z.string(),
  reason: z.string(),
});
export type RejectedRecord = z.infer<typeof RejectedRecord>;

export const FileAccounting = z.object({
  file: z.string(),
  sha256: z.string(),
  /** Size in bytes of the file as stored (compressed size for .gz). */
  size: z.number().int().nonnegative(),
  /** Importer id, or null when no importer recognized the file. */
  importer: z.string().nullable(),
  read: z.number().int().nonnegative(),
  normalized: z.number().int().nonnegative(),
  ignored: z.number().int().nonnegative(),
  /** Ignored records counted by event kind (vendor event name or a reason such as duplicate). */
  ignoredByKind: z.record(z.string(), z.number().int()),
  rejected: z.number().int().nonnegative(),
  /** Earliest and latest event time among the normalized events, UTC; null when none. */
  coverage: z.object({ from: UtcInstant.nullable(), to: UtcInstant.nullable() }),
  /** How the importer was chosen: detected (with score), forced by --source or config. */
  detection: z.string().optional(),
  /** Source-integrity status, where the format allows checking it. */
  integrity: z.enum(['verified', 'unverified', 'failed']).optional(),
  /** Why nothing could be read from the file, when it was refused as a whole. */
  error: z.string().optional(),
});
export type FileAccounting = z.infer<typeof FileAccounting>;

export const Accounting = z.object({ files: z.array(FileAccounting) });
export type Accounting = z.infer<typeof Accounting>;

/**
 * Where a file's first ignored record of a kind is: `ignoredByKind` only counts them, and a gap
 * about ignored records points the reader at one. Kept beside the accounting, not in it.
 */
export interface FirstIgnored {
  file: string;
  kind: string;
  locator: string;
}
