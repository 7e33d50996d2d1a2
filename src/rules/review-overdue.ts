// review-overdue: a granted or critical target without an access review in the review interval.
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { at, span } from './words.js';

export const reviewOverdue: Rule = {
  meta: defineMeta({
    id: 'review-overdue',
    title: 'Periodic access review missing or late',
    severity: 'medium',
    rationale:
      'Access rights are to be reviewed at least yearly, and at least every six months for systems ' +
      'supporting critical or important functions (RTS 2024/1774 Art. 21(e)(iv)).',
    remediation:
      'Run and export the access review (IdP certification, ticketed review) for the target.',
    evidenceFamilies: ['idp', 'ticketing', 'pam', 'generic'],
    policyParameters: [
      'policy.review.interval',
      'policy.review.criticalInterval',
      'targets[].critical',
    ],
    limitations: [
      'A review counts when a review-stage record names the target (after alias resolution).',
    ],
  }),
  check({ grants, correlation, config, policy, asOfMs, sinceMs }) {
    const targets = new Set(grants.map((g) => g.target.id));
    for (const target of config.targets) if (target.critical) targets.add(target.id);
    const critical = new Set(config.targets.filter((t) => t.critical).map((t) => t.id));

    const gaps: GapDraft[] = [];
    for (const target of [...targets].sort()) {
      const interval = critical.has(target)
        ? policy.review.criticalInterval
        : policy.review.interval;
      const which = critical.has(target)
        ? 'policy.review.criticalInterval'
        : 'policy.review.interval';
      const reviews = (correlation.reviewsByTarget.get(target) ?? []).filter((r) => r.ms <= asOfMs);
      const last = reviews[reviews.length - 1];
      if (last && asOfMs - last.ms <= interval) continue;
      gaps.push({
        grant: null,
        subject: null,
        target,
        atMs: last ? last.ms + interval : Math.max(sinceMs, asOfMs - interval),
        window: [asOfMs - interval, asOfMs],
        evidence: last ? [last.eventId] : [],
        message: last
          ? `The last access review of ${target} is at ${at(last.ms)}, ${span(asOfMs - last.ms)} before as-of; ${which} is ${span(interval)}.`
          : `No access review record for ${target} in the ${span(interval)} before as-of ${at(asOfMs)} (${which}).`,
      });
    }
    return gaps;
  },
};
