// One record's outcome as a value, so parsing code can return it and a sink can settle it.
import type { EventDraft } from '../../model/event.js';
import type { RawRecord } from '../../read/record.js';
import type { RecordSink } from '../types.js';

export type Normalized =
  | { kind: 'event'; event: EventDraft }
  | { kind: 'events'; events: EventDraft[] }
  | { kind: 'ignore'; reason: string }
  | { kind: 'reject'; reason: string };

export function settle(sink: RecordSink, record: RawRecord, result: Normalized): void {
  if (result.kind === 'event') sink.accept(record, [result.event]);
  else if (result.kind === 'events') sink.accept(record, result.events);
  else if (result.kind === 'ignore') sink.ignore(record, result.reason);
  else sink.reject(record, result.reason);
}
