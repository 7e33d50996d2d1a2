// A correlated grant (design.md section 6): one privileged access lifecycle, with explained links.
import { z } from 'zod';
import { IdentityKind, UtcInstant } from './event.js';

/** Why an event was attached to a grant; counted per reason in the summary. */
export const LinkReason = z.string().min(1);

export const GrantSession = z.object({
  /** Session start, UTC ms; null when only activity or an end was seen. */
  start: UtcInstant.nullable(),
  end: UtcInstant.nullable(),
  /** Number of activity events attributed to this session. */
  activityCount: z.number().int().nonnegative(),
  sessionId: z.string().nullable().optional(),
  firstActivityAt: UtcInstant.nullable().optional(),
  lastActivityAt: UtcInstant.nullable().optional(),
  /** Distinct vendor action names seen in the session, sorted, capped. */
  actions: z.array(z.string()).optional(),
  /** Event ids of the start/end records (activity is summarized, not listed). */
  eventIds: z.array(z.string()).optional(),
  /** Activity records attributed to this session, counted by link reason (each has one). */
  linkReasons: z.record(z.string(), z.number().int().nonnegative()).optional(),
});
export type GrantSession = z.infer<typeof GrantSession>;

export const Grant = z.object({
  id: z.string(),
  subject: z.object({ id: z.string(), kind: IdentityKind }),
  target: z.object({ id: z.string(), name: z.string() }),
  requestedAt: UtcInstant.nullable(),
  approvals: z.array(z.object({ by: z.string(), at: UtcInstant })),
  denials: z.array(z.object({ by: z.string(), at: UtcInstant })),
  issuedAt: UtcInstant.nullable(),
  expiresAt: UtcInstant.nullable(),
  endedAt: UtcInstant.nullable(),
  endReason: z.enum(['revoked', 'expired', 'open']),
  sessions: z.array(GrantSession),
  tickets: z.array(z.string()),
  breakGlass: z.boolean(),
  eventIds: z.array(z.string()),
  links: z.array(z.object({ eventId: z.string(), reason: LinkReason })),
  gapIds: z.array(z.string()),
});
export type Grant = z.infer<typeof Grant>;

export const GrantsFile = z.object({ grants: z.array(Grant) });
