// Test helpers: small factories for TimelineEvents, accounting, and a one-call analysis run.
import { analyze, type AnalyzeResult } from '../../src/analyze.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { SourceNote } from '../../src/importers/types.js';
import type { FileAccounting, FirstIgnored } from '../../src/model/accounting.js';
import type { IdentityKind, Stage, TimelineEvent } from '../../src/model/event.js';
import { stableId } from '../../src/util/hash.js';
import { toUtcIso } from '../../src/util/time.js';

export interface EventSpec {
  at: string;
  stage: Stage;
  importer?: string;
  actor?: string;
  actorKind?: IdentityKind;
  subject?: string;
  subjectKind?: IdentityKind;
  target?: string;
  targetName?: string;
  tickets?: string[];
  grantKey?: string;
  sessionId?: string;
  expiresAt?: string;
  durationSeconds?: number;
  breakGlass?: boolean;
  mfa?: boolean;
  reason?: string;
  action?: string;
  outcome?: 'success' | 'failure';
}

const DEFAULT_ACTION: Record<Stage, string> = {
  request: 'jira:issue_created',
  approval: 'status:Approved',
  denial: 'status:Declined',
  issuance: 'group.user_membership.add',
  'session-start': 'session.start',
  activity: 'ListBuckets',
  'session-end': 'session.end',
  revocation: 'group.user_membership.remove',
  expiry: 'expired',
  review: 'review',
  context: 'context',
};

export const iso = (text: string): string => toUtcIso(Date.parse(text));

/** Builds a timeline; events are named so tests can refer to them (and to the grants they open). */
export class Timeline {
  private readonly byName = new Map<string, TimelineEvent>();
  private readonly list: TimelineEvent[] = [];

  add(name: string, spec: EventSpec): TimelineEvent {
    const importer = spec.importer ?? 'okta';
    const at = iso(spec.at);
    const event: TimelineEvent = {
      id: stableId('ev', importer, name),
      at,
      stage: spec.stage,
      source: { importer, file: `${importer}.json`, sha256: '0'.repeat(64), locator: `/${name}` },
      ...(spec.actor
        ? { actor: { id: norm(spec.actor), raw: spec.actor, kind: spec.actorKind ?? 'human' } }
        : {}),
      ...(spec.subject
        ? {
            subject: {
              id: norm(spec.subject),
              raw: spec.subject,
              kind: spec.subjectKind ?? 'human',
            },
          }
        : {}),
      ...(spec.target
        ? {
            target: {
              id: spec.target,
              raw: spec.target,
              kind: 'role',
              ...(spec.targetName ? { name: spec.targetName } : {}),
            },
          }
        : {}),
      tickets: spec.tickets ?? [],
      ...(spec.grantKey ? { grantKey: spec.grantKey } : {}),
      ...(spec.sessionId ? { sessionId: spec.sessionId } : {}),
      ...(spec.expiresAt ? { expiresAt: iso(spec.expiresAt) } : {}),
      ...(spec.durationSeconds !== undefined ? { durationSeconds: spec.durationSeconds } : {}),
      ...(spec.breakGlass !== undefined ? { breakGlass: spec.breakGlass } : {}),
      ...(spec.mfa !== undefined ? { mfa: spec.mfa } : {}),
      ...(spec.reason ? { reason: spec.reason } : {}),
      action: spec.action ?? DEFAULT_ACTION[spec.stage],
      outcome: spec.outcome ?? 'success',
      summary: `${name}`,
    };
    this.byName.set(name, event);
    this.list.push(event);
    return event;
  }

  id(name: string): string {
    const event = this.byName.get(name);
    if (!event) throw new Error(`no event named ${name}`);
    return event.id;
  }

  /** The id of the grant this (issuance) event opened. */
  grant(name: string): string {
    return stableId('grant', this.id(name));
  }

  get events(): TimelineEvent[] {
    return [...this.list].sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1,
    );
  }
}

function norm(raw: string): string {
  return raw.includes('@') ? raw.toLowerCase() : raw;
}

