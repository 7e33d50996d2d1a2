// Faults the property tests found, each pinned with its exact outcome so it stays fixed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter } from '../../src/read/json-stream.js';
import { parseEpoch, parseIsoTime, toUtcIso } from '../../src/util/time.js';
import { fixturesDir, importer, importItems, readBytes } from './helpers.js';

function split(text: string): { locator: string; problem?: string }[] {
  const seen: { locator: string; problem?: string }[] = [];
  const splitter = new JsonRecordSplitter((record, problem) =>
    seen.push(problem ? { locator: record.locator, problem } : { locator: record.locator }),
  );
  splitter.write(Buffer.from(text));
  splitter.end();
  return seen;
}

const oktaRecord = () =>
  JSON.parse(
    readFileSync(path.join(fixturesDir, 'okta', 'admin-roles-tokens.ndjson'), 'utf8').split(
      '\n',
    )[0],
  );

describe('JSON splitter', () => {
  it('a stray closing brace is one fault at its byte (it used to recurse until the stack overflowed)', () => {
    expect(split('{"a":1}}')).toEqual([
      { locator: 'line 1' },
      { locator: 'byte 7', problem: "invalid JSON: unexpected '}' at byte 7 (line 1)" },
    ]);
    expect(split('[1,}]')).toEqual([
      { locator: '/0' },
      { locator: 'byte 3', problem: "invalid JSON: unexpected '}' at byte 3 (line 1)" },
      { locator: 'byte 4', problem: "invalid JSON: trailing ',' before ']' at byte 4 (line 1)" },
    ]);
  });

  it('documents sharing a line get distinct locators, so none loses its outcome', () => {
    expect(split('{"a":1}{"b":2} {"c":3}').map((s) => s.locator)).toEqual([
      'line 1',
      'line 1 byte 7',
      'line 1 byte 15',
    ]);
    expect(split('{"Records":[1]}{"Records":[2]}').map((s) => s.locator)).toEqual([
      '/Records/0',
      'line 1 byte 15 /Records/0',
    ]);
  });

  it('two faults at one byte get distinct locators', () => {
    expect(split('[1 {"a":').map((s) => s.locator)).toEqual(['/0', 'byte 3', 'byte 3 (fault 2)']);
  });
});

describe('pipeline accounting', () => {
  it('an ignored kind named __proto__ is counted like any other', async () => {
    const line = readFileSync(path.join(fixturesDir, 'teleport', 'audit.log'), 'utf8').split(
      '\n',
    )[0];
    const record = { ...JSON.parse(line), event: '__proto__', code: 'X0000I' };
    const items = await readBytes(Buffer.from(JSON.stringify(record)), importer('teleport'));
    const result = importItems(importer('teleport'), items);
    expect(result.accounting.ignored).toBe(1);
    expect(Object.entries(result.accounting.ignoredByKind)).toEqual([['__proto__', 1]]);
  });

  it('a party named only by blanks is rejected, never put on the timeline with an empty id', async () => {
    const record = oktaRecord();
    record.actor.alternateId = ' ';
    record.actor.id = ' ';
    record.target = [];
    const items = await readBytes(
      Buffer.from(JSON.stringify({ ...record, eventType: 'user.session.start' })),
      importer('okta'),
    );
    const result = importItems(importer('okta'), items);
    expect(result.events).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0].reason).toMatch(
      /^importer produced an invalid event: actor\.id: Too small/,
    );
  });
});

describe('importers', () => {
  it('jira-xml: a document the validator passes but the parser refuses is one located fault', async () => {
    const items = await readBytes(
      Buffer.from('<rss><channel><item></item></channel></rss><?x'),
      importer('jira-xml'),
    );
    expect(items.map((item) => item.problem ?? 'record')).toEqual([
      expect.stringMatching(/^not well-formed XML/),
    ]);
  });

  it('vault: a lease response without a request path still issues, with no empty target', async () => {
    const lines = readFileSync(path.join(fixturesDir, 'vault', 'audit.log'), 'utf8')
      .split('\n')
      .filter(Boolean);
    const leaseLine = lines.find((line) => line.includes('"lease_id":"database/creds/'));
    expect(leaseLine).toBeDefined();
    const entry = JSON.parse(leaseLine as string);
    entry.request.path = '';
    const items = await readBytes(Buffer.from(JSON.stringify(entry)), importer('vault'));
    const result = importItems(importer('vault'), items);
    expect(result.thrown).toEqual([]);
    const issued = result.events.find((event) => event.stage === 'issuance');
    expect(issued?.target).toBeUndefined();
    expect(issued?.summary).toMatch(/^Vault issued a leased credential from an unnamed path to /);
  });

  it('teleport: an epoch beyond year 9999 rejects the record with the range, not a thrown error', async () => {
    const line = readFileSync(path.join(fixturesDir, 'teleport', 'audit.log'), 'utf8').split(
      '\n',
    )[0];
    const items = await readBytes(
      Buffer.from(JSON.stringify({ ...JSON.parse(line), time: 1e20 })),
      importer('teleport'),
    );
    const result = importItems(importer('teleport'), items);
    expect(result.thrown).toEqual([]);
    expect(result.rejected.map((r) => r.reason)).toEqual([
      'time unusable: time out of range: epoch ms value 100000000000000000000 is outside years 0000-9999',
    ]);
  });
});

describe('gcp-audit', () => {
  it('a SetIamPolicy whose binding deltas are unreadable is rejected, not accepted with no event', async () => {
    const line = readFileSync(
      path.join(fixturesDir, 'gcp-audit', 'audit-lifecycle.ndjson'),
      'utf8',
    ).split('\n')[0];
    const entry = JSON.parse(line);
    entry.protoPayload.serviceData = { policyDelta: { bindingDeltas: [1, 'x'] } };
    const items = await readBytes(Buffer.from(JSON.stringify(entry)), importer('gcp-audit'));
    const result = importItems(importer('gcp-audit'), items);
    expect(result.accounting).toMatchObject({ read: 1, normalized: 0, rejected: 1 });
    expect(result.rejected[0].reason).toMatch(
      /^SetIamPolicy: no readable entry in serviceData\.policyDelta\.bindingDeltas/,
    );
  });
});

describe('time range', () => {
  it('epochs and offsets that leave years 0000-9999 are TimeErrors, the bounds themselves are kept', () => {
    expect(() => parseEpoch(1e20, 'ms')).toThrow(/out of range/);
    expect(() => parseIsoTime('9999-12-31T23:30:00-01:00')).toThrow(/out of range/);
    expect(() => toUtcIso(Number.NaN)).toThrow(/out of range/);
    expect(toUtcIso(parseIsoTime('9999-12-31T23:59:59.999Z'))).toBe('9999-12-31T23:59:59.999Z');
    expect(toUtcIso(parseIsoTime('0000-01-01T00:00:00Z'))).toBe('0000-01-01T00:00:00.000Z');
    expect(toUtcIso(parseEpoch(-1, 's'))).toBe('1969-12-31T23:59:59.000Z');
  });
});
