// in-toto Statement v1 in a DSSE envelope: the bundle's files as subjects, signed with Ed25519.
import type { KeyObject } from 'node:crypto';
import { canonicalBytes } from './canonical-json.js';
import { signBytes, verifyBytes, type SigningKey } from './signing.js';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Our own predicate type: an identifier only, never fetched. */
export const BUNDLE_PREDICATE_TYPE = 'urn:dora-evidence:predicate:evidence-bundle:v1';

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface Statement {
  _type: string;
  subject: Subject[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: { keyid: string; sig: string }[];
}

/**
 * DSSE pre-authentication encoding (DSSE protocol spec): "DSSEv1" SP LEN(type) SP type SP
 * LEN(body) SP body, lengths as ASCII decimal byte counts. The signature covers this, never
 * the base64 text, so the payload type cannot be swapped.
 */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const head = `DSSEv1 ${type.length} ${payloadType} ${payload.length} `;
  return Buffer.concat([Buffer.from(head, 'utf8'), payload]);
}

export function buildStatement(subjects: Subject[], predicate: Record<string, unknown>): Statement {
  const sorted = [...subjects].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: sorted,
    predicateType: BUNDLE_PREDICATE_TYPE,
    predicate,
  };
}

/** Signs the canonical statement; keyid is the signer fingerprint (a hint, not trusted). */
export function signStatement(statement: Statement, key: SigningKey): DsseEnvelope {
  const payload = canonicalBytes(statement);
  const sig = signBytes(key, preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload));
  return {
    payload: payload.toString('base64'),
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    signatures: [{ keyid: `sha256:${key.fingerprint}`, sig: sig.toString('base64') }],
  };
}

export type EnvelopeCheck = { ok: true; statement: Statement } | { ok: false; reason: string };

/** Checks the envelope's shape and that at least one signature verifies under `publicKey`. */
export function verifyEnvelope(envelopeBytes: Buffer, publicKey: KeyObject): EnvelopeCheck {
  let envelope: DsseEnvelope;
  try {
    envelope = JSON.parse(envelopeBytes.toString('utf8')) as DsseEnvelope;
  } catch {
    return { ok: false, reason: 'attestation is not JSON' };
  }
  if (typeof envelope?.payload !== 'string' || !Array.isArray(envelope.signatures)) {
    return { ok: false, reason: 'attestation is not a DSSE envelope (payload, signatures)' };
  }
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return { ok: false, reason: `attestation payloadType is ${String(envelope.payloadType)}` };
  }

  const payload = Buffer.from(envelope.payload, 'base64');
  const pae = preAuthEncoding(envelope.payloadType, payload);
  const verified = envelope.signatures.some(
    (s) => typeof s?.sig === 'string' && verifyBytes(publicKey, pae, Buffer.from(s.sig, 'base64')),
  );
  if (!verified) return { ok: false, reason: 'attestation signature does not verify' };

  try {
    const statement = JSON.parse(payload.toString('utf8')) as Statement;
    if (statement._type !== IN_TOTO_STATEMENT_TYPE || !Array.isArray(statement.subject)) {
      return { ok: false, reason: 'attestation payload is not an in-toto Statement v1' };
    }
    return { ok: true, statement };
  } catch {
    return { ok: false, reason: 'attestation payload is not JSON' };
  }
}
