// Replaces people's identifiers with keyed HMAC pseudonyms throughout the bundle's data.
import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { normalizeIdentityId } from '../importers/common.js';
import type { Identity, IdentityKind, TimelineEvent } from '../model/event.js';
import type { Gap } from '../model/gap.js';
import type { Grant } from '../model/grant.js';

export interface PseudonymizeInput {
  events: readonly TimelineEvent[];
  grants: readonly Grant[];
  gaps: readonly Gap[];
}

export interface PseudonymizeOptions {
  /** Identity kinds replaced; people by default (`human`, and `unknown`, which may be one). */
  kinds?: readonly IdentityKind[];
}

const PEOPLE: readonly IdentityKind[] = ['human', 'unknown'];

/** The pseudonym of a canonical identifier: `p-` and the first 16 hex digits of HMAC-SHA256. */
export function pseudonymOf(id: string, key: Buffer): string {
  return `p-${createHmac('sha256', key).update(id, 'utf8').digest('hex').slice(0, 16)}`;
}

/**
 * Pseudonymizes events, grants and gaps with one key. Every identifier of a person (subject and
 * actor ids and raw values, approvers, gap subjects) becomes its pseudonym, and so does every
 * occurrence of those identifiers in text (summaries, reasons, gap messages, keys), so the same
 * person carries the same pseudonym everywhere and the auditor can still follow them. Service
 * and agent identities stay readable unless `kinds` includes them. Pure: the input is not
 * changed, and the mapping is not returned, so it cannot end up in the bundle.
 */
export function pseudonymize(
  data: PseudonymizeInput,
  key: Buffer,
  options: PseudonymizeOptions = {},
): PseudonymizeInput {
  const pseudonymizer = createPseudonymizer(data, key, options);
  return {
    events: data.events.map(pseudonymizer.event),
    grants: data.grants.map(pseudonymizer.grant),
    gaps: data.gaps.map(pseudonymizer.gap),
  };
}

export interface Pseudonymizer {
  event(event: TimelineEvent): TimelineEvent;
  grant(grant: Grant): Grant;
  gap(gap: Gap): Gap;
  /** Free text (a summary line, a rejected record's reason) with every known person replaced. */
  text(text: string): string;
  /** A canonical identifier: its pseudonym when it is a person's, else its text replaced. */
  personId(id: string): string;
}

/**
 * The replacements of `pseudonymize`, learned from `seed` and applicable one record at a time,
 * so a timeline streamed from disk can be pseudonymized as it is written. A person who appears
 * only in a streamed event is still replaced in that event's own fields and text.
 */
export function createPseudonymizer(
  seed: PseudonymizeInput,
  key: Buffer,
  options: PseudonymizeOptions = {},
): Pseudonymizer {
  const kinds = new Set(options.kinds ?? PEOPLE);
  const people = collectPeople(seed, kinds);
  const text = textReplacer(people, key);
  const party = (identity: Identity | undefined): Identity | undefined => {
    if (!identity) return undefined;
    if (!kinds.has(identity.kind))
      return { ...identity, id: text(identity.id), raw: text(identity.raw) };
    const pseudonym = pseudonymOf(identity.id, key);
    return { ...identity, id: pseudonym, raw: pseudonym };
  };
  const personId = (id: string) => (people.ids.has(id) ? pseudonymOf(id, key) : text(id));

  const event = (input: TimelineEvent): TimelineEvent => {
    // Spellings of this event's own people that the seed did not know (activity-only parties).
    const own: [string, string][] = [];
    for (const identity of [input.actor, input.subject]) {
      if (!identity || !kinds.has(identity.kind) || people.ids.has(identity.id)) continue;
      const pseudonym = pseudonymOf(identity.id, key);
      for (const spelling of [identity.id, identity.raw])
        if (spelling.trim().length >= 2) own.push([spelling, pseudonym]);
    }
    const full = (value: string) =>
      own.reduce((out, [spelling, pseudonym]) => out.split(spelling).join(pseudonym), text(value));

    const out: TimelineEvent = { ...input, summary: full(input.summary) };
    if (input.actor) out.actor = party(input.actor);
    if (input.subject) out.subject = party(input.subject);
    if (input.target) {
      out.target = { ...input.target, id: full(input.target.id), raw: full(input.target.raw) };
      if (input.target.name !== undefined) out.target.name = full(input.target.name);
    }
    if (input.reason !== undefined) out.reason = full(input.reason);
    if (input.grantKey !== undefined) out.grantKey = full(input.grantKey);
    if (input.sessionId !== undefined) out.sessionId = full(input.sessionId);
    return out;
  };

  const grant = (input: Grant): Grant => ({
    ...input,
    subject: kinds.has(input.subject.kind)
      ? { ...input.subject, id: pseudonymOf(input.subject.id, key) }
      : { ...input.subject, id: text(input.subject.id) },
    target: { id: text(input.target.id), name: text(input.target.name) },
    // Approvers are people by their role, whatever kind the sources gave them.
    approvals: input.approvals.map((approval) => ({
      ...approval,
      by: pseudonymOf(approval.by, key),
    })),
    denials: input.denials.map((denial) => ({ ...denial, by: pseudonymOf(denial.by, key) })),
    sessions: input.sessions.map((session) =>
      session.sessionId ? { ...session, sessionId: text(session.sessionId) } : { ...session },
    ),
    links: input.links.map((link) => ({ ...link, reason: text(link.reason) })),
  });

  const gap = (input: Gap): Gap => ({
    ...input,
    subject: input.subject === null ? null : personId(input.subject),
    target: input.target === null ? null : text(input.target),
    message: text(input.message),
  });

  return { event, grant, gap, text, personId };
}

