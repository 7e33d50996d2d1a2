// The `csv-mapped` importer: any tool's CSV export, read through a mapping from the config.
import type { EventDraft, Identity, Stage } from '../../../model/event.js';
import { csvGet, type CsvRow, type RawRecord } from '../../../read/record.js';
import { parseEpoch, parseIsoTime, TimeError, toUtcIso } from '../../../util/time.js';
import { findTickets, identity } from '../../common.js';
import type { FileInfo, Importer, RecordSink, RunSettings } from '../../types.js';
import { csvMappings, mappingFor, type CsvMapping } from './config.js';
import { compileTimePattern } from '../../../util/time-pattern.js';

type RowOutcome = { events: EventDraft[] } | { ignore: string } | { reject: string };

export const csvMapped: Importer = {
  meta: {
    id: 'csv-mapped',
    family: 'generic',
    vendor: 'Any',
    product: 'CSV export of any access-request or PAM tool',
    expects:
      'A CSV export with a header row, one event per row, described by a mapping in the config.',
    howToExport:
      "Export the tool's access requests, approvals, grants and revocations as CSV with a header " +
      'row. In the config, under importers.csv-mapped, name the column of each field (columns.at ' +
      'is required; actor, subject, target, ticket, grantKey, reason, expiresAt, action, ' +
      'breakGlass are optional), map the values of the event column to stages (stages.values) ' +
      'or give one stage for all rows (stage), and give the time format and zone (time). Point ' +
      'a source at the file with importer: csv-mapped, or pass --source csv-mapped:<path>.',
    formats: ['CSV (comma, semicolon or tab; UTF-8, optional BOM)', 'gzip'],
    limitations: [
      'Never chosen by detection: a mapping must name the file (config importer: csv-mapped).',
      'One event per row; a row that records two stages (requested and approved columns) needs ' +
        'two mappings over the same file.',
      'Identity kinds come from the mapping (actorKind, subjectKind), not from the data.',
    ],
  },
  input: 'csv',
  // A CSV without its mapping means nothing; this importer is only ever chosen explicitly.
  detect: () => 0,
  createRun(settings: RunSettings) {
    const mappings = csvMappings(settings.options);
    return {
      openFile(file: FileInfo, sink: RecordSink) {
        const mapping = mappingFor(mappings, file.path);
        const reader = mapping ? new MappedRows(mapping, settings) : undefined;
        return {
          record(raw: RawRecord) {
            const outcome = reader
              ? reader.read(raw)
              : { reject: `no csv-mapped mapping has files matching ${file.path}` };
            if ('events' in outcome) sink.accept(raw, outcome.events);
            else if ('ignore' in outcome) sink.ignore(raw, outcome.ignore);
            else sink.reject(raw, outcome.reject);
          },
        };
      },
    };
  },
};

class MappedRows {
  private readonly parseTime: (text: string) => number;
  private readonly stageValues: Map<string, Stage | 'ignore'>;

  constructor(
    private readonly mapping: CsvMapping,
    settings: RunSettings,
  ) {
    const zone = mapping.time.timezone ?? settings.exportContext?.timezone ?? settings.timezone;
    this.parseTime = timeParser(mapping.time.format, zone);
    this.stageValues = new Map(
      Object.entries(mapping.stages?.values ?? {}).map(([value, stage]) => [
        value.trim().toLowerCase(),
        stage,
      ]),
    );
  }

  read(raw: RawRecord): RowOutcome {
    if (raw.data.kind !== 'csv') return { reject: 'expected a CSV row' };
    const row = raw.data.row;
    if (row.cells.every((cell) => cell.trim() === '')) return { ignore: 'empty row' };

    const { columns } = this.mapping;
    const missing = this.missingColumns(row);
    if (missing.length > 0) {
      return {
        reject: `column ${missing.map((c) => JSON.stringify(c)).join(', ')} not in the header`,
      };
    }

    const action = columns.action ? cell(row, columns.action) : undefined;
    const stage = this.stage(row, action);
    if (typeof stage !== 'string') return stage;

    try {
      return { events: [this.event(row, stage, action)] };
    } catch (error) {
      if (error instanceof TimeError) return { reject: error.message };
      throw error;
    }
  }

  private missingColumns(row: CsvRow): string[] {
    const wanted = Object.values(this.mapping.columns).filter((c): c is string => c !== undefined);
    if (this.mapping.stages?.column) wanted.push(this.mapping.stages.column);
    const headers = new Set(
      row.headers.map((h) =>
        h
          .replace(/^\uFEFF/, '')
          .trim()
          .toLowerCase(),
      ),
    );
    return wanted.filter((column) => !headers.has(column.trim().toLowerCase()));
  }

