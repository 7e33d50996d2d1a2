// Tests for pseudonymized bundles: people replaced consistently, services kept, reveal by key.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as reveal } from '../../src/cli/reveal.js';
import {
  createPseudonymKey,
  loadPseudonymKey,
  pseudonymize,
  pseudonymOf,
} from '../../src/export/pseudonymize.js';
import type { TimelineEvent } from '../../src/model/event.js';
import type { Gap } from '../../src/model/gap.js';
import type { Grant } from '../../src/model/grant.js';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const source = { importer: 'okta', file: 'okta.ndjson', sha256: 'a'.repeat(64), locator: 'line 1' };

function event(overrides: Partial<TimelineEvent>): TimelineEvent {
  return {
    id: 'ev-1',
    at: '2026-02-10T09:00:00.000Z',
    stage: 'issuance',
    source,
    tickets: [],
    action: 'grant',
    outcome: 'success',
    summary: '',
    ...overrides,
  };
}

const events: TimelineEvent[] = [
  event({
    id: 'ev-1',
    actor: { id: 'omar.haddad@bank.example', raw: 'Omar.Haddad@Bank.example', kind: 'human' },
    subject: { id: 'alice@bank.example', raw: 'alice@bank.example', kind: 'human' },
    target: {
      id: 'AROAFICT:alice@bank.example',
      raw: 'AROAFICT:alice@bank.example',
      kind: 'role',
      name: 'ProdAdmin',
    },
    reason: 'ACC-12 for alice@bank.example, approved by Omar.Haddad@Bank.example',
    summary:
      'Omar.Haddad@Bank.example granted ProdAdmin to alice@bank.example (not to malice@bank.example)',
    grantKey: 'session:alice@bank.example',
  }),
  event({
    id: 'ev-2',
    stage: 'activity',
    actor: { id: 'deploy-bot', raw: 'deploy-bot', kind: 'service' },
    subject: { id: 'BANK\\jdoe', raw: 'BANK\\jdoe', kind: 'unknown' },
    summary: 'deploy-bot ran as BANK\\jdoe',
  }),
];

const grants: Grant[] = [
  {
    id: 'gr-1',
    subject: { id: 'alice@bank.example', kind: 'human' },
    target: { id: 'AROAFICT:alice@bank.example', name: 'ProdAdmin' },
    requestedAt: null,
    approvals: [{ by: 'omar.haddad@bank.example', at: '2026-02-10T08:59:00.000Z' }],
    denials: [],
    issuedAt: '2026-02-10T09:00:00.000Z',
    expiresAt: null,
    endedAt: null,
    endReason: 'open',
    sessions: [],
    tickets: ['ACC-12'],
    breakGlass: false,
    eventIds: ['ev-1'],
    links: [{ eventId: 'ev-1', reason: 'same subject alice@bank.example' }],
    gapIds: ['gap-1'],
  },
  {
    id: 'gr-2',
    subject: { id: 'deploy-bot', kind: 'service' },
    target: { id: 'prod-deploy', name: 'Deployer' },
    requestedAt: null,
    approvals: [],
    denials: [],
    issuedAt: null,
    expiresAt: null,
    endedAt: null,
    endReason: 'open',
    sessions: [],
    tickets: [],
    breakGlass: false,
    eventIds: ['ev-2'],
    links: [],
    gapIds: [],
  },
];

const controls = {
  dora: [],
  rts2024_1774: [],
  owaspNhi2025: [],
  nistCsf2: [],
  iso27001_2022: [],
  nist80053r5: [],
};
const gaps: Gap[] = [
  {
    id: 'gap-1',
    rule: 'never-revoked',
    severity: 'high',
    grantId: 'gr-1',
    subject: 'alice@bank.example',
    target: 'AROAFICT:alice@bank.example',
    at: '2026-02-10T09:00:00.000Z',
    message:
      'ProdAdmin granted to alice@bank.example by omar.haddad@bank.example was never revoked',
    evidence: ['ev-1'],
    controls,
    coverage: 'covered',
    certainty: 'certain',
  },
];

