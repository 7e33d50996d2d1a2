// The effective policy after defaults, as written to policy.json (durations as ISO 8601 text).
import { RuleId, type Severity } from '../model/gap.js';
import type { Config, RuleSettingValue } from './schema.js';
import { formatIsoDuration } from './duration.js';

export interface RuleState {
  enabled: boolean;
  severity: Severity;
}

export interface EffectivePolicy {
  timezone: string | null;
  period: { since: string; until: string };
  asOf: string;
  policy: Record<string, unknown>;
  rules: Record<string, RuleState>;
  identities: number;
  targets: { id: string; critical: boolean; maxTtl: string | null; approvers: string[] | null }[];
}

/** Applies a rule's config setting over its default severity. */
export function ruleState(
  defaultSeverity: Severity,
  setting: RuleSettingValue | undefined,
): RuleState {
  if (setting === undefined) return { enabled: true, severity: defaultSeverity };
  if (setting === 'off' || setting === false) return { enabled: false, severity: defaultSeverity };
  if (typeof setting === 'string') return { enabled: true, severity: setting };
  return { enabled: setting.enabled ?? true, severity: setting.severity ?? defaultSeverity };
}

export function effectivePolicy(
  config: Config,
  defaults: ReadonlyMap<string, Severity>,
  period: { since: string; until: string },
  asOf: string,
): EffectivePolicy {
  const p = config.policy;
  const rules: Record<string, RuleState> = {};
  for (const id of RuleId.options) {
    rules[id] = ruleState(defaults.get(id) ?? 'medium', config.rules[id]);
  }
  return {
    timezone: config.timezone ?? null,
    period,
    asOf,
    policy: {
      maxTtl: formatIsoDuration(p.maxTtl),
      requireTicket: p.requireTicket,
      requireApproval: p.requireApproval,
      separationOfDuties: p.separationOfDuties,
      approvalValidity: formatIsoDuration(p.approvalValidity),
      clockSkew: formatIsoDuration(p.clockSkew),
      requireMfa: p.requireMfa,
      breakGlass: {
        markers: p.breakGlass.markers,
        reviewWithin: formatIsoDuration(p.breakGlass.reviewWithin),
      },
      coverage: {
        maxSilence: Object.fromEntries(
          Object.entries(p.coverage.maxSilence)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, v]) => [k, formatIsoDuration(v)]),
        ),
        startTolerance: formatIsoDuration(p.coverage.startTolerance),
      },
      ticketPatterns: p.ticketPatterns,
      sessionLogging: p.sessionLogging,
      review: {
        interval: formatIsoDuration(p.review.interval),
        criticalInterval: formatIsoDuration(p.review.criticalInterval),
      },
      nhiMaxCredentialAge: formatIsoDuration(p.nhiMaxCredentialAge),
      sharedAccounts: p.sharedAccounts,
      note: "maxTtl, approvalValidity, breakGlass.reviewWithin, coverage and nhiMaxCredentialAge are the firm's own policy parameters; no regulation sets them.",
    },
    rules,
    identities: config.identities.length,
    targets: config.targets.map((t) => ({
      id: t.id,
      critical: t.critical,
      maxTtl: t.maxTtl === undefined ? null : formatIsoDuration(t.maxTtl),
      approvers: t.approvers ?? null,
    })),
  };
}
