// The config file schema (design.md section 8): zod, with defaults, durations parsed to milliseconds.
import { z } from 'zod';
import { ZoneName as Zone } from '../util/zod-types.js';
import { DEFAULT_TICKET_PATTERNS } from '../importers/common.js';
import { IdentityKind } from '../model/event.js';
import { Severity } from '../model/gap.js';
import { DURATION_EXPECTED, parseDuration } from './duration.js';

/** A duration written as text (90s, 8h, PT8H); a bare 0 is accepted, other bare numbers are not. */
export const Duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (value === 0) return 0;
  if (typeof value === 'number') {
    ctx.addIssue({
      code: 'custom',
      message: `expected ${DURATION_EXPECTED}; a bare number has no unit`,
    });
    return z.NEVER;
  }
  try {
    return parseDuration(value);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `expected ${DURATION_EXPECTED}, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
});

const DATE_OR_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** YAML may hand over a Date when a tool writes 1.1-style timestamps; keep it as ISO text. */
const DateOrTime = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString() : value))
  .refine((value) => DATE_OR_TIME.test(value) && isCalendarValid(value), {
    message: 'expected a real date (2026-01-31) or an ISO 8601 date-time (2026-01-31T12:00:00Z)',
  });

/** False for dates that do not exist (2025-02-30, 2026-13-01): they must not roll over. */
function isCalendarValid(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= last;
}

const Pattern = z.string().refine(
  (pattern) => {
    try {
      new RegExp(pattern);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a valid regular expression' },
);

const IdentityEntry = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  aliases: z.array(z.string().min(1)).default([]),
  kind: IdentityKind.optional(),
  /** Accountable person for a non-human identity (nhi-no-owner). */
  owner: z.string().min(1).optional(),
  /** A generic account several people use (shared-account-use). */
  shared: z.boolean().optional(),
});

const TargetEntry = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  aliases: z.array(z.string().min(1)).default([]),
  /** Supports a critical or important function (stricter review interval, session logging). */
  critical: z.boolean().default(false),
  maxTtl: Duration.optional(),
  /** Canonical identity ids allowed to approve access to this target. */
  approvers: z.array(z.string().min(1)).optional(),
  /** Targets whose rights this one contains (excessive-scope: granted X when Y was requested). */
  includes: z.array(z.string().min(1)).default([]),
  /** Every use of this target is emergency access. */
  breakGlass: z.boolean().default(false),
});

const Policy = z.strictObject({
  maxTtl: Duration.default(8 * 3_600_000),
  requireTicket: z.boolean().default(true),
  requireApproval: z.boolean().default(true),
  separationOfDuties: z.boolean().default(true),
  approvalValidity: Duration.default(24 * 3_600_000),
  clockSkew: Duration.default(2 * 60_000),
  requireMfa: z.boolean().default(true),
  breakGlass: z
    .strictObject({
      markers: z.array(z.string().min(1)).default(['break-glass', 'emergency']),
      reviewWithin: Duration.default(72 * 3_600_000),
    })
    .prefault({}),
  coverage: z
    .strictObject({
      /** Longest tolerated silence per importer id (coverage-gap). */
      maxSilence: z.record(z.string(), Duration).default({}),
      /** How late a source may start after the period begins (retention-shortfall). */
      startTolerance: Duration.default(24 * 3_600_000),
    })
    .prefault({}),
  ticketPatterns: z.array(Pattern).default([...DEFAULT_TICKET_PATTERNS]),
  /** Which grants must show a session or activity record (session-unlogged). */
  sessionLogging: z.enum(['critical', 'all']).default('critical'),
  review: z
    .strictObject({
      /** Periodic access review interval (RTS 2024/1774 Art. 21(e)(iv): at least yearly). */
      interval: Duration.default(365 * 86_400_000),
      /** For critical targets (Art. 21(e)(iv): at least every 6 months). */
      criticalInterval: Duration.default(182 * 86_400_000),
    })
    .prefault({}),
  /** Longest acceptable lifetime of a non-human identity's credential (firm policy). */
  nhiMaxCredentialAge: Duration.default(90 * 86_400_000),
  /** Account names that are generic by nature, matched case-insensitively. */
  sharedAccounts: z.array(z.string().min(1)).default(['root', 'administrator', 'admin']),
});

const RuleSetting = z.union([
  z.literal('off'),
  z.literal(false),
  Severity,
  z.strictObject({ severity: Severity.optional(), enabled: z.boolean().optional() }),
]);

const Source = z.strictObject({
  path: z.string().min(1),
  importer: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'expected an importer id such as aws-cloudtrail')
    .optional(),
});

export const ConfigSchema = z.strictObject({
  period: z.strictObject({ since: DateOrTime.optional(), until: DateOrTime.optional() }).optional(),
  timezone: Zone.optional(),
  sources: z.array(Source).default([]),
  identities: z.array(IdentityEntry).default([]),
  targets: z.array(TargetEntry).default([]),
  policy: Policy.prefault({}),
  rules: z.record(z.string(), RuleSetting).default({}),
  importers: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type Policy = Config['policy'];
export type IdentityConfig = Config['identities'][number];
export type TargetConfig = Config['targets'][number];
export type RuleSettingValue = z.output<typeof RuleSetting>;
