// The normalized timeline event (design.md section 3): one per source record that matters.
import { z } from 'zod';

/** Lifecycle stage of a privileged grant that an event gives evidence of. */
export const Stage = z.enum([
  'request',
  'approval',
  'denial',
  'issuance',
  'session-start',
  'activity',
  'session-end',
  'revocation',
  'expiry',
  'review',
  'context',
]);
export type Stage = z.infer<typeof Stage>;

/** What kind of party an identity is; inferred by importers, refined by config. */
export const IdentityKind = z.enum(['human', 'service', 'agent', 'unknown']);
export type IdentityKind = z.infer<typeof IdentityKind>;

/** ISO 8601 instant in UTC with exactly three fractional digits, e.g. 2026-01-02T03:04:05.678Z. */
export const UtcInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'UTC instant with milliseconds');

/** A person, workload or agent as a source names it. */
export const Identity = z.object({
  /** Canonical id: config alias match, else the normalized raw id (e-mails lower-cased). */
  id: z.string().min(1),
  /** The identifier exactly as the source record wrote it. */
  raw: z.string(),
  kind: IdentityKind,
});
export type Identity = z.infer<typeof Identity>;

/** The thing access is granted to: role, group, account, safe, secret, host or resource. */
export const Target = z.object({
  /** Canonical id: config alias match, else the source's identifier. */
  id: z.string().min(1),
  /** The identifier exactly as the source record wrote it. */
  raw: z.string(),
  /** Free-form kind as the source calls it: role, group, app, account, safe, secret, host, ... */
  kind: z.string(),
  /** Human-readable name where the source gives one (display name, role name). */
  name: z.string().optional(),
});
export type Target = z.infer<typeof Target>;

/** Where the event came from, precise enough for an auditor to find the source bytes. */
export const SourceRef = z.object({
  importer: z.string(),
  /** Input file path as given (relative to the working directory or archive member path). */
  file: z.string(),
  /** sha256 (hex) of the input file's bytes as read from disk. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** `line N` (1-based), `row N` (1-based data row, header excluded) or a JSON pointer. */
  locator: z.string(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const TimelineEvent = z.object({
  /** Stable id: hash of importer, file sha256 and locator (plus index within the record). */
  id: z.string(),
  /** When it happened, UTC with milliseconds. */
  at: UtcInstant,
  stage: Stage,
  source: SourceRef,
  /** Who performed the action (approver, admin, the user themselves). */
  actor: Identity.optional(),
  /** Who receives or uses the access. */
  subject: Identity.optional(),
  target: Target.optional(),
  /** Ticket references found in the record (keys, reasons, session tags, justifications). */
  tickets: z.array(z.string()),
  /** The source's own id for the grant: request id, lease/accessor, STS access key id, ... */
  grantKey: z.string().optional(),
  /** Session id that ties session start, activity and end together (sid, PSM session, SSM). */
  sessionId: z.string().optional(),
  /** When the granted access or credential stops working, UTC with milliseconds. */
  expiresAt: UtcInstant.optional(),
  /** Granted duration in seconds, where the source states it. */
  durationSeconds: z.number().nonnegative().optional(),
  /** True when the record marks emergency (break-glass) use. */
  breakGlass: z.boolean().optional(),
  /** Whether strong / multi-factor authentication was used, where the source says. */
  mfa: z.boolean().optional(),
  /** Free-text justification or reason carried by the record (for ticket and marker search). */
  reason: z.string().optional(),
  /** The vendor's own event name (eventName, eventType, action code + name). */
  action: z.string(),
  outcome: z.enum(['success', 'failure']),
  /** One human-readable line describing the record. */
  summary: z.string(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

/** What an importer produces: the pipeline adds id and source. */
export type EventDraft = Omit<TimelineEvent, 'id' | 'source'> & {
  /** A more precise locator inside the record (appended to the record's locator). */
  subLocator?: string;
};
