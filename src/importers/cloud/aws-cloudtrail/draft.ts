// The per-record context every stage mapper gets, and helpers to build event drafts from it.
import type { EventDraft, Identity, Stage, Target } from '../../../model/event.js';
import { findTickets, type JsonObject } from '../../common.js';
import { iso, obj, text } from './fields.js';
import type { Principal } from './identity.js';
import { lastSegment } from './identity.js';
import type { Lookups } from './options.js';

export interface CallContext {
  event: JsonObject;
  eventName: string;
  /** eventSource without `.amazonaws.com`. */
  service: string;
  atMs: number;
  caller?: Principal;
  lookups: Lookups;
  request: JsonObject;
  response: JsonObject;
}

/** The fields a stage mapper decides; the rest is filled in by `draftOf`. */
export interface StageFacts {
  stage: Stage;
  subject?: Identity;
  target?: Target;
  grantKey?: string;
  sessionId?: string;
  expiresAtMs?: number;
  durationSeconds?: number;
  mfa?: boolean;
  reason?: string;
  tickets?: string[];
  summary: string;
}

export function draftOf(ctx: CallContext, facts: StageFacts): EventDraft {
  const draft: EventDraft = {
    at: iso(ctx.atMs),
    stage: facts.stage,
    actor: ctx.caller?.identity,
    subject: facts.subject,
    target: facts.target,
    tickets: facts.tickets ?? [],
    grantKey: facts.grantKey,
    sessionId: facts.sessionId,
    expiresAt: facts.expiresAtMs === undefined ? undefined : iso(facts.expiresAtMs),
    durationSeconds: facts.durationSeconds,
    mfa: facts.mfa,
    reason: facts.reason,
    action: ctx.eventName,
    outcome: 'success',
    summary: facts.summary,
  };
  return withoutUndefined(draft);
}

function withoutUndefined<T extends object>(value: T): T {
  // Same keys in the same order as filtering the entries, without the intermediate arrays.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) out[key] = field;
  }
  return out as T;
}

export function roleTarget(roleArn: string): Target {
  return { id: roleArn, raw: roleArn, kind: 'role', name: lastSegment(roleArn) };
}

/**
 * An Identity Center permission set in an account. Portal sign-ins and GetRoleCredentials name
 * it by permission-set name, assignments by ARN (named through the `permissionSets` option).
 */
export function permissionSetTarget(
  account: string,
  permissionSet: string,
  lookups: Lookups,
): Target {
  const name = lookups.permissionSets.get(permissionSet) ?? permissionSet;
  const id = `aws-account/${account}/permission-set/${name}`;
  return { id, raw: `${account} ${permissionSet}`, kind: 'permission-set', name };
}

export function callerLabel(ctx: CallContext): string {
  return ctx.caller?.label ?? 'an unidentified caller';
}

/**
 * Session tags, the role session name and sourceIdentity: the only places a ticket or a reason
 * can travel with an STS session (sources doc 1.2). Both tag forms are read: `tags` as a list of
 * {key, value}, `principalTags` and `incomingTransitiveTags` as objects.
 */
export function sessionReason(ctx: CallContext): { reason?: string; tickets: string[] } {
  const parts: string[] = [];
  const sessionName = text(ctx.request, 'roleSessionName');
  const federationName =
    ctx.eventName === 'GetFederationToken' ? text(ctx.request, 'name') : undefined;
  const sourceIdentity =
    text(ctx.request, 'sourceIdentity') ?? text(ctx.response, 'sourceIdentity');
  if (sessionName) parts.push(`roleSessionName=${sessionName}`);
  if (federationName) parts.push(`name=${federationName}`);
  if (sourceIdentity) parts.push(`sourceIdentity=${sourceIdentity}`);

  const tags = tagPairs(ctx.request.tags);
  for (const holder of [ctx.request, ctx.response]) {
    for (const key of ['principalTags', 'incomingTransitiveTags'])
      tags.push(...tagPairs(obj(holder, key)));
  }
  if (tags.length > 0) parts.push(`tags: ${tags.map(([k, v]) => `${k}=${v}`).join(', ')}`);

  const values = [sessionName, federationName, sourceIdentity, ...tags.map(([, v]) => v)];
  return {
    reason: parts.length > 0 ? parts.join('; ') : undefined,
    tickets: findTickets(...values),
  };
}

function tagPairs(value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    return value.flatMap((tag): [string, string][] => {
      const key = text(tag, 'key') ?? text(tag, 'Key');
      const tagValue = text(tag, 'value') ?? text(tag, 'Value');
      return key !== undefined && tagValue !== undefined ? [[key, tagValue]] : [];
    });
  }
  if (value && typeof value === 'object') {
    return Object.entries(value as JsonObject).flatMap(([k, v]): [string, string][] => {
      const tagValue = text(v);
      return tagValue !== undefined ? [[k, tagValue]] : [];
    });
  }
  return [];
}
