// SetIamPolicy in all its per-service spellings: one event per binding delta, expiry from conditions.
import type { EventDraft } from '../../../model/event.js';
import { isObject, str } from '../../common.js';
import { parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';
import { memberIdentity, path, type AuditEntry } from './fields.js';

/**
 * `SetIamPolicy`, `setIamPolicy` (compute: `v1.compute.disks.setIamPolicy`), `SetIAMPolicy`
 * (IAM admin), `storage.setIamPermissions`, and the service-qualified forms such as
 * `google.cloud.run.v1.Services.SetIamPolicy`.
 */
export function isSetIamPolicy(entry: AuditEntry): boolean {
  const lowered = (entry.methodName ?? '').toLowerCase();
  return lowered.endsWith('setiampolicy') || lowered === 'storage.setiampermissions';
}

export interface Base {
  at: string;
  actorRaw?: string;
  draft: () => EventDraft;
}

/**
 * Only `serviceData.policyDelta.bindingDeltas` says what changed: `request.policy` is the whole
 * new policy and must never be read as a list of new bindings. Without deltas the record stays
 * context, saying the change cannot be told apart.
 */
export function setIamPolicyEvents(entry: AuditEntry, base: Base): EventDraft[] {
  const deltas = path(entry.payload, 'serviceData.policyDelta.bindingDeltas');
  const resource = entry.resourceName ?? str(entry.request.resource) ?? '(resource not stated)';
  if (entry.statusCode !== 0 || !Array.isArray(deltas) || deltas.length === 0) {
    const event = base.draft();
    event.stage = entry.statusCode !== 0 ? 'activity' : 'context';
    event.target = { id: resource, raw: resource, kind: 'gcp-resource' };
    event.summary +=
      entry.statusCode !== 0
        ? ''
        : ' — no bindingDeltas logged; the policy change cannot be told apart';
    return [event];
  }

  const events: EventDraft[] = [];
  deltas.forEach((delta, index) => {
    if (!isObject(delta)) return;
    const action = (str(delta.action) ?? '').toUpperCase();
    const role = str(delta.role) ?? '(role not stated)';
    const member = str(delta.member);
    const event = base.draft();
    event.subLocator = `/protoPayload/serviceData/policyDelta/bindingDeltas/${index}`;
    event.stage = action === 'REMOVE' ? 'revocation' : action === 'ADD' ? 'issuance' : 'context';
    event.target = {
      id: `${resource}|${role}`,
      raw: role,
      kind: 'gcp-iam-role',
      name: `${role} on ${resource}`,
    };
    if (member) event.subject = memberIdentity(member);

    const condition = isObject(delta.condition) ? delta.condition : undefined;
    const expression = str(condition?.expression);
    const expiry = expression ? conditionExpiry(expression) : undefined;
    if (expiry && event.stage === 'issuance') event.expiresAt = expiry;
    const conditionText = condition
      ? ` with condition "${str(condition.title) ?? expression ?? ''}"`
      : '';
    const verb =
      action === 'REMOVE' ? 'removed' : action === 'ADD' ? 'added' : `${action || 'changed'}`;
    event.summary =
      `${base.actorRaw ?? 'unknown principal'} ${verb} ${role} for ${member ?? 'an unstated member'} on ${resource}` +
      `${conditionText}${expiry && event.stage === 'issuance' ? `, expires ${expiry}` : ''}`;
    events.push(event);
  });
  return events;
}

// `request.time < timestamp("…")`; JSON may keep `<` escaped as \u003c, HTML exports as &lt;.
const EXPIRY = /request\.time\s*(?:<|\\u003c|&lt;)=?\s*timestamp\(\s*["']([^"']+)["']\s*\)/gi;

/**
 * The instant a time-bound binding stops working. Only an expression joined by `&&` gives a
 * certain end; with `||` another branch may keep the binding alive, so no expiry is claimed.
 */
export function conditionExpiry(expression: string): string | undefined {
  if (expression.includes('||')) return undefined;
  let earliest: number | undefined;
  for (const match of expression.matchAll(EXPIRY)) {
    try {
      const ms = parseIsoTime(match[1]);
      earliest = earliest === undefined ? ms : Math.min(earliest, ms);
    } catch (error) {
      if (!(error instanceof TimeError)) throw error;
    }
  }
  return earliest === undefined ? undefined : toUtcIso(earliest);
}
