// Recognises which Entra record shape arrived and where its Graph object and times live.
import { isObject, type JsonObject } from '../../common.js';
import { ciGet, ciStr } from './fields.js';

export type EntraKind = 'audit' | 'signin' | 'other';

export interface EntraView {
  kind: EntraKind;
  /** Diagnostic / Log Analytics category (AuditLogs, SignInLogs, ...), when the record says. */
  category?: string;
  /** The Graph object: `properties` of a diagnostic record, else the record itself. */
  body: JsonObject;
  /** The diagnostic envelope's `time`: when Azure Monitor wrote the record (processing time). */
  envelopeTime?: string;
}

/** Sign-in log categories of the Entra diagnostic setting and the Log Analytics tables. */
export const SIGNIN_CATEGORIES = new Set([
  'signinlogs',
  'noninteractiveusersigninlogs',
  'serviceprincipalsigninlogs',
  'managedidentitysigninlogs',
]);

const IDENTITY_KEYS = [
  'userPrincipalName',
  'userId',
  'servicePrincipalId',
  'servicePrincipalName',
  'appId',
];

export function entraView(value: JsonObject): EntraView {
  const properties = value.properties;
  const isEnvelope =
    isObject(properties) &&
    ('category' in value || 'operationName' in value || 'resourceId' in value);
  const body = isEnvelope ? (properties as JsonObject) : value;
  const category = ciStr(value, 'category');
  const envelopeTime = isEnvelope ? ciStr(value, 'time') : undefined;
  return { kind: kindOf(body, category), category, body, envelopeTime };
}

function kindOf(body: JsonObject, category: string | undefined): EntraKind {
  const lowered = category?.toLowerCase();
  if (ciGet(body, 'activityDisplayName') !== undefined || lowered === 'auditlogs') return 'audit';
  if (lowered !== undefined && SIGNIN_CATEGORIES.has(lowered)) return 'signin';
  const hasIdentity = IDENTITY_KEYS.some((key) => ciStr(body, key) !== undefined);
  if (
    ciGet(body, 'createdDateTime') !== undefined &&
    hasIdentity &&
    ciGet(body, 'appDisplayName') !== undefined
  ) {
    return 'signin';
  }
  return 'other';
}
