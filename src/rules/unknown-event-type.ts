// unknown-event-type: records an importer ignored whose kind looks security-relevant.
import { defineMeta } from './meta.js';
import type { GapDraft, Rule } from './types.js';
import { list } from './words.js';

// Words of event names that concern identities, rights, credentials or sessions.
const SECURITY_WORDS = new Set([
  'access',
  'account',
  'admin',
  'administrator',
  'approval',
  'approve',
  'assign',
  'assignment',
  'auth',
  'authentication',
  'authorization',
  'cert',
  'certificate',
  'credential',
  'credentials',
  'elevate',
  'elevation',
  'factor',
  'federation',
  'grant',
  'group',
  'impersonation',
  'key',
  'keys',
  'lease',
  'login',
  'logon',
  'member',
  'membership',
  'mfa',
  'owner',
  'password',
  'permission',
  'permissions',
  'policy',
  'privilege',
  'role',
  'roles',
  'root',
  'saml',
  'secret',
  'session',
  'signin',
  'sso',
  'sudo',
  'token',
  'trust',
  'user',
  'revoke',
  'revocation',
]);
// A first word that only reads state: ignoring reads loses no lifecycle evidence.
const READ_VERBS = new Set([
  'get',
  'list',
  'describe',
  'lookup',
  'search',
  'view',
  'read',
  'head',
  'batchget',
  'query',
  'select',
  'check',
  'simulate',
  'validate',
  'test',
]);
// Reasons importers give for ignoring a record that are not event kinds at all.
const NOT_KINDS = new Set(['duplicate', 'digest', 'empty', 'header', 'comment', 'blank']);

/** Splits CamelCase, dotted, snake and kebab names into lower-case words. */
export function words(kind: string): string[] {
  return kind
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * Conservative on noise, not on evidence: a kind is flagged when one of its words is a security
 * word and its first word is not a read verb. Reason strings (duplicate, ...) are never flagged.
 */
export function looksSecurityRelevant(kind: string): string | undefined {
  const w = words(kind);
  if (w.length === 0 || NOT_KINDS.has(kind.toLowerCase()) || READ_VERBS.has(w[0])) return undefined;
  return w.find((word) => SECURITY_WORDS.has(word));
}

export const unknownEventType: Rule = {
  meta: defineMeta({
    id: 'unknown-event-type',
    title: 'Security-relevant records ignored by the importer',
    severity: 'low',
    rationale:
      'An importer ignores record kinds it does not map to the lifecycle; when such a kind names ' +
      'roles, credentials or sessions, evidence may be missing from the timeline.',
    remediation:
      'Check the records of that kind in the source; map the kind in the importer or confirm it is irrelevant.',
    controlsNote:
      'control-references.md has no row for this rule; the references are the log-completeness ones of coverage-gap.',
    evidenceFamilies: [],
    policyParameters: [],
    limitations: [
      'Heuristic on the event name: a security word in it, not starting with a read verb (Get, List, Describe...).',
    ],
  }),
  check({ accounting, firstIgnored, sinceMs }) {
    // The accounting counts ignored records; where the first of each kind is comes beside it.
    const firstAt = new Map<string, string>();
    for (const first of firstIgnored ?? []) {
      firstAt.set(`${first.file}\u0000${first.kind}`, first.locator);
    }
    const byKind = new Map<
      string,
      {
        importer: string;
        kind: string;
        word: string;
        count: number;
        files: Set<string>;
        atMs: number;
      }
    >();
    for (const file of accounting) {
      if (!file.importer) continue;
      for (const [kind, count] of Object.entries(file.ignoredByKind)) {
        const word = looksSecurityRelevant(kind);
        if (!word) continue;
        const key = `${file.importer}\u0000${kind}`;
        const entry = byKind.get(key) ?? {
          importer: file.importer,
          kind,
          word,
          count: 0,
          files: new Set(),
          atMs: Infinity,
        };
        entry.count += count;
        entry.files.add(file.file);
        entry.atMs = Math.min(
          entry.atMs,
          file.coverage.from ? Date.parse(file.coverage.from) : sinceMs,
        );
        byKind.set(key, entry);
      }
    }
    return [...byKind.values()]
      .sort((a, b) => (a.importer + a.kind < b.importer + b.kind ? -1 : 1))
      .map((e): GapDraft => {
        const files = [...e.files].sort();
        const first = files[0] as string;
        const locator = firstAt.get(`${first}\u0000${e.kind}`);
        const where = locator === undefined ? '' : ` (the first at ${locator} of ${first})`;
        return {
          grant: null,
          subject: null,
          target: null,
          atMs: Number.isFinite(e.atMs) ? e.atMs : sinceMs,
          coverage: 'covered',
          evidence: [],
          message:
            `${e.count} ${e.kind} record(s) in ${list(files, 3)} were ignored by the ${e.importer} ` +
            `importer${where}; the name ("${e.word}") suggests they may bear on privileged access.`,
        };
      });
  },
};