describe('pseudonymize', () => {
  const alice = pseudonymOf('alice@bank.example', KEY);
  const omar = pseudonymOf('omar.haddad@bank.example', KEY);
  const jdoe = pseudonymOf('BANK\\jdoe', KEY);
  const out = pseudonymize({ events, grants, gaps }, KEY);

  it('gives p- and 16 hex digits, the same for the same person and key, different per key', () => {
    expect(alice).toMatch(/^p-[0-9a-f]{16}$/);
    expect(pseudonymOf('alice@bank.example', KEY)).toBe(alice);
    expect(pseudonymOf('alice@bank.example', Buffer.from('another key of sixteen+'))).not.toBe(
      alice,
    );
    expect(alice).not.toBe(omar);
  });

  it('replaces people in events: ids, raw values and every spelling in text', () => {
    const [first, second] = out.events;
    expect(first.actor).toEqual({ id: omar, raw: omar, kind: 'human' });
    expect(first.subject).toEqual({ id: alice, raw: alice, kind: 'human' });
    expect(first.target).toEqual({
      id: `AROAFICT:${alice}`,
      raw: `AROAFICT:${alice}`,
      kind: 'role',
      name: 'ProdAdmin',
    });
    expect(first.reason).toBe(`ACC-12 for ${alice}, approved by ${omar}`);
    expect(first.summary).toBe(
      `${omar} granted ProdAdmin to ${alice} (not to malice@bank.example)`,
    );
    expect(first.grantKey).toBe(`session:${alice}`);
    expect(second.subject).toEqual({ id: jdoe, raw: jdoe, kind: 'unknown' });
    expect(second.summary).toBe(`deploy-bot ran as ${jdoe}`);
  });

  it('keeps service identities readable, and replaces them when configured', () => {
    expect(out.events[1].actor).toEqual({ id: 'deploy-bot', raw: 'deploy-bot', kind: 'service' });
    expect(out.grants[1].subject).toEqual({ id: 'deploy-bot', kind: 'service' });
    const all = pseudonymize({ events, grants, gaps }, KEY, {
      kinds: ['human', 'unknown', 'service'],
    });
    expect(all.events[1].actor?.id).toBe(pseudonymOf('deploy-bot', KEY));
    expect(all.events[1].summary).toBe(`${pseudonymOf('deploy-bot', KEY)} ran as ${jdoe}`);
  });

  it('replaces grant subjects, approvers, link reasons, gap subjects and messages consistently', () => {
    expect(out.grants[0].subject).toEqual({ id: alice, kind: 'human' });
    expect(out.grants[0].approvals).toEqual([{ by: omar, at: '2026-02-10T08:59:00.000Z' }]);
    expect(out.grants[0].target.id).toBe(out.events[0].target?.id);
    expect(out.grants[0].links[0].reason).toBe(`same subject ${alice}`);
    expect(out.gaps[0].subject).toBe(alice);
    expect(out.gaps[0].target).toBe(`AROAFICT:${alice}`);
    expect(out.gaps[0].message).toBe(`ProdAdmin granted to ${alice} by ${omar} was never revoked`);
  });

  it('leaves no identifier of a person anywhere, and the input untouched', () => {
    const text = JSON.stringify(out);
    for (const name of ['alice@bank.example', 'omar.haddad', 'Omar.Haddad', 'jdoe'])
      expect(text.includes(name) && !text.includes(`m${name}`)).toBe(false);
    expect(events[0].subject?.id).toBe('alice@bank.example');
    expect(gaps[0].message).toContain('alice@bank.example');
  });
});

describe('pseudonymization key', () => {
  it('is created with 32 random bytes as hex, mode 0600, and never overwritten', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dora-pkey-'));
    const file = path.join(dir, 'pseudonyms.key');
    await createPseudonymKey(file);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await expect(createPseudonymKey(file)).rejects.toThrow(/EEXIST/);
    expect((await loadPseudonymKey(file)).length).toBe(64);
  });

  it('accepts any file of 16 bytes or more, ignoring a trailing newline, and refuses shorter ones', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dora-pkey-'));
    writeFileSync(path.join(dir, 'a.key'), 'a passphrase long enough\n');
    writeFileSync(path.join(dir, 'b.key'), 'a passphrase long enough');
    writeFileSync(path.join(dir, 'short.key'), 'short\n');
    expect(await loadPseudonymKey(path.join(dir, 'a.key'))).toEqual(
      await loadPseudonymKey(path.join(dir, 'b.key')),
    );
    await expect(loadPseudonymKey(path.join(dir, 'short.key'))).rejects.toThrow(
      /holds 5 bytes; at least 16/,
    );
  });
});

describe('reveal', () => {
  let stdout: string[];
  let stderr: string[];
  beforeEach(() => {
    stdout = [];
    stderr = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(
      (chunk) => (stdout.push(String(chunk)), true),
    );
    vi.spyOn(process.stderr, 'write').mockImplementation(
      (chunk) => (stderr.push(String(chunk)), true),
    );
  });
  afterEach(() => vi.restoreAllMocks());

  function setup(): { dir: string; keyFile: string; timeline: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'dora-reveal-'));
    const keyFile = path.join(dir, 'p.key');
    writeFileSync(keyFile, KEY);
    const timeline = path.join(dir, 'timeline.jsonl');
    writeFileSync(timeline, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    return { dir, keyFile, timeline };
  }

  it('finds the identifier among the candidates of an unpseudonymized timeline', async () => {
    const { keyFile, timeline } = setup();
    const code = await reveal({
      pseudonym: pseudonymOf('omar.haddad@bank.example', KEY),
      key: keyFile,
      candidates: [timeline],
    });
    expect(code).toBe(0);
    expect(stdout.join('')).toBe('omar.haddad@bank.example\nOmar.Haddad@Bank.example\n');
  });

  it('takes identifiers directly, normalizing e-mail case as the importers do', async () => {
    const { keyFile } = setup();
    const code = await reveal({
      pseudonym: pseudonymOf('alice@bank.example', KEY),
      key: keyFile,
      candidates: ['bob@bank.example,ALICE@bank.example'],
      json: true,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.join(''))).toEqual({
      pseudonym: pseudonymOf('alice@bank.example', KEY),
      candidates: 2,
      matches: ['ALICE@bank.example'],
    });
  });

  it('exits 1 when no candidate matches, and 2 without candidates or with a bad pseudonym', async () => {
    const { keyFile } = setup();
    expect(
      await reveal({
        pseudonym: pseudonymOf('nobody', KEY),
        key: keyFile,
        candidates: ['alice@bank.example'],
      }),
    ).toBe(1);
    expect(stderr.join('')).toContain('none of 1 candidate identifiers has pseudonym');
    await expect(reveal({ pseudonym: pseudonymOf('x', KEY), key: keyFile })).rejects.toThrow(
      /one-way/,
    );
    await expect(reveal({ pseudonym: 'alice', key: keyFile, candidates: ['x'] })).rejects.toThrow(
      /expected a pseudonym/,
    );
  });

  it('writes a new key with --new-key and refuses to overwrite it', async () => {
    const { dir } = setup();
    const file = path.join(dir, 'new.key');
    expect(await reveal({ newKey: file })).toBe(0);
    expect(existsSync(file)).toBe(true);
    await expect(reveal({ newKey: file })).rejects.toThrow(/never overwritten/);
  });
});
