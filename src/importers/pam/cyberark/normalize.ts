// Turns CyberArk audit facts into a timeline event, an ignore kind or a rejection reason.
import type { EventDraft, Identity, Target } from '../../../model/event.js';
import { findTickets } from '../../common.js';
import type { Normalized } from '../../common/outcome.js';
import { toUtcIso } from '../../../util/time.js';
import { classify, type Classification } from './classify.js';
import type { AuditFacts } from './facts.js';
import { cyberarkIdentity } from './identity.js';

export type { Normalized };

export function normalizeAudit(facts: AuditFacts): Normalized {
  const classification = classify(facts);
  if (!classification) {
    return { kind: 'ignore', reason: `${facts.codeText} ${facts.action}`.trim() };
  }
  if (!facts.time.ok) return { kind: 'reject', reason: facts.time.reason };

  const actor = cyberarkIdentity(facts.issuer, facts.issuerKind);
  const { subject, target } = parties(facts, classification, actor);
  if (!target && classification.about !== 'vault-session') {
    return {
      kind: 'reject',
      reason:
        `${facts.codeText} ${facts.action}: ` +
        'no Safe, File or target account to say what it is about',
    };
  }

  const reason = justification(facts.reason);
  const searched = findTickets(facts.reason, ...facts.ticketIds, ...(facts.ticketText ?? []));
  const tickets = uniq([...facts.ticketIds, ...searched]);
  const failed = classification.failure === true || facts.failed === true;

  const event: EventDraft = {
    at: toUtcIso(facts.time.ms),
    stage: classification.stage,
    tickets,
    action: facts.action,
    outcome: failed ? 'failure' : 'success',
    summary: summary(facts, target, subject),
  };
  if (actor) event.actor = actor;
  if (subject) event.subject = subject;
  if (target) event.target = target;
  const grantKey = grantKeyOf(facts, classification);
  if (grantKey) event.grantKey = grantKey;
  if (facts.sessionId && classification.about !== 'credential') event.sessionId = facts.sessionId;
  if (facts.sessionDurationSeconds !== undefined && classification.stage === 'session-end') {
    event.durationSeconds = facts.sessionDurationSeconds;
  }
  if (facts.mfa !== undefined) event.mfa = facts.mfa;
  if (reason) event.reason = reason;
  return { kind: 'event', event };
}

function parties(
  facts: AuditFacts,
  classification: Classification,
  actor: Identity | undefined,
): { subject?: Identity; target?: Target } {
  switch (classification.about) {
    case 'safe-member':
      return {
        subject: cyberarkIdentity(facts.sourceUser ?? facts.targetUser),
        target: facts.safe ? { id: facts.safe, raw: facts.safe, kind: 'safe' } : undefined,
      };
    case 'request':
      // The requester of a confirmed or rejected request is taken from TargetUser (assumed:
      // no public sample of a dual-control audit record exists).
      return {
        subject: classification.stage === 'request' ? actor : cyberarkIdentity(facts.targetUser),
        target: credentialTarget(facts),
      };
    case 'vault-session':
      return {
        subject: actor,
        target: facts.host ? { id: facts.host, raw: facts.host, kind: 'application' } : undefined,
      };
    case 'credential':
      // CPM acts on its own; nobody receives the rotated password.
      return {
        subject: classification.stage === 'issuance' ? actor : undefined,
        target: credentialTarget(facts),
      };
    default:
      return { subject: actor, target: credentialTarget(facts) };
  }
}

/** The privileged account: Safe + object path when known, else account@address. */
function credentialTarget(facts: AuditFacts): Target | undefined {
  const accountAt =
    facts.account && facts.address
      ? `${facts.account}@${facts.address}`
      : (facts.account ?? facts.address);
  if (facts.safe && facts.file) {
    const target: Target = { id: `${facts.safe}/${facts.file}`, raw: facts.file, kind: 'account' };
    if (accountAt) target.name = accountAt;
    return target;
  }
  if (accountAt) {
    const id = facts.safe ? `${facts.safe}/${accountAt}` : accountAt;
    return { id, raw: accountAt, kind: 'account', name: accountAt };
  }
  if (facts.safe) return { id: facts.safe, raw: facts.safe, kind: 'safe' };
  return undefined;
}

function grantKeyOf(facts: AuditFacts, classification: Classification): string | undefined {
  if (facts.requestId) return facts.requestId;
  if (classification.about === 'safe-member') {
    const member = facts.sourceUser ?? facts.targetUser;
    return facts.safe && member ? `${facts.safe}/member:${member}` : undefined;
  }
  if (classification.about === 'vault-session' || classification.about === 'anomaly')
    return undefined;
  return facts.safe && facts.file ? `${facts.safe}/${facts.file}` : undefined;
}

// PSM and PVWA write their own marker "(Action: Connect)" into Reason; it is not a human
// justification, so it is dropped and only the text around it is kept.
function justification(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const text = reason.replace(/\(Action: [^)]*\)/g, '').trim();
  return text === '' ? undefined : text;
}

function summary(
  facts: AuditFacts,
  target: Target | undefined,
  subject: Identity | undefined,
): string {
  const parts = [`${facts.action} [${facts.codeText}]`];
  if (facts.retrieveAction) parts.push(`(${facts.retrieveAction})`);
  if (facts.issuer) parts.push(`by ${facts.issuer}`);
  if (subject && subject.raw !== facts.issuer) parts.push(`for ${subject.raw}`);
  if (target) parts.push(`on ${target.name ?? target.raw}`);
  if (facts.safe && target?.kind !== 'safe') parts.push(`in safe ${facts.safe}`);
  return parts.join(' ');
}

function uniq(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
}
