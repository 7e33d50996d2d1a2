// Name-based UUIDs (RFC 4122 section 4.3, version 5, SHA-1): the same stable id gives the same UUID.
import { createHash } from 'node:crypto';

/** RFC 4122 appendix C: the namespace for names that are URLs or URNs. */
export const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * Our fixed namespace for every UUID in the OSCAL export. It is itself a v5 UUID:
 * uuidV5(NAMESPACE_URL, 'urn:dora-evidence:oscal'), so anyone can re-derive it; a test holds it
 * to that value. Changing it would change every UUID we have ever published.
 */
export const OSCAL_NAMESPACE = 'b83118b9-73e9-5667-ab78-a39ed1833e5c';

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidBytes(uuid: string): Buffer {
  if (!UUID_TEXT.test(uuid)) throw new Error(`not a UUID: ${JSON.stringify(uuid)}`);
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** The version 5 UUID of `name` (UTF-8) in `namespace`, lower-case as RFC 4122 writes it. */
export function uuidV5(name: string, namespace: string = OSCAL_NAMESPACE): string {
  const digest = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);

  // Version in the high nibble of octet 6, RFC 4122 variant (10xx) in the top bits of octet 8.
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;

  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
