// The explicit rule registry, in the order of design.md section 7. Add new rules here.
import { RuleId } from '../model/gap.js';
import { activityAfterExpiry } from './activity-after-expiry.js';
import { activityOutsideGrant } from './activity-outside-grant.js';
import { approvalAfterIssuance } from './approval-after-issuance.js';
import { approverNotAuthorized } from './approver-not-authorized.js';
import { breakGlassUnreviewed } from './break-glass-unreviewed.js';
import { clockSkew } from './clock-skew.js';
import { coverageGap } from './coverage-gap.js';
import { deniedButIssued } from './denied-but-issued.js';
import { excessiveScope } from './excessive-scope.js';
import { humanUseOfNhi } from './human-use-of-nhi.js';
import { missingApproval } from './missing-approval.js';
import { missingRequest } from './missing-request.js';
import { missingRevocationEvidence } from './missing-revocation-evidence.js';
import { neverRevoked } from './never-revoked.js';
import { nhiLongLivedCredential } from './nhi-long-lived-credential.js';
import { nhiNoOwner } from './nhi-no-owner.js';
import { retentionShortfall } from './retention-shortfall.js';
import { reviewOverdue } from './review-overdue.js';
import { selfApproval } from './self-approval.js';
import { sessionUnlogged } from './session-unlogged.js';
import { sharedAccountUse } from './shared-account-use.js';
import { sourceIntegrityUnverified } from './source-integrity-unverified.js';
import { staleApproval } from './stale-approval.js';
import { ttlExceeded } from './ttl-exceeded.js';
import { unknownEventType } from './unknown-event-type.js';
import { weakAuthOnElevation } from './weak-auth-on-elevation.js';
import type { Rule, RuleMeta } from './types.js';

const ALL: readonly Rule[] = [
  missingRequest,
  missingApproval,
  deniedButIssued,
  approvalAfterIssuance,
  selfApproval,
  approverNotAuthorized,
  staleApproval,
  ttlExceeded,
  neverRevoked,
  missingRevocationEvidence,
  activityOutsideGrant,
  activityAfterExpiry,
  sessionUnlogged,
  breakGlassUnreviewed,
  weakAuthOnElevation,
  nhiNoOwner,
  nhiLongLivedCredential,
  humanUseOfNhi,
  sharedAccountUse,
  excessiveScope,
  reviewOverdue,
  coverageGap,
  clockSkew,
  sourceIntegrityUnverified,
  retentionShortfall,
  unknownEventType,
];

function validated(rules: readonly Rule[]): readonly Rule[] {
  const ids = rules.map((r) => r.meta.id);
  const expected = RuleId.options;
  if (ids.join(',') !== expected.join(',')) {
    throw new Error(`rule registry does not match design.md section 7: ${ids.join(',')}`);
  }
  return rules;
}

/** Every rule with its check, in registry order. */
export const RULE_CHECKS: readonly Rule[] = validated(ALL);

/** Rule metadata for the `rules` command: id, title, default severity, rationale, remediation, controls. */
export const RULES: readonly RuleMeta[] = RULE_CHECKS.map((r) => r.meta);

export const DEFAULT_SEVERITIES: ReadonlyMap<string, RuleMeta['severity']> = new Map(
  RULES.map((meta) => [meta.id, meta.severity]),
);

export type { Rule, RuleContext, RuleMeta, GapDraft } from './types.js';
