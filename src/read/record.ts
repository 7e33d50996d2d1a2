// The raw records readers hand to importers, each with the locator an auditor can follow back.

/** A CSV row that keeps repeated header names apart (Jira repeats Comment, Labels, Watchers). */
export interface CsvRow {
  /** Header names in file order, exactly as written (BOM stripped from the first). */
  readonly headers: readonly string[];
  /** Cell values in file order, aligned with headers. */
  readonly cells: readonly string[];
}

export type RawValue =
  { kind: 'json'; value: unknown } | { kind: 'csv'; row: CsvRow } | { kind: 'line'; text: string };

export interface RawRecord {
  /** `line N` (1-based), `row N` (1-based data row after the header) or a JSON pointer. */
  locator: string;
  data: RawValue;
}

/** First value of a CSV column, matching the header case-insensitively; undefined if absent. */
export function csvGet(row: CsvRow, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const index = row.headers.findIndex((h) => h.toLowerCase() === wanted);
  return index < 0 ? undefined : row.cells[index];
}

/** All values of a repeated CSV column, in file order, empty cells included. */
export function csvGetAll(row: CsvRow, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  row.headers.forEach((h, i) => {
    if (h.toLowerCase() === wanted) values.push(row.cells[i] ?? '');
  });
  return values;
}

/** A CSV row as a plain object; for repeated headers the first non-empty value wins. */
export function csvObject(row: CsvRow): Record<string, string> {
  const object: Record<string, string> = {};
  row.headers.forEach((h, i) => {
    const cell = row.cells[i] ?? '';
    if (!(h in object) || (object[h] === '' && cell !== '')) object[h] = cell;
  });
  return object;
}