interface People {
  /** Canonical ids of people. */
  ids: Set<string>;
  /** Every spelling seen (id, raw), lower-cased, to the canonical id it stands for. */
  aliases: Map<string, string>;
}

function collectPeople(data: PseudonymizeInput, kinds: Set<IdentityKind>): People {
  const people: People = { ids: new Set(), aliases: new Map() };
  const add = (id: string, raw?: string) => {
    people.ids.add(id);
    for (const alias of [id, raw]) {
      if (alias && alias.trim().length >= 2) people.aliases.set(alias.toLowerCase(), id);
    }
  };
  for (const event of data.events) {
    for (const identity of [event.actor, event.subject])
      if (identity && kinds.has(identity.kind)) add(identity.id, identity.raw);
  }
  for (const grant of data.grants) {
    if (kinds.has(grant.subject.kind)) add(grant.subject.id);
    for (const decision of [...grant.approvals, ...grant.denials]) add(decision.by);
  }
  return people;
}

/**
 * A function replacing every spelling of a person in text by their pseudonym. Longer spellings
 * win (`alice@bank.example` before `alice`), and a spelling only counts where it is not part of
 * a longer word, so `al` inside `approval` stays.
 */
function textReplacer(people: People, key: Buffer): (text: string) => string {
  if (people.aliases.size === 0) return (text) => text;
  const spellings = [...people.aliases.keys()].sort(
    (a, b) => b.length - a.length || (a < b ? -1 : 1),
  );
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}_.%+-])(?:${spellings.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_-])`,
    'giu',
  );
  const cache = new Map<string, string>();
  return (text) =>
    text.replace(pattern, (match) => {
      const id = people.aliases.get(match.toLowerCase()) as string;
      let pseudonym = cache.get(id);
      if (!pseudonym) {
        pseudonym = pseudonymOf(id, key);
        cache.set(id, pseudonym);
      }
      return pseudonym;
    });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The shortest key accepted: below 128 bits a pseudonym could be brute-forced from the key. */
export const MIN_KEY_BYTES = 16;

/**
 * Reads a pseudonymization key file: any file of at least 16 bytes. A text file loses trailing
 * blanks and line ends (an editor's newline must not change every pseudonym).
 */
export async function loadPseudonymKey(file: string): Promise<Buffer> {
  let bytes = await fs.readFile(file);
  if (isUtf8(bytes) && !bytes.includes(0))
    bytes = Buffer.from(bytes.toString('utf8').replace(/\s+$/, ''), 'utf8');
  if (bytes.length < MIN_KEY_BYTES) {
    throw new Error(
      `pseudonymization key ${file} holds ${bytes.length} bytes; at least ${MIN_KEY_BYTES} are needed`,
    );
  }
  return bytes;
}

/** Writes a new key: 32 random bytes as hex text, mode 0600, never over an existing file. */
export async function createPseudonymKey(file: string): Promise<void> {
  const handle = await fs.open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`${randomBytes(32).toString('hex')}\n`);
  } finally {
    await handle.close();
  }
  await fs.chmod(file, 0o600);
}

/** Canonical forms a candidate identifier may have been pseudonymized under. */
export function candidateForms(candidate: string): string[] {
  const forms = [candidate, candidate.trim(), normalizeIdentityId(candidate)];
  return [...new Set(forms.filter((form) => form.length > 0))];
}
