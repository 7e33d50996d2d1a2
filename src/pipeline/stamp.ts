// Turns an importer's drafts into timeline events: id, source, and secrets masked.
import type { EventDraft, TimelineEvent } from '../model/event.js';
import { TimelineEvent as TimelineEventSchema } from '../model/event.js';
import type { FileInfo, Importer } from '../importers/types.js';
import type { RawRecord } from '../read/record.js';
import { stableId } from '../util/hash.js';
import { maskSecrets } from '../util/secrets.js';

/**
 * Stamps an accepted record's drafts into timeline events, or says why one of them is not a
 * valid event (the record is then rejected with that reason).
 */
export function stampDrafts(
  importer: Importer,
  file: FileInfo,
  record: RawRecord,
  drafts: readonly EventDraft[],
): TimelineEvent[] | string {
  if (drafts.length === 0) return 'importer produced no event for an accepted record';
  const stamped: TimelineEvent[] = [];
  for (let index = 0; index < drafts.length; index += 1) {
    const event = stampOne(importer, file, record, drafts[index] as EventDraft, index);
    const problem = checkEvent(event);
    if (problem) return `importer produced an invalid event: ${problem}`;
    stamped.push(event);
  }
  return stamped;
}

/**
 * A 32-bit fingerprint (FNV-1a) of everything the events say, that is all their fields but the
 * id and the source (which name the copy, not the event): two copies of one vendor record give
 * the same, a copy with any normalized field changed (time, expiry, target, summary) another.
 */
export function fingerprintOf(events: readonly TimelineEvent[]): number {
  let hash = 0x811c9dc5;
  for (const event of events) {
    const { id, source, ...said } = event;
    void id;
    void source;
    const text = JSON.stringify(said);
    for (let index = 0; index < text.length; index += 1) {
      hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
    }
  }
  return hash >>> 0;
}

function stampOne(
  importer: Importer,
  file: FileInfo,
  record: RawRecord,
  draft: EventDraft,
  index: number,
): TimelineEvent {
  const { subLocator, ...fields } = draft;
  const locator = subLocator ? `${record.locator}${subLocator}` : record.locator;

  // withoutSecrets returns a fresh copy, so id and source are added to it in place rather than
  // copied again (millions of events); the key order stays: the draft's fields, id, source.
  const event = withoutSecrets(fields) as TimelineEvent;
  event.id = stableId('ev', importer.meta.id, file.sha256, locator, String(index));
  event.source = { importer: importer.meta.id, file: file.path, sha256: file.sha256, locator };
  return event;
}

/**
 * The one place free text enters the timeline: whatever an importer put into a reason, a
 * summary, a party's name or a grant/session key is masked where it looks like a credential (a
 * password pasted into a CyberArk reason, a token in Okta debug data, an unhashed Vault value),
 * so no export, CSV or PDF built from the timeline can carry it.
 */
function withoutSecrets<T extends Omit<EventDraft, 'subLocator'>>(fields: T): T {
  const clean = { ...fields };
  clean.summary = maskSecrets(fields.summary);
  clean.action = maskKey(fields.action);
  if (fields.reason !== undefined) clean.reason = maskSecrets(fields.reason);
  if (fields.grantKey !== undefined) clean.grantKey = maskKey(fields.grantKey);
  if (fields.sessionId !== undefined) clean.sessionId = maskKey(fields.sessionId);
  if (fields.actor) clean.actor = maskParty(fields.actor);
  // Activity names the caller as both actor and subject, often as one object: mask it once.
  if (fields.subject) {
    clean.subject = fields.subject === fields.actor ? clean.actor : maskParty(fields.subject);
  }
  if (fields.target) clean.target = maskParty(fields.target);
  return clean;
}

/**
 * Ids and keys are the sources' own identifiers, where a long random run is usually the id
 * itself (a Vault lease id): there only credential shapes and assignments are masked. A value
 * with blanks in it is text, not an id (a display name with a paste), and is masked fully.
 */
function maskKey(value: string): string {
  return maskSecrets(value, { randomRuns: /\s/.test(value) });
}

function maskParty<P extends { id: string; raw: string; name?: string }>(party: P): P {
  const id = maskKey(party.id);
  const raw = maskKey(party.raw);
  const name = party.name === undefined ? undefined : maskKey(party.name);
  if (id === party.id && raw === party.raw && name === party.name) return party;
  return name === undefined ? { ...party, id, raw } : { ...party, id, raw, name };
}

// Cheap structural check on the hot path; the zod schema runs only when this finds a problem,
// to produce a precise message.
function checkEvent(event: TimelineEvent): string | null {
  const ok =
    typeof event.at === 'string' &&
    event.at.length === 24 &&
    event.at.endsWith('Z') &&
    typeof event.action === 'string' &&
    Array.isArray(event.tickets) &&
    // A blank name (a cell of spaces) normalizes to an empty id, which no party can be.
    hasId(event.actor) &&
    hasId(event.subject) &&
    hasId(event.target);
  if (ok) return null;
  const parsed = TimelineEventSchema.safeParse(event);
  if (parsed.success) return null;
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

function hasId(party: { id: unknown } | undefined): boolean {
  return party === undefined || (typeof party.id === 'string' && party.id.length > 0);
}
