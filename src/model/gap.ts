// A gap finding (design.md sections 6 and 7): a rule broken, with its evidence and control refs.
import { z } from 'zod';
import { UtcInstant } from './event.js';

/** The fixed rule ids of design.md section 7. */
export const RuleId = z.enum([
  'missing-request',
  'missing-approval',
  'denied-but-issued',
  'approval-after-issuance',
  'self-approval',
  'approver-not-authorized',
  'stale-approval',
  'ttl-exceeded',
  'never-revoked',
  'missing-revocation-evidence',
  'activity-outside-grant',
  'activity-after-expiry',
  'session-unlogged',
  'break-glass-unreviewed',
  'weak-auth-on-elevation',
  'nhi-no-owner',
  'nhi-long-lived-credential',
  'human-use-of-nhi',
  'shared-account-use',
  'excessive-scope',
  'review-overdue',
  'coverage-gap',
  'clock-skew',
  'source-integrity-unverified',
  'retention-shortfall',
  'unknown-event-type',
]);
export type RuleId = z.infer<typeof RuleId>;

export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** Severities in ascending order, for --fail-on comparisons. */
export const SEVERITY_ORDER: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** Control references per framework, as cited in control-references.md. */
export const Controls = z.object({
  dora: z.array(z.string()),
  rts2024_1774: z.array(z.string()),
  owaspNhi2025: z.array(z.string()),
  nistCsf2: z.array(z.string()),
  iso27001_2022: z.array(z.string()),
  nist80053r5: z.array(z.string()),
});
export type Controls = z.infer<typeof Controls>;

export const Gap = z.object({
  id: z.string(),
  rule: RuleId,
  severity: Severity,
  /** Grant id, or null for source-level gaps (coverage-gap, clock-skew, integrity, ...). */
  grantId: z.string().nullable(),
  /** Canonical subject id, or null when the gap concerns a source rather than a person. */
  subject: z.string().nullable(),
  target: z.string().nullable(),
  /** When the gap arose (UTC ms). */
  at: UtcInstant,
  /** The facts: times, people, target, and the policy value broken (firm policy vs law). */
  message: z.string(),
  /** Event ids the finding rests on. */
  evidence: z.array(z.string()),
  controls: Controls,
  /** Whether the sources that would hold the missing evidence covered that time. */
  coverage: z.enum(['covered', 'partial', 'not-covered']),
  /** Uncertain when the finding rests on a comparison inside the clock-skew band. */
  certainty: z.enum(['certain', 'uncertain']),
  /** Present with --baseline. */
  baseline: z.enum(['new', 'persisting']).optional(),
});
export type Gap = z.infer<typeof Gap>;

export const GapsFile = z.object({ gaps: z.array(Gap) });
