// Which family (ticketing, idp, pam, cloud, generic) an importer id belongs to.
import { getImporter } from '../importers/index.js';

export type Family = 'ticketing' | 'idp' | 'pam' | 'cloud' | 'generic';

// The ids of design.md section 2, for importers not (yet) in the registry of this build.
const KNOWN: Record<string, Family> = {
  jira: 'ticketing',
  servicenow: 'ticketing',
  okta: 'idp',
  'entra-id': 'idp',
  cyberark: 'pam',
  vault: 'pam',
  teleport: 'pam',
  beyondtrust: 'pam',
  delinea: 'pam',
  'aws-cloudtrail': 'cloud',
  'azure-activity': 'cloud',
  'gcp-audit': 'cloud',
  'csv-mapped': 'generic',
};

export function familyOf(importer: string | null): Family {
  if (importer === null) return 'generic';
  return (getImporter(importer)?.meta.family as Family | undefined) ?? KNOWN[importer] ?? 'generic';
}

/** Families that hold requests and approvals: ticketing tools, PAM and IdP request workflows. */
export const REQUEST_FAMILIES: readonly Family[] = ['ticketing', 'pam', 'idp', 'generic'];
/** Families that log grants, revocations and sessions. */
export const SYSTEM_FAMILIES: readonly Family[] = ['idp', 'pam', 'cloud', 'generic'];
export const SESSION_FAMILIES: readonly Family[] = ['pam', 'cloud', 'idp', 'generic'];
export const ALL_FAMILIES: readonly Family[] = ['ticketing', 'idp', 'pam', 'cloud', 'generic'];
