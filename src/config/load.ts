// Loads and validates the config file (YAML or JSON); every problem is reported with its key path.
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { RuleId } from '../model/gap.js';
import { ConfigSchema, type Config } from './schema.js';

export interface ConfigProblem {
  /** Dotted key path, e.g. `policy.maxTtl` or `targets[2].approvers`; `(root)` for the whole file. */
  path: string;
  /** What was expected there. */
  expected: string;
}

/** A config that cannot be used; `problems` lists every bad key (the CLI exits 2). */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `invalid config ${file}:\n` + problems.map((p) => `  ${p.path}: ${p.expected}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(path, [{ path: '(root)', expected: `a readable file (${reason})` }]);
  }
  return parseConfigText(text, path);
}

/** Parses config text; JSON is read as YAML 1.2, of which it is a subset. */
export function parseConfigText(text: string, file = '(config)'): Config {
  const document = parseDocument(text.replace(/^\uFEFF/, ''), {
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((e) => ({
        path: '(root)',
        expected: `valid YAML or JSON (${e.message.split('\n')[0]})`,
      })),
    );
  }
  return parseConfig(document.toJS() ?? {}, file);
}

/** Validates an already parsed value and applies the defaults. */
export function parseConfig(value: unknown, file = '(config)'): Config {
  const result = ConfigSchema.safeParse(value);
  const problems = [
    ...(result.success ? [] : result.error.issues.flatMap(describeIssue)),
    ...crossChecks(value),
  ];
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(file, problems);
}

/**
 * Checks across entries, run on the raw value so they are reported together with the schema's
 * problems: rule ids exist, and every identity or target name (id or alias, compared
 * case-insensitively as resolution does) belongs to one entry only.
 */
function crossChecks(value: unknown): ConfigProblem[] {
  if (!isRecord(value)) return [];
  const problems: ConfigProblem[] = [];
  if (isRecord(value.rules)) {
    for (const key of Object.keys(value.rules)) {
      if (!RuleId.safeParse(key).success) {
        problems.push({ path: `rules.${key}`, expected: 'a rule id (see `dora-evidence rules`)' });
      }
    }
  }
  for (const section of ['identities', 'targets'] as const) {
    const entries = value[section];
    if (!Array.isArray(entries)) continue;
    const owners = new Map<string, string>();
    entries.forEach((entry, index) => {
      if (!isRecord(entry) || typeof entry.id !== 'string') return;
      const aliases = Array.isArray(entry.aliases) ? entry.aliases : [];
      [entry.id, ...aliases].forEach((name, position) => {
        if (typeof name !== 'string') return;
        const key = name.trim().toLowerCase();
        const owner = owners.get(key);
        if (owner !== undefined && owner !== entry.id) {
          const path =
            position === 0
              ? `${section}[${index}].id`
              : `${section}[${index}].aliases[${position - 1}]`;
          problems.push({
            path,
            expected: `a name no other entry uses (${JSON.stringify(name)} already names ${owner})`,
          });
        }
        owners.set(key, entry.id as string);
      });
    });
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The built-in defaults, used when no config file is given. */
export function defaultConfig(): Config {
  return parseConfig({});
}

function describeIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        expected: 'no such key (check the spelling against the README section "Configuration")',
      }));
    case 'invalid_type': {
      // zod words it "Invalid input: expected boolean, received string"; keep the received part.
      const received = /received (\w+)/.exec(issue.message)?.[1];
      const missing =
        received === 'undefined' ? ' (missing)' : received ? `, got ${article(received)}` : '';
      return [{ path, expected: `${article(issue.expected)}${missing}` }];
    }
    case 'invalid_value':
      return [
        { path, expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` },
      ];
    case 'invalid_union': {
      // A branch that failed below the union's own level (an object with a bad field) is the
      // one the author meant; report its problems at their full path.
      const deepest = issue.errors.find((branch) => branch.some((b) => b.path.length > 0));
      if (deepest)
        return deepest.flatMap((b) => describeIssue({ ...b, path: [...issue.path, ...b.path] }));
      return [{ path, expected: unionExpectation(issue) }];
    }
    default:
      return [{ path, expected: issue.message.replace(/^Invalid input: /, '') }];
  }
}

/** Union members fail in different ways; name the simple alternatives, else the first reason. */
function unionExpectation(issue: z.core.$ZodIssueInvalidUnion): string {
  const reasons = issue.errors.map((branch) => branch[0]).filter((b) => b !== undefined);
  const custom = reasons.find((r) => r.code === 'custom');
  if (custom) return custom.message;
  const names = reasons.flatMap((r) => {
    if (r.code === 'invalid_value') return r.values.map((v) => JSON.stringify(v));
    if (r.code === 'invalid_type') return [r.expected];
    return [];
  });
  return names.length > 0 ? `one of ${[...new Set(names)].join(', ')}` : 'a valid value';
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
