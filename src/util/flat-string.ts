// Strings kept for a whole run, stored in one piece instead of as the tree of their parts.

/**
 * `text`, stored flat. V8 keeps a string made with `+` or a template literal as a tree of its
 * parts (a 24-character timestamp made of eight parts takes about 256 bytes instead of 40, and
 * `"ev-" + digest.slice(0, 16)` keeps the whole 64-digit digest alive). Reading a character of
 * such a string makes V8 copy it into one piece, and the collector then drops the tree. The
 * strings that live until the bundle is written (event times, ids, gap messages) go through here:
 * at 3 million events they were about 40 MB of the heap after the analysis.
 */
export function flatString(text: string): string {
  text.charCodeAt(0);
  return text;
}