/** One accounting entry per importer, covering its events' times (or a given window). */
export function accountingFor(
  events: readonly TimelineEvent[],
  windows: Record<string, { from: string; to: string }> = {},
): FileAccounting[] {
  const byImporter = new Map<string, TimelineEvent[]>();
  for (const event of events) {
    const list = byImporter.get(event.source.importer) ?? [];
    list.push(event);
    byImporter.set(event.source.importer, list);
  }
  return [...byImporter.entries()].sort().map(([importer, list]) => {
    const times = list.map((e) => e.at).sort();
    const window = windows[importer];
    return {
      file: `${importer}.json`,
      sha256: '0'.repeat(64),
      size: 1,
      importer,
      read: list.length,
      normalized: list.length,
      ignored: 0,
      ignoredByKind: {},
      rejected: 0,
      coverage: window
        ? { from: iso(window.from), to: iso(window.to) }
        : { from: times[0], to: times[times.length - 1] },
    };
  });
}

/** The config most tests share: three people, a prod role with aliases and approvers. */
export const BASE_CONFIG: ConfigInput = {
  identities: [
    {
      id: 'alice',
      aliases: ['alice@bank.example', 'ASMITH', 'AROAEXAMPLEROLEID01:alice@bank.example'],
      kind: 'human',
    },
    { id: 'bob', aliases: ['bob@bank.example'], kind: 'human' },
    { id: 'carol', aliases: ['carol@bank.example'], kind: 'human' },
    { id: 'dave', aliases: ['dave@bank.example'], kind: 'human' },
    { id: 'deploy-bot', kind: 'service', owner: 'alice' },
    { id: 'report-bot', kind: 'service' },
  ],
  targets: [
    {
      id: 'prod-admin',
      aliases: [
        'arn:aws:iam::111122223333:role/ProdAdmin',
        'okta:AWS Prod Admins',
        'jira:AWS Prod Admins',
      ],
      approvers: ['bob', 'carol'],
      includes: ['prod-readonly'],
    },
    { id: 'prod-readonly', aliases: ['okta:AWS Prod ReadOnly'] },
    { id: 'dev-admin', aliases: ['okta:AWS Dev Admins'] },
    { id: 'db-prod', critical: true },
  ],
  rules: { 'review-overdue': 'off' },
};

export interface RunOptions {
  asOf?: string;
  since?: string;
  until?: string;
  config?: ConfigInput;
  accounting?: FileAccounting[];
  firstIgnored?: FirstIgnored[];
  notes?: SourceNote[];
}

export function run(timeline: Timeline | TimelineEvent[], options: RunOptions = {}): AnalyzeResult {
  const events = Array.isArray(timeline) ? timeline : timeline.events;
  const config = parseConfig(options.config ?? BASE_CONFIG);
  return analyze({
    events,
    accounting: options.accounting ?? accountingFor(events),
    firstIgnored: options.firstIgnored ?? [],
    notes: options.notes ?? [],
    config,
    asOf: iso(options.asOf ?? '2026-03-03T00:00:00Z'),
    period: {
      since: iso(options.since ?? '2026-03-02T00:00:00Z'),
      until: iso(options.until ?? '2026-03-02T23:59:59.999Z'),
    },
  });
}

/** Gaps as comparable tuples: rule, subject, target, grant id (sorted). */
export function gapTuples(result: AnalyzeResult): string[][] {
  return result.gaps
    .map((g) => [g.rule, g.subject ?? '-', g.target ?? '-', g.grantId ?? '-'])
    .sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1));
}

export function tuples(...rows: [string, string, string, string][]): string[][] {
  return rows.map((r) => [...r]).sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1));
}

export function withConfig(extra: Partial<ConfigInput>): ConfigInput {
  return {
    ...BASE_CONFIG,
    ...extra,
    policy: { ...(BASE_CONFIG.policy ?? {}), ...(extra.policy ?? {}) },
    rules: { ...(BASE_CONFIG.rules ?? {}), ...(extra.rules ?? {}) },
  };
}
