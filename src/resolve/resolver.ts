// Resolves every identity and target on the timeline to canonical ids: config aliases first.
import type { Config, IdentityConfig, TargetConfig } from '../config/schema.js';
import type { Identity, IdentityKind, Target, TimelineEvent } from '../model/event.js';
import { identityForms, targetForms } from './forms.js';

export interface ResolvedIdentity {
  id: string;
  kind: IdentityKind;
  /** The config entry the id came from; undefined when no alias matched. */
  config?: IdentityConfig;
}

export interface ResolveResult {
  events: TimelineEvent[];
  /** Normalized ids that matched no config identity, sorted. */
  unresolvedIdentities: string[];
  unresolvedTargets: string[];
}

export class Resolver {
  private readonly identityIndex = new Map<string, IdentityConfig>();
  private readonly targetIndex = new Map<string, TargetConfig>();
  private readonly identityCache = new Map<string, Identity>();
  private readonly targetCache = new Map<string, Target>();
  /** The last identity resolved and its answer: calls come in runs from one caller. */
  private lastIdentity: {
    raw: string;
    id: string;
    kind: IdentityKind;
    importer: string;
    result: Identity;
  } | null = null;
  readonly identitiesById = new Map<string, IdentityConfig>();
  readonly targetsById = new Map<string, TargetConfig>();
  private readonly unresolvedIdentities = new Set<string>();
  private readonly unresolvedTargets = new Set<string>();

  constructor(config: Config) {
    for (const entry of config.identities) {
      this.identitiesById.set(entry.id, entry);
      for (const name of [entry.id, ...entry.aliases]) this.identityIndex.set(key(name), entry);
    }
    for (const entry of config.targets) {
      this.targetsById.set(entry.id, entry);
      for (const name of [entry.id, ...entry.aliases]) this.targetIndex.set(key(name), entry);
    }
  }

  /** Resolves all events; events whose parties are already canonical are returned unchanged. */
  resolveAll(events: readonly TimelineEvent[]): ResolveResult {
    const resolved = events.map((event) => this.resolveEvent(event));
    return {
      events: resolved,
      unresolvedIdentities: [...this.unresolvedIdentities].sort(),
      unresolvedTargets: [...this.unresolvedTargets].sort(),
    };
  }

  resolveEvent(event: TimelineEvent): TimelineEvent {
    const importer = event.source.importer;
    const actor = event.actor && this.identity(event.actor, importer);
    // Activity often names one object as actor and subject: resolve it once.
    const subject =
      event.subject && event.subject === event.actor
        ? actor
        : event.subject && this.identity(event.subject, importer);
    const target = event.target && this.target(event.target, importer);
    if (actor === event.actor && subject === event.subject && target === event.target) return event;
    return { ...event, actor, subject, target };
  }

  identity(identity: Identity, importer: string): Identity {
    // Calls come in runs from one caller: the last answer is checked before building a key.
    const last = this.lastIdentity;
    if (
      last !== null &&
      last.raw === identity.raw &&
      last.id === identity.id &&
      last.kind === identity.kind &&
      last.importer === importer
    ) {
      return last.result.id === identity.id && last.result.kind === identity.kind
        ? identity
        : last.result;
    }
    const result = this.identityUncached(identity, importer);
    this.lastIdentity = {
      raw: identity.raw,
      id: identity.id,
      kind: identity.kind,
      importer,
      result,
    };
    return result;
  }

  private identityUncached(identity: Identity, importer: string): Identity {
    const cacheKey = `${importer}\u0000${identity.raw}\u0000${identity.id}\u0000${identity.kind}`;
    const cached = this.identityCache.get(cacheKey);
    if (cached) return cached;

    const forms = identityForms(identity.raw, identity.id, importer);
    const entry = forms.candidates
      .map((c) => this.identityIndex.get(key(c)))
      .find((e) => e !== undefined);
    let result: Identity;
    if (entry) {
      result = { id: entry.id, raw: identity.raw, kind: entry.kind ?? identity.kind };
    } else {
      this.unresolvedIdentities.add(forms.normalized);
      result = { id: forms.normalized, raw: identity.raw, kind: identity.kind };
    }
    // Keep the original object when nothing changed, so unchanged events are not copied.
    if (result.id === identity.id && result.kind === identity.kind) result = identity;
    this.identityCache.set(cacheKey, result);
    return result;
  }

  target(target: Target, importer: string): Target {
    const cacheKey = `${importer}\u0000${target.raw}\u0000${target.id}\u0000${target.name ?? ''}`;
    const cached = this.targetCache.get(cacheKey);
    if (cached) return cached;

    const forms = targetForms(target, importer);
    const entry = forms.candidates
      .map((c) => this.targetIndex.get(key(c)))
      .find((e) => e !== undefined);
    let result: Target;
    if (entry) {
      result = { ...target, id: entry.id, name: entry.name ?? target.name };
    } else {
      this.unresolvedTargets.add(forms.normalized);
      result = forms.normalized === target.id ? target : { ...target, id: forms.normalized };
    }
    if (result.id === target.id && result.name === target.name) result = target;
    this.targetCache.set(cacheKey, result);
    return result;
  }

  /**
   * Adds to `found` (made when null) the ids of a resolved event's parties that matched no
   * config entry; `found` unchanged when there are none.
   */
  unresolvedIn(
    event: TimelineEvent,
    found: { identities: string[]; targets: string[] } | null,
  ): { identities: string[]; targets: string[] } | null {
    const identities = [event.actor?.id, event.subject?.id].filter(
      (id): id is string => id !== undefined && this.unresolvedIdentities.has(id),
    );
    const target = event.target?.id;
    const targets = target !== undefined && this.unresolvedTargets.has(target) ? [target] : [];
    if (identities.length === 0 && targets.length === 0) return found;
    const into = found ?? { identities: [], targets: [] };
    for (const id of identities) if (!into.identities.includes(id)) into.identities.push(id);
    for (const id of targets) if (!into.targets.includes(id)) into.targets.push(id);
    return into;
  }

  /** Ids another resolver (a worker thread's) found unresolved on records kept here. */
  absorbUnresolved(unresolved: { identities: string[]; targets: string[] }): void {
    for (const id of unresolved.identities) this.unresolvedIdentities.add(id);
    for (const id of unresolved.targets) this.unresolvedTargets.add(id);
  }

  /** Config entry of a canonical identity id, if the config names it. */
  identityConfig(id: string): IdentityConfig | undefined {
    return this.identitiesById.get(id);
  }

  targetConfig(id: string): TargetConfig | undefined {
    return this.targetsById.get(id);
  }
}

// Aliases match case-insensitively: ASMITH, asmith and BANK\asmith's user part are one person.
function key(name: string): string {
  return name.trim().toLowerCase();
}
