// Identity kinds for CyberArk user names: built-in component users are services.
import type { Identity, IdentityKind } from '../../../model/event.js';
import { identity } from '../../common.js';

// Component users the Vault, PVWA, PSM, CPM and Credential Provider log in as (CyberArk
// "built-in users" and the names their installers create: Prov_<host>, PSMApp_<host> ...).
const COMPONENT_USER = new RegExp(
  '^(?:Prov_|PSMApp_|PSMGw_|PSMP_|PSMPApp_|PSMPGW_|PVWAApp|PVWAGW|AIMApp|PasswordManager|CPM_|' +
    'PSMAppUsers$|PVWAAppUsers$|Batch$|Master$|Backup$|DR$|Notification Engines?$)',
  'i',
);
const SERVICE_NAME = /^(?:svc|srv|app|sa|bot)[-_.]/i;

export function cyberarkIdentityKind(name: string, stated?: IdentityKind): IdentityKind {
  if (stated) return stated;
  const bare = name.includes('\\') ? name.slice(name.lastIndexOf('\\') + 1) : name;
  if (COMPONENT_USER.test(bare) || SERVICE_NAME.test(bare)) return 'service';
  return 'unknown';
}

export function cyberarkIdentity(
  name: string | undefined,
  stated?: IdentityKind,
): Identity | undefined {
  if (name === undefined) return undefined;
  return identity(name, cyberarkIdentityKind(name, stated));
}
