// Planted secrets: every importer fed records carrying credentials; none may reach the timeline.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { importers } from '../../src/importers/index.js';
import type { Importer } from '../../src/importers/types.js';
import type { RawRecord } from '../../src/read/record.js';
import type { ReadItem } from '../../src/read/records.js';
import {
  fixtureFilesByImporter,
  fixturesDir,
  importItems,
  readBytes,
  readMaybeGzip,
} from './helpers.js';

// Invented credentials of the real shapes.
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzPLANTEDKEY1';
const SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEPlantedSessionToken0123456789abcdefGHIJKLmnopQRSTuvwxYZ/+9876543210zyxwVUTSrqpo';
const JWT =
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwbGFudGVkQGJhbmsuZXhhbXBsZSJ9.UGxhbnRlZFNpZ25hdHVyZVZhbHVl';
const VAULT_TOKEN = 'hvs.CAESIPlantedVaultTokenValue0123456789';
const GITHUB_TOKEN = 'ghp_Planted0123456789abcdefABCDEF012345';
const PASSWORD = 'Hunter2Planted!';
const PEM =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUPlanted\n-----END OPENSSH PRIVATE KEY-----';

const SECRETS = [
  AWS_SECRET,
  SESSION_TOKEN,
  JWT,
  VAULT_TOKEN,
  GITHUB_TOKEN,
  PASSWORD,
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUPlanted',
];
/** What an analyst or admin pastes into a justification by mistake. */
const PASTE = `password=${PASSWORD} key ${AWS_SECRET} use ${JWT} or ${GITHUB_TOKEN}`;

// Fields whose text importers carry into reasons and summaries.
const FREE_TEXT =
  /reason|justification|comment|body|description|message|msg|note|summary|details|command|title|display|short_description|work_notes|close_notes/i;
// Fields that hold credentials in the vendors' own formats.
const CREDENTIAL_FIELDS: Record<string, string> = {
  sessionToken: SESSION_TOKEN,
  secretAccessKey: AWS_SECRET,
  client_token: VAULT_TOKEN,
  token: JWT,
  password: PASSWORD,
};

function plantJson(value: unknown, key = '', depth = 0): unknown {
  if (depth > 12) return value;
  if (typeof value === 'string') {
    if (key in CREDENTIAL_FIELDS && !value.startsWith('hmac-sha256:'))
      return CREDENTIAL_FIELDS[key];
    const nested = value.trim().startsWith('{') ? tryParse(value) : undefined;
    if (nested !== undefined) return JSON.stringify(plantJson(nested, key, depth + 1));
    return FREE_TEXT.test(key) ? `${value} ${PASTE}` : value;
  }
  if (Array.isArray(value)) return value.map((item) => plantJson(item, key, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plantJson(v, k, depth + 1);
  // CloudTrail AssumeRole / GetSessionToken responses carry the issued credentials.
  if (isCredentials(out))
    Object.assign(out, { sessionToken: SESSION_TOKEN, secretAccessKey: AWS_SECRET });
  // Okta debug data: tokens and URLs with tokens in their query.
  if (key === 'debugContext')
    out.debugData = {
      ...(out.debugData as object),
      token: JWT,
      requestUri: `/oauth2/v1/logout?id_token_hint=${JWT}`,
    };
  // Vault with HMAC switched off (log_raw): request data in the clear.
  if (key === 'request' && 'path' in out)
    out.data = { ...(out.data as object), password: PASSWORD, private_key: PEM };
  return out;
}

function isCredentials(value: Record<string, unknown>): boolean {
  return (
    typeof value.accessKeyId === 'string' && ('sessionToken' in value || 'expiration' in value)
  );
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function plantLine(text: string): string {
  return text.replace(/\b(reason=|msg=|Details: |cs5=|message=)/g, `$1${PASTE} `);
}

function plant(record: RawRecord): RawRecord {
  const data = record.data;
  if (data.kind === 'json')
    return { ...record, data: { kind: 'json', value: plantJson(data.value) } };
  if (data.kind === 'line')
    return { ...record, data: { kind: 'line', text: plantLine(data.text) } };
  const cells = data.row.cells.map((cell, i) => {
    // JSON held in a cell (CyberArk's customData) is planted like a JSON record.
    const nested = cell.trim().startsWith('{') ? tryParse(cell) : undefined;
    if (nested !== undefined) return JSON.stringify(plantJson(nested));
    return FREE_TEXT.test(data.row.headers[i] ?? '') && cell !== '' ? `${cell} ${PASTE}` : cell;
  });
  return { ...record, data: { kind: 'csv', row: { headers: data.row.headers, cells } } };
}

async function plantedItems(imp: Importer, file: string): Promise<ReadItem[]> {
  if (imp.input === 'xml') {
    const text = readMaybeGzip(file).toString('utf8');
    const planted = text.replace(
      /(<(?:description|comment|summary|reason)[^>]*>)/g,
      `$1${PASTE.replace(/&/g, '&amp;')} `,
    );
    return readBytes(Buffer.from(planted), imp);
  }
  return (await readBytes(readMaybeGzip(file), imp)).map((item) =>
    item.problem ? item : { ...item, record: plant(item.record) },
  );
}

/** Options the fixtures' own configs give (csv-mapped columns, ServiceNow display zones). */
function configOptions(): Record<string, Record<string, unknown>> {
  const options: Record<string, Record<string, unknown>> = {};
  for (const file of ['csv-mapped/dora-evidence.yaml', 'servicenow/dora-evidence.yaml']) {
    const config = parseYaml(readFileSync(path.join(fixturesDir, file), 'utf8')) as {
      importers?: Record<string, Record<string, unknown>>;
    };
    Object.assign(options, config.importers ?? {});
  }
  return options;
}
const OPTIONS = configOptions();

// Importers whose events carry no free text from the source (Delinea's importer takes tickets
// from the Details text but writes no reason): nothing there to mask, only nothing to leak.
const NO_FREE_TEXT = new Set<string>(['delinea', 'delinea-json']);

describe('planted secrets never reach the timeline', () => {
  let fixtures = new Map<string, string[]>();
  beforeAll(async () => {
    fixtures = await fixtureFilesByImporter();
    fixtures.set('csv-mapped', [path.join(fixturesDir, 'csv-mapped', 'gatekeep-access-log.csv')]);
  });

  it.each([...importers.keys()])('%s', async (id) => {
    const imp = importers.get(id) as Importer;
    let events = 0;
    let masked = 0;
    for (const file of fixtures.get(id) ?? []) {
      const settings = { timezone: 'Europe/Berlin', options: OPTIONS[id] ?? {} };
      const result = importItems(imp, await plantedItems(imp, file), settings, file);
      const text = JSON.stringify(result.events);
      for (const secret of SECRETS) {
        const at = text.indexOf(secret);
        expect(
          at < 0 ? '' : text.slice(Math.max(0, at - 160), at + 20),
          `${id} ${file} leaks ${secret}`,
        ).toBe('');
      }
      events += result.events.length;
      masked += result.events.filter((event) => JSON.stringify(event).includes('[REDACTED')).length;
    }
    expect(events, `${id} produced no events from its planted fixtures`).toBeGreaterThan(0);
    if (!NO_FREE_TEXT.has(id))
      expect(
        masked,
        `${id}: no planted secret reached a field that needed masking`,
      ).toBeGreaterThan(0);
  });
});
