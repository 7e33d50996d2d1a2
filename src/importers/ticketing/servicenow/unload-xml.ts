// Reads a ServiceNow XML export (`<unload>`) into one record per table row element.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RawRecord } from '../../../read/record.js';

// preserveOrder keeps repeated and interleaved row elements in file order; values stay text.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
});

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * The unload format (list context menu Export > XML, or `<table>_list.do?XML`) is one `<unload
 * unload_date="...">` root holding one `<table action="INSERT_OR_UPDATE">` element per row; each
 * field is a child element whose text is the stored value (UTC for date-times) and whose
 * `display_value` attribute, on references, is the referenced record's name. Each row becomes a
 * JSON record in the Table API `sysparm_display_value=all` shape plus `table_name` and `action`,
 * located by an XPath such as `/unload/change_request[2]`.
 *
 * The document is read whole: ServiceNow caps XML exports by row count (the export limit
 * properties), so these files stay small next to the streamed JSON and CSV forms.
 */
export function readUnloadXml(text: string): RawRecord[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line } = valid.err;
    throw new Error(`not well-formed XML at line ${line}: ${msg}`);
  }
  const nodes = parser.parse(text) as OrderedNode[];
  const root = nodes.find(
    (node) => elementName(node) !== undefined && !elementName(node)!.startsWith('?'),
  );
  if (!root || elementName(root) !== 'unload') {
    throw new Error('not a ServiceNow XML export: expected an <unload> root element');
  }

  const perTag = new Map<string, number>();
  const records: RawRecord[] = [];
  for (const row of children(root)) {
    const tag = elementName(row);
    if (!tag || tag === '#text') continue;
    const index = (perTag.get(tag) ?? 0) + 1;
    perTag.set(tag, index);
    records.push({
      locator: `/unload/${tag}[${index}]`,
      data: { kind: 'json', value: rowObject(tag, row) },
    });
  }
  return records;
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@');
}

function children(node: OrderedNode): OrderedNode[] {
  const name = elementName(node);
  const value = name ? node[name] : undefined;
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

function rowObject(tag: string, row: OrderedNode): Record<string, unknown> {
  const object: Record<string, unknown> = { table_name: tag };
  const action = row[':@']?.action;
  if (action) object.action = action;

  for (const field of children(row)) {
    const name = elementName(field);
    if (!name || name === '#text') continue;
    const text = children(field)
      .map((part) => (typeof part['#text'] === 'string' ? part['#text'] : ''))
      .join('');
    const display = field[':@']?.display_value;
    object[name] =
      display === undefined ? { value: text } : { value: text, display_value: display };
  }
  return object;
}

/** The pipeline's `splitXml` hook: the rows, or one fault when the document cannot be read. */
export function* splitUnloadXml(text: string): Iterable<{ record: RawRecord; problem?: string }> {
  let records: RawRecord[];
  try {
    records = readUnloadXml(text);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    yield { record: { locator: '(document)', data: { kind: 'line', text: '' } }, problem };
    return;
  }
  for (const record of records) yield { record };
}
