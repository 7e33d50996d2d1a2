// Which lifecycle stage a CyberArk action code stands for (Vault Audit Action Codes).
import type { Stage } from '../../../model/event.js';
import type { AuditFacts } from './facts.js';

export interface Classification {
  stage: Stage;
  /** What kind of thing the record is about, which decides target and subject. */
  about: 'credential' | 'session' | 'vault-session' | 'safe-member' | 'request' | 'anomaly';
  failure?: boolean;
}

// Numeric Vault codes (CyberArk "Vault Audit Action Codes"); the Sentinel CSV writes the same
// codes zero-padded behind `PAM` (PAM00300).
const VAULT_CODES: Record<number, Classification> = {
  4: { stage: 'session-start', about: 'vault-session', failure: true }, // user authentication failure
  7: { stage: 'session-start', about: 'vault-session' }, // Logon
  8: { stage: 'session-end', about: 'vault-session' }, // Logoff
  // CPM: verify proves nothing ended; change and reconcile replace the password, which ends
  // whatever a retrieval released (rotation after use). Their failures leave it valid.
  22: { stage: 'context', about: 'credential' }, // CPM Verify Password
  24: { stage: 'revocation', about: 'credential' }, // CPM Change Password
  31: { stage: 'revocation', about: 'credential' }, // CPM Reconcile Password
  38: { stage: 'context', about: 'credential', failure: true }, // CPM Verify Password Failed
  57: { stage: 'revocation', about: 'credential', failure: true }, // CPM Change Password Failed
  60: { stage: 'revocation', about: 'credential', failure: true }, // CPM Reconcile Password Failed
  // Safe membership is a standing grant: add = issuance, update = context, remove = revocation.
  32: { stage: 'issuance', about: 'safe-member' }, // Add Owner
  33: { stage: 'context', about: 'safe-member' }, // Update Owner
  273: { stage: 'revocation', about: 'safe-member' }, // Remove Owner
  // Credential release: the password (or key) leaves the Vault for this user.
  295: { stage: 'issuance', about: 'credential' }, // Retrieve Password (also Show/Copy in PVWA)
  308: { stage: 'issuance', about: 'credential' }, // Use Password (connect through PSM/PVWA)
  319: { stage: 'issuance', about: 'credential' }, // Retrieve Password from the Credential Provider
  428: { stage: 'issuance', about: 'credential' }, // Retrieve SSH Key
  // PSM sessions, linked by ExtraDetails SessionID.
  300: { stage: 'session-start', about: 'session' }, // PSM Connect
  301: { stage: 'session-start', about: 'session' }, // PSM Connect (Privilege Cloud variant)
  302: { stage: 'session-end', about: 'session' }, // PSM Disconnect
  378: { stage: 'session-start', about: 'session' }, // PSM Secure Connect start
  380: { stage: 'session-end', about: 'session' }, // PSM Secure Connect end
  344: { stage: 'activity', about: 'session' }, // privileged command initiated
  346: { stage: 'activity', about: 'session' }, // privileged command completed
  359: { stage: 'activity', about: 'session' }, // SQL command
  361: { stage: 'activity', about: 'session' }, // keystrokes
  411: { stage: 'activity', about: 'session' }, // window title
  412: { stage: 'activity', about: 'session' }, // keystrokes (universal keystrokes)
};

// Identity Security Platform codes in the Sentinel table (CyberArk_AuditEvents_CL).
const PLATFORM_CODES: Record<string, Classification> = {
  IDP2005: { stage: 'session-start', about: 'vault-session' }, // Identity login
  IDP2006: { stage: 'session-end', about: 'vault-session' }, // Identity logout
  IDP2007: { stage: 'session-start', about: 'vault-session', failure: true }, // login failure
  DPAI401: { stage: 'session-start', about: 'session' }, // SIA RDP session started
  DPAE403: { stage: 'session-start', about: 'session', failure: true }, // SIA RDP failure
  PSMSTRT: { stage: 'session-start', about: 'session' }, // SIA SSH session start
  PSMTRMN: { stage: 'session-end', about: 'session' }, // SIA SSH session end
};

/**
 * Dual control has no public audit sample: it is recognised by the action name, whatever the
 * code (assumed names: "Request Access"/"Create Request", "Confirm Request", "Reject Request").
 */
function dualControl(action: string): Classification | undefined {
  const name = action.toLowerCase();
  if (!/\brequest/.test(name)) return undefined;
  if (/\b(confirm|approve)/.test(name)) return { stage: 'approval', about: 'request' };
  if (/\b(reject|deny|decline)/.test(name)) return { stage: 'denial', about: 'request' };
  if (/\b(request access|create request|add request|new request|access request)\b/.test(name)) {
    return { stage: 'request', about: 'request' };
  }
  return undefined;
}

export function classify(facts: AuditFacts): Classification | undefined {
  const byName = dualControl(facts.action);
  if (byName) return byName;
  if (facts.code !== undefined && VAULT_CODES[facts.code]) return VAULT_CODES[facts.code];
  return PLATFORM_CODES[facts.codeText.toUpperCase()];
}