  private stage(
    row: CsvRow,
    action: string | undefined,
  ): Stage | { ignore: string } | { reject: string } {
    if (this.mapping.stage) return this.mapping.stage;
    const stages = this.mapping.stages!;
    const column = stages.column ?? this.mapping.columns.action!;
    const value = stages.column ? cell(row, column) : action;
    if (value === undefined)
      return { reject: `column ${JSON.stringify(column)} is empty: expected an event value` };

    const stage = this.stageValues.get(value.trim().toLowerCase());
    if (stage === 'ignore') return { ignore: value };
    if (stage) return stage;
    if (stages.unmapped === 'ignore') return { ignore: value };
    const known = Object.keys(stages.values).join(', ');
    return {
      reject: `value ${JSON.stringify(value)} of column ${JSON.stringify(column)} is not in stages.values (${known})`,
    };
  }

  private event(row: CsvRow, stage: Stage, action: string | undefined): EventDraft {
    const { columns } = this.mapping;
    const atText = cell(row, columns.at);
    if (atText === undefined)
      throw new TimeError(`column ${JSON.stringify(columns.at)} is empty: expected the event time`);
    const at = toUtcIso(this.timeOf(columns.at, atText));
    const expiresText = columns.expiresAt ? cell(row, columns.expiresAt) : undefined;
    const expiresAt = expiresText
      ? toUtcIso(this.timeOf(columns.expiresAt!, expiresText))
      : undefined;

    const actor = this.person(row, columns.actor, this.mapping.actorKind);
    const subject = this.person(row, columns.subject, this.mapping.subjectKind);
    const targetRaw = columns.target ? cell(row, columns.target) : undefined;
    const reason = columns.reason ? cell(row, columns.reason) : undefined;
    const ticketCell = columns.ticket ? cell(row, columns.ticket) : undefined;
    const tickets = [...new Set([...splitTickets(ticketCell), ...findTickets(reason)])];
    const grantKey = columns.grantKey ? cell(row, columns.grantKey) : undefined;
    const breakGlass = this.breakGlass(row);
    const name = action ?? stage;

    const parts = [
      actor && `by ${actor.raw}`,
      subject && `for ${subject.raw}`,
      targetRaw && `on ${targetRaw}`,
    ];
    return {
      at,
      stage,
      ...(actor ? { actor } : {}),
      ...(subject ? { subject } : {}),
      ...(targetRaw
        ? { target: { id: targetRaw, raw: targetRaw, kind: this.mapping.targetKind } }
        : {}),
      tickets,
      ...(grantKey ? { grantKey } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(breakGlass === undefined ? {} : { breakGlass }),
      ...(reason ? { reason } : {}),
      action: name,
      outcome: 'success',
      summary: [`${this.mapping.tool ?? 'csv-mapped'} ${name}`, ...parts.filter(Boolean)].join(' '),
    };
  }

  private timeOf(column: string, text: string): number {
    try {
      return this.parseTime(text);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new TimeError(`column ${JSON.stringify(column)}: ${why}`);
    }
  }

  private person(
    row: CsvRow,
    column: string | undefined,
    kind: Identity['kind'],
  ): Identity | undefined {
    const raw = column ? cell(row, column) : undefined;
    return raw ? identity(raw, kind) : undefined;
  }

  private breakGlass(row: CsvRow): boolean | undefined {
    const column = this.mapping.columns.breakGlass;
    if (!column) return undefined;
    const value = (cell(row, column) ?? '').trim().toLowerCase();
    return this.mapping.breakGlassValues.some((v) => v.toLowerCase() === value);
  }
}

/** A cell by column name (case-insensitive, BOM-tolerant), trimmed; undefined when empty. */
function cell(row: CsvRow, column: string): string | undefined {
  const direct = csvGet(row, column.trim());
  const value =
    direct ??
    (row.headers[0]?.startsWith('\uFEFF') && row.headers[0].slice(1) === column
      ? row.cells[0]
      : undefined);
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function splitTickets(text: string | undefined): string[] {
  return text ? text.split(/[,;\s]+/).filter((t) => t.length > 0) : [];
}

function timeParser(format: string, zone: string | undefined): (text: string) => number {
  if (format === 'epoch-s' || format === 'epoch-ms')
    return (text) => parseEpoch(text, format === 'epoch-s' ? 's' : 'ms');
  if (format === 'iso') {
    return (text) => {
      try {
        return parseIsoTime(text, zone);
      } catch (error) {
        if (error instanceof TimeError && !zone && /no offset/.test(error.message)) {
          throw new TimeError(
            `timezone unknown: ${JSON.stringify(text)} has no offset; set time.timezone in the mapping`,
          );
        }
        throw error;
      }
    };
  }
  const pattern = compileTimePattern(format);
  return (text) => pattern.parse(text, zone);
}
