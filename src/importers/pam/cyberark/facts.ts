// The source-neutral facts of one CyberArk audit record, whatever format carried it.
import type { IdentityKind } from '../../../model/event.js';

export type AuditFormat = 'json' | 'cef' | 'csv';

/** When the record happened, or why that cannot be told. */
export type AuditTime = { ok: true; ms: number } | { ok: false; reason: string };

export interface AuditFacts {
  format: AuditFormat;
  /** The Vault action code as a number (CSV `PAM00300` -> 300); undefined for non-Vault codes. */
  code?: number;
  /** The code exactly as written (`295`, `PAM00300`, `IDP2005`). */
  codeText: string;
  /** The vendor's name for the action (`Retrieve password`, `PSM Connect`). */
  action: string;
  time: AuditTime;
  /** The acting Vault / Identity user. */
  issuer?: string;
  /** Kind stated by the source (CSV identityType), when it states one. */
  issuerKind?: IdentityKind;
  /** The principal an owner (safe member) action affects. */
  sourceUser?: string;
  targetUser?: string;
  safe?: string;
  /** Vault object path, e.g. `Root\Operating System-WinDomain-corp.example-adm.kofi`. */
  file?: string;
  /** Privileged account user name and address (CAProperties, ExtraDetails, CEF duser/dhost). */
  account?: string;
  address?: string;
  /** Vault server or Identity tenant host the record comes from. */
  host?: string;
  station?: string;
  requestId?: string;
  reason?: string;
  /** Ticket ids from dedicated ticketing fields (CEF cn2, ExtraDetails TicketID). */
  ticketIds: string[];
  /** Other free text searched for ticket references only (CEF msg). */
  ticketText?: string[];
  /** `Show Password` / `Copy Password` when a retrieval came from those PVWA buttons. */
  retrieveAction?: string;
  sessionId?: string;
  sessionDurationSeconds?: number;
  protocol?: string;
  mfa?: boolean;
  /** The source marks the record as a failure (CSV auditType Failure, actionType Deny). */
  failed?: boolean;
}
