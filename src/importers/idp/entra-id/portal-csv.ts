// Turns Entra CSV rows (portal "Download" and Log Analytics export) into Graph-shaped objects.
import type { JsonObject } from '../../common.js';
import { csvObject, type CsvRow } from '../../../read/record.js';

/** Which CSV layout a header row belongs to. */
export type EntraCsvLayout = 'portal-audit' | 'portal-signin' | 'log-analytics';

export function csvLayout(headers: readonly string[]): EntraCsvLayout | undefined {
  const names = new Set(headers.map((h) => cleanHeader(h).toLowerCase()));
  if (names.has('date (utc)') && names.has('activity') && names.has('actortype'))
    return 'portal-audit';
  if (
    names.has('date (utc)') &&
    (names.has('username') || names.has('service principal id')) &&
    names.has('request id')
  ) {
    return 'portal-signin';
  }
  const audit = names.has('activitydisplayname') && names.has('initiatedby');
  const signIn =
    names.has('createddatetime') &&
    (names.has('userprincipalname') || names.has('serviceprincipalid'));
  if (audit || signIn) return 'log-analytics';
  return undefined;
}

/** Log Analytics CSV headers carry the zone in brackets: `TimeGenerated [UTC]`. */
function cleanHeader(header: string): string {
  return header.replace(/\s*\[UTC\]\s*$/i, '').trim();
}

/** A row as an object keyed by trimmed header (the portal writes "Application ID " with a space). */
function rowObject(row: CsvRow): Record<string, string> {
  const object: Record<string, string> = {};
  for (const [name, value] of Object.entries(csvObject(row))) {
    const key = cleanHeader(name);
    if (!(key in object) || object[key] === '') object[key] = value;
  }
  return object;
}

export function csvRowToGraph(row: CsvRow, layout: EntraCsvLayout): JsonObject {
  const cells = rowObject(row);
  if (layout === 'portal-audit') return portalAudit(cells);
  if (layout === 'portal-signin') return portalSignIn(cells);
  return cells;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value && value.trim() !== '' ? value : undefined;

function portalAudit(cells: Record<string, string>): JsonObject {
  const actor: JsonObject = {};
  const upn = nonEmpty(cells.ActorUserPrincipalName);
  if (upn || /^user$/i.test(cells.ActorType ?? '')) {
    actor.user = {
      userPrincipalName: upn,
      id: nonEmpty(cells.ActorObjectId),
      displayName: nonEmpty(cells.ActorDisplayName),
    };
  } else {
    actor.app = {
      servicePrincipalId: nonEmpty(cells.ActorServicePrincipalId) ?? nonEmpty(cells.ActorObjectId),
      displayName: nonEmpty(cells.ActorServicePrincipalName) ?? nonEmpty(cells.ActorDisplayName),
    };
  }

  // The portal flattens targetResources into Target1.., each with ModifiedProperty1..
  const targets: JsonObject[] = [];
  for (let n = 1; cells[`Target${n}Type`] !== undefined; n += 1) {
    const type = nonEmpty(cells[`Target${n}Type`]);
    if (!type) continue;
    const modifiedProperties: JsonObject[] = [];
    for (let m = 1; cells[`Target${n}ModifiedProperty${m}Name`] !== undefined; m += 1) {
      const displayName = nonEmpty(cells[`Target${n}ModifiedProperty${m}Name`]);
      if (!displayName) continue;
      modifiedProperties.push({
        displayName,
        oldValue: cells[`Target${n}ModifiedProperty${m}OldValue`],
        newValue: cells[`Target${n}ModifiedProperty${m}NewValue`],
      });
    }
    targets.push({
      type,
      id: nonEmpty(cells[`Target${n}ObjectId`]),
      displayName: nonEmpty(cells[`Target${n}DisplayName`]),
      userPrincipalName: nonEmpty(cells[`Target${n}UserPrincipalName`]),
      modifiedProperties,
    });
  }

  const additionalDetails: JsonObject[] = [];
  for (let n = 1; cells[`AdditionalDetail${n}Key`] !== undefined; n += 1) {
    const key = nonEmpty(cells[`AdditionalDetail${n}Key`]);
    if (key) additionalDetails.push({ key, value: cells[`AdditionalDetail${n}Value`] });
  }

  return {
    activityDisplayName: nonEmpty(cells.Activity),
    activityDateTime: nonEmpty(cells['Date (UTC)']),
    loggedByService: nonEmpty(cells.Service),
    category: nonEmpty(cells.Category),
    result: nonEmpty(cells.Result),
    resultReason: nonEmpty(cells.ResultReason),
    correlationId: nonEmpty(cells.CorrelationId),
    initiatedBy: actor,
    targetResources: targets,
    additionalDetails,
  };
}

function portalSignIn(cells: Record<string, string>): JsonObject {
  const code = nonEmpty(cells['Sign-in error code']);
  const graph: JsonObject = {
    createdDateTime: nonEmpty(cells['Date (UTC)']),
    userPrincipalName: nonEmpty(cells.Username),
    userId: nonEmpty(cells['User ID']),
    userDisplayName: nonEmpty(cells.User),
    servicePrincipalId: nonEmpty(cells['Service principal ID']),
    servicePrincipalName: nonEmpty(cells['Service principal name']),
    appDisplayName: nonEmpty(cells.Application),
    appId: nonEmpty(cells['Application ID']),
    resourceDisplayName: nonEmpty(cells.Resource),
    resourceId: nonEmpty(cells['Resource ID']),
    authenticationRequirement: nonEmpty(cells['Authentication requirement']),
    mfaResult: nonEmpty(cells['Multifactor authentication result']),
    mfaDetail: { authMethod: nonEmpty(cells['Multifactor authentication auth method']) },
    sessionId: nonEmpty(cells['Session ID']),
    correlationId: nonEmpty(cells['Correlation ID']),
  };
  // The error code column is numeric; when it is blank the Status word (Success / Failure) decides.
  if (code && /^\d+$/.test(code.trim()))
    graph.status = { errorCode: code.trim(), failureReason: nonEmpty(cells['Failure reason']) };
  else if (nonEmpty(cells.Status)) graph.status = cells.Status;
  return graph;
}
