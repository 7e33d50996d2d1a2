// Shared test for non-human identities (service accounts, workloads, AI agents).
import type { WorkGrant } from '../correlate/types.js';

export function isNonHuman(grant: WorkGrant): boolean {
  return grant.subject.kind === 'service' || grant.subject.kind === 'agent';
}
