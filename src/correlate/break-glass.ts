// Break-glass marking: the source's own flag, a target declared emergency-only, or a policy
// marker in a reason, ticket, target name or ticket summary.
import type { Config } from '../config/schema.js';
import type { Resolver } from '../resolve/resolver.js';
import { familyOf } from './families.js';
import type { WorkGrant } from './types.js';

// Markers match across spelling variants: "Break Glass", "break_glass" and "BreakGlass" alike.
function squash(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}

export function markBreakGlass(
  grants: readonly WorkGrant[],
  config: Config,
  resolver: Resolver,
): void {
  const markers = config.policy.breakGlass.markers.map((m) => ({ marker: m, squashed: squash(m) }));
  const found = (text: string | undefined) => {
    if (!text) return undefined;
    const squashed = squash(text);
    return markers.find((m) => squashed.includes(m.squashed))?.marker;
  };

  for (const grant of grants) {
    const why = new Set<string>();
    if (resolver.targetConfig(grant.target.id)?.breakGlass)
      why.add(`target ${grant.target.id} is emergency-only in the config`);
    for (const text of [grant.target.id, grant.target.raw, grant.target.name]) {
      const marker = found(text);
      if (marker) why.add(`target name carries the marker "${marker}"`);
    }
    for (const ticket of grant.tickets) {
      const marker = found(ticket);
      if (marker) why.add(`ticket ${ticket} carries the marker "${marker}"`);
    }
    for (const event of grant.linkedEvents.values()) {
      if (event.breakGlass)
        why.add(`${event.source.importer} marks ${event.action} at ${event.at} as emergency use`);
      const marker = found(event.reason);
      if (marker)
        why.add(`the reason of ${event.action} at ${event.at} carries the marker "${marker}"`);
      if (familyOf(event.source.importer) === 'ticketing') {
        const inSummary = found(event.summary);
        if (inSummary)
          why.add(`ticket record ${event.action} at ${event.at} carries the marker "${inSummary}"`);
      }
    }
    grant.breakGlass = why.size > 0;
    grant.breakGlassWhy = [...why].sort();
  }
}
