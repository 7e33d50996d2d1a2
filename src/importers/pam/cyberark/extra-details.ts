// CyberArk's packed fields: ExtraDetails `key=value;` strings and CAProperties name/value lists.
import { isObject, str } from '../../common.js';

/**
 * Parses ExtraDetails (`ApplicationType=PSMP-SSH;DstHost=...;SessionID=...;`). `\;` and `\=`
 * escape the separators (Vault audit XSL); values may hold quotes (`Command=ls "/var/tmp"`).
 * Keys keep their case; an empty value is kept as ''.
 */
export function parseExtraDetails(text: string | undefined): Record<string, string> {
  const pairs: Record<string, string> = {};
  if (!text) return pairs;

  let key = '';
  let value = '';
  let inValue = false;
  const flush = () => {
    const name = key.trim();
    if (name !== '' && !(name in pairs)) pairs[name] = value;
    key = '';
    value = '';
    inValue = false;
  };

  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    const next = text[i + 1];
    if (char === '\\' && (next === ';' || next === '=' || next === '\\')) {
      if (inValue) value += next;
      else key += next;
      i += 1;
    } else if (char === ';') {
      flush();
    } else if (char === '=' && !inValue) {
      inValue = true;
    } else if (inValue) {
      value += char;
    } else {
      key += char;
    }
  }
  if (key.trim() !== '') flush();
  return pairs;
}

/** First non-empty value among the keys, compared case-insensitively. */
export function extraGet(extra: Record<string, string>, ...keys: string[]): string | undefined {
  for (const wanted of keys) {
    const lower = wanted.toLowerCase();
    for (const [key, value] of Object.entries(extra)) {
      if (key.toLowerCase() === lower && value.trim() !== '') return value.trim();
    }
  }
  return undefined;
}

/**
 * `CAProperties.CAProperty` as a name -> value map. The XML-to-JSON step writes a lone
 * property as a bare object instead of a one-element array; both shapes are accepted.
 */
export function caPropertiesMap(caProperties: unknown): Record<string, string> {
  const container = isObject(caProperties) ? caProperties.CAProperty : caProperties;
  const list = Array.isArray(container) ? container : container === undefined ? [] : [container];
  const map: Record<string, string> = {};
  for (const item of list) {
    if (!isObject(item)) continue;
    const name = str(item.Name);
    const value = str(item.Value);
    if (name !== undefined && value !== undefined && !(name in map)) map[name] = value;
  }
  return map;
}
