// ArcSight CEF parser: header fields, extension key=value pairs and the CEF escaping rules.

/** One CEF record; extension values come both unescaped and exactly as written. */
export interface CefRecord {
  version: string;
  vendor: string;
  product: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  /** Values with the CEF escapes applied (`\=`, `\\`, `\n`, `\r`). */
  extensions: Record<string, string>;
  /** Values exactly as written between `key=` and the next key. */
  rawExtensions: Record<string, string>;
}

export class CefError extends Error {}

/** Index of the `CEF:` marker in a line (after any syslog header), or -1. */
export function findCefStart(line: string): number {
  const match = /(?:^|[\s>])CEF:\d/.exec(line);
  if (!match) return -1;
  return match.index + (line.startsWith('CEF:', match.index) ? 0 : 1);
}

/** Parses text that starts with `CEF:`; throws CefError naming what is missing. */
export function parseCef(text: string): CefRecord {
  if (!text.startsWith('CEF:')) throw new CefError('expected a CEF record starting with "CEF:"');

  const { fields, rest } = splitHeader(text.slice(4));
  if (fields.length < 7) {
    throw new CefError(`CEF header has ${fields.length} of 7 "|"-separated fields`);
  }

  const rawExtensions = splitExtensions(rest);
  const extensions: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawExtensions)) {
    extensions[key] = unescapeCefValue(value);
  }

  const [version, vendor, product, deviceVersion, signatureId, name, severity] = fields;
  return {
    ...{ version, vendor, product, deviceVersion, signatureId, name, severity },
    extensions,
    rawExtensions,
  };
}

// Header fields are split on unescaped pipes; `\|` and `\\` are the only header escapes
// (ArcSight CEF spec). The seventh pipe ends the header; the rest is the extension.
function splitHeader(text: string): { fields: string[]; rest: string } {
  const fields: string[] = [];
  let current = '';
  let index = 0;
  while (index < text.length && fields.length < 7) {
    const char = text[index];
    const next = text[index + 1];
    if (char === '\\' && (next === '|' || next === '\\')) {
      current += next;
      index += 2;
      continue;
    }
    if (char === '|') {
      fields.push(current);
      current = '';
    } else {
      current += char;
    }
    index += 1;
  }
  return { fields, rest: text.slice(index) };
}

// A key is a run of key characters directly followed by an unescaped `=`, at the start or
// after a space. Key characters exclude the backslash, so `\=` inside a value never starts a key.
const EXTENSION_KEY = /(?:^| )([A-Za-z0-9_.[\]-]+)=/g;

function splitExtensions(text: string): Record<string, string> {
  const starts: { key: string; keyAt: number; valueAt: number }[] = [];
  for (const match of text.matchAll(EXTENSION_KEY)) {
    const keyAt = match.index + (match[0].startsWith(' ') ? 1 : 0);
    starts.push({ key: match[1], keyAt, valueAt: match.index + match[0].length });
  }

  const values: Record<string, string> = {};
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].keyAt - 1 : text.length;
    // Senders pad values before the next key (Secret Server ends msg with two spaces); the
    // padding is not data, so trailing white space is dropped.
    const value = text.slice(start.valueAt, Math.max(end, start.valueAt)).replace(/\s+$/, '');
    if (!(start.key in values)) values[start.key] = value;
  });
  return values;
}

/**
 * Applies the CEF extension escapes. A backslash before any other character is kept as a
 * literal backslash: some senders do not escape `DOMAIN\user` (Secret Server does not).
 * With `newlines: false`, `\n` and `\r` stay literal too (for names such as `BANK\nora`).
 */
export function unescapeCefValue(value: string, options: { newlines?: boolean } = {}): string {
  const newlines = options.newlines ?? true;
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i];
    const next = value[i + 1];
    if (char !== '\\' || next === undefined) {
      out += char;
      continue;
    }
    if (next === '\\' || next === '=' || next === '|') {
      out += next;
      i += 1;
    } else if (newlines && next === 'n') {
      out += '\n';
      i += 1;
    } else if (newlines && next === 'r') {
      out += '\r';
      i += 1;
    } else {
      out += char;
    }
  }
  return out;
}

/** A non-empty extension value; `None` and `-` (vendor placeholders for empty) count as absent. */
export function cefValue(record: CefRecord, key: string): string | undefined {
  const value = record.extensions[key];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === 'None' || trimmed === '-' ? undefined : trimmed;
}

/** An identity-like extension value: escapes applied except `\n`/`\r` (user names, paths). */
export function cefName(record: CefRecord, key: string): string | undefined {
  const raw = record.rawExtensions[key];
  if (raw === undefined) return undefined;
  const value = unescapeCefValue(raw, { newlines: false }).trim();
  return value === '' || value === 'None' || value === '-' ? undefined : value;
}

/**
 * The value of the custom field whose label matches (cs1Label="Safe Name" -> cs1), compared
 * case-insensitively and without the quotes some senders (CyberArk) put around labels.
 */
export function cefLabeled(record: CefRecord, label: string): string | undefined {
  const wanted = label.toLowerCase();
  for (const [key, value] of Object.entries(record.extensions)) {
    if (!key.endsWith('Label') || key === 'Label') continue;
    if (unquote(value).toLowerCase() !== wanted) continue;
    const found = cefValue(record, key.slice(0, -'Label'.length));
    if (found !== undefined) return found;
  }
  return undefined;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}
