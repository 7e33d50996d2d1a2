// `reveal`: which identifier a pseudonym stands for, for whoever holds the pseudonymization key.
import { promises as fs } from 'node:fs';
import {
  candidateForms,
  createPseudonymKey,
  loadPseudonymKey,
  pseudonymOf,
} from '../export/pseudonymize.js';
import { EXIT, UsageError } from './errors.js';

export interface RevealOptions {
  /** The pseudonym to resolve (`p-` and 16 hex digits); absent with `newKey`. */
  pseudonym?: string;
  /** The key file the bundle was pseudonymized with. */
  key?: string;
  /** Files (timeline.jsonl of an unpseudonymized build, or one identifier a line) or identifiers. */
  candidates?: string[];
  /** Write a new key to this path instead (32 random bytes as hex, mode 0600). */
  newKey?: string;
  json?: boolean;
}

/** Help text for the command; the lead registers the command with it. */
export const REVEAL_HELP = `
A pseudonym is HMAC-SHA256(key, identifier), cut to 16 hex digits: it cannot be turned back
into the identifier, even with the key. reveal therefore recomputes the pseudonym of every
candidate identifier you give and prints the ones that match. Candidates come from
--candidates: a timeline.jsonl of a build without --pseudonymize (every actor, subject and
target in it is tried), a text file with one identifier a line, or identifiers given directly.
The key never goes into the bundle; keep it apart from the bundles it protects.

Exit codes: 0 a candidate matched, 1 none matched, 2 could not run.

Examples:
  dora-evidence reveal p-3f2a9c0d1e4b5a67 --key pseudonyms.key --candidates timeline.jsonl
  dora-evidence reveal p-3f2a9c0d1e4b5a67 --key pseudonyms.key --candidates alice@bank.example
  dora-evidence reveal --new-key pseudonyms.key`;

const PSEUDONYM = /^p-[0-9a-f]{16}$/;

export async function run(options: RevealOptions): Promise<number> {
  if (options.newKey) {
    await createPseudonymKey(options.newKey).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        error.code === 'EEXIST'
          ? `${options.newKey} exists; a key is never overwritten`
          : `cannot write ${options.newKey}: ${error.message}`,
      );
    });
    process.stderr.write(`wrote pseudonymization key ${options.newKey} (mode 0600)\n`);
    return EXIT.ok;
  }

  const pseudonym = options.pseudonym?.trim().toLowerCase() ?? '';
  if (!PSEUDONYM.test(pseudonym))
    throw new UsageError(
      `expected a pseudonym such as p-3f2a9c0d1e4b5a67, got ${JSON.stringify(options.pseudonym ?? '')}`,
    );
  if (!options.key)
    throw new UsageError('--key <file> is required: the key the bundle was pseudonymized with');
  if (!options.candidates || options.candidates.length === 0) {
    throw new UsageError(
      '--candidates is required: a pseudonym is one-way, so reveal can only test candidate identifiers',
    );
  }
  const key = await loadPseudonymKey(options.key).catch((error: Error) => {
    throw new UsageError(
      error.message.startsWith('pseudonymization key')
        ? error.message
        : `cannot read --key ${options.key}: ${error.message}`,
    );
  });

  const candidates = await collectCandidates(options.candidates);
  const matches = [...candidates].filter((candidate) =>
    candidateForms(candidate).some((form) => pseudonymOf(form, key) === pseudonym),
  );

  if (options.json)
    process.stdout.write(
      `${JSON.stringify({ pseudonym, candidates: candidates.size, matches })}\n`,
    );
  else for (const match of matches) process.stdout.write(`${match}\n`);
  if (matches.length === 0) {
    process.stderr.write(
      `none of ${candidates.size} candidate identifiers has pseudonym ${pseudonym} under this key\n`,
    );
    return EXIT.finding;
  }
  return EXIT.ok;
}

/** Identifiers from files (JSON lines of events, or one a line) and from the values themselves. */
async function collectCandidates(values: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const value of values) {
    const text = await fs.readFile(value, 'utf8').catch(() => null);
    if (text === null) {
      for (const part of value.split(',')) if (part.trim()) found.add(part.trim());
      continue;
    }
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      if (!trimmed.startsWith('{')) {
        found.add(trimmed);
        continue;
      }
      try {
        collectFromEvent(JSON.parse(trimmed) as Record<string, unknown>, found);
      } catch {
        found.add(trimmed);
      }
    }
  }
  return found;
}

function collectFromEvent(event: Record<string, unknown>, found: Set<string>): void {
  for (const field of ['actor', 'subject', 'target']) {
    const party = event[field] as { id?: unknown; raw?: unknown } | undefined;
    if (!party || typeof party !== 'object') continue;
    if (typeof party.id === 'string') found.add(party.id);
    if (typeof party.raw === 'string') found.add(party.raw);
  }
}
