// The parts of an Azure Activity Log record, whichever export shape it came in.
import { ciGet, ciStr, isObject, str, type JsonObject } from '../../common.js';

export { ciGet, ciStr };

/** A JSON value that may arrive as text holding JSON: decoded once, the same for every field. */
export function decoded(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

export function ciObject(value: unknown, ...keys: string[]): JsonObject | undefined {
  for (const key of keys) {
    const found = decoded(ciGet(value, key));
    if (isObject(found)) return found;
  }
  return undefined;
}

/** `operationName` is a string in diagnostic exports and `{value, localizedValue}` in REST ones. */
function valueOf(value: unknown): string | undefined {
  if (isObject(value)) return str(value.value);
  return str(value);
}

export type StatusClass = 'start' | 'final' | 'other';

export interface ActivityRecord {
  /** Event time text: `time` (diagnostic), `eventTimestamp` (REST), `TimeGenerated` (Log Analytics). */
  time?: string;
  operationName?: string;
  /** Lower-cased operation name, for comparisons (exports differ in case). */
  operation: string;
  category?: string;
  status?: string;
  statusClass: StatusClass;
  succeeded: boolean;
  resourceId?: string;
  correlationId?: string;
  caller?: string;
  claims: JsonObject;
  authorization: JsonObject;
  properties: JsonObject;
}

export function activityRecord(value: JsonObject): ActivityRecord {
  const identityBlock = ciObject(value, 'identity');
  const operationName =
    valueOf(ciGet(value, 'operationName')) ?? ciStr(value, 'OperationNameValue');
  const status =
    ciStr(value, 'resultType') ??
    valueOf(ciGet(value, 'status')) ??
    ciStr(value, 'ActivityStatusValue');
  const lowered = status?.toLowerCase() ?? '';
  const statusClass: StatusClass = /^(start|started|accept|accepted)$/.test(lowered)
    ? 'start'
    : /^(success|succeeded|failure|failed)$/.test(lowered)
      ? 'final'
      : 'other';
  return {
    time: ciStr(value, 'time', 'eventTimestamp', 'TimeGenerated'),
    operationName,
    operation: (operationName ?? '').toLowerCase(),
    category: valueOf(ciGet(value, 'category')) ?? ciStr(value, 'CategoryValue'),
    status,
    statusClass,
    succeeded: !/^(failure|failed)$/.test(lowered),
    resourceId: ciStr(value, 'resourceId', '_ResourceId'),
    correlationId: ciStr(value, 'correlationId'),
    caller: ciStr(value, 'caller'),
    // identity.claims is an object in one export and a JSON string in the next (bug-09).
    claims: ciObject(identityBlock, 'claims') ?? ciObject(value, 'claims', 'Claims_d') ?? {},
    authorization:
      ciObject(identityBlock, 'authorization') ?? ciObject(value, 'authorization') ?? {},
    properties: ciObject(value, 'properties', 'Properties_d') ?? {},
  };
}
