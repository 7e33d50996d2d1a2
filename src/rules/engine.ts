// Runs the enabled rules and turns their drafts into gaps: ids, severity, controls, coverage.
import { ruleState } from '../config/effective.js';
import { SEVERITY_ORDER, type Gap, type Severity } from '../model/gap.js';
import { stableId } from '../util/hash.js';
import { flatString } from '../util/flat-string.js';
import { toUtcIso } from '../util/time.js';
import { RULE_CHECKS } from './index.js';
import type { GapDraft, Rule, RuleContext } from './types.js';

export interface RuleRun {
  gaps: Gap[];
  /** Gap ids per grant id, in gap order. */
  gapIdsByGrant: Map<string, string[]>;
}

export function runRules(context: RuleContext, rules: readonly Rule[] = RULE_CHECKS): RuleRun {
  const byId = new Map<string, Gap>();
  for (const rule of rules) {
    const state = ruleState(rule.meta.severity, context.config.rules[rule.meta.id]);
    if (!state.enabled) continue;
    for (const draft of rule.check(context)) {
      const gap = toGap(rule, draft, state.severity, context);
      byId.set(gap.id, gap);
    }
  }

  const gaps = [...byId.values()].sort(
    (a, b) =>
      cmp(a.at, b.at) ||
      cmp(a.rule, b.rule) ||
      cmp(a.grantId ?? '', b.grantId ?? '') ||
      cmp(a.id, b.id),
  );
  const gapIdsByGrant = new Map<string, string[]>();
  for (const gap of gaps) {
    if (!gap.grantId) continue;
    const list = gapIdsByGrant.get(gap.grantId) ?? [];
    list.push(gap.id);
    gapIdsByGrant.set(gap.grantId, list);
  }
  return { gaps, gapIdsByGrant };
}

function toGap(rule: Rule, draft: GapDraft, configured: Severity, context: RuleContext): Gap {
  const subject = draft.subject !== undefined ? draft.subject : (draft.grant?.subject.id ?? null);
  const target = draft.target !== undefined ? draft.target : (draft.grant?.target.id ?? null);
  const evidence = [...new Set(draft.evidence)];
  const [from, to] = draft.window ?? [draft.atMs, draft.atMs];
  const coverage = draft.coverage ?? context.coverage.of(rule.meta.evidenceFamilies, from, to);
  const at = toUtcIso(draft.atMs);
  const grantId = draft.grant?.id ?? null;
  return {
    id: stableId(
      'gap',
      rule.meta.id,
      grantId ?? '',
      subject ?? '',
      target ?? '',
      at,
      draft.message,
      ...evidence,
    ),
    rule: rule.meta.id,
    severity: atLeast(configured, draft.severityAtLeast),
    grantId,
    subject,
    target,
    at,
    message: flatString(draft.message),
    evidence,
    controls: rule.meta.controls,
    coverage,
    certainty: draft.certainty ?? 'certain',
  };
}

function atLeast(severity: Severity, floor: Severity | undefined): Severity {
  if (!floor) return severity;
  return SEVERITY_ORDER.indexOf(floor) > SEVERITY_ORDER.indexOf(severity) ? floor : severity;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
