// The run and file sessions the three ServiceNow importers share: accounting and deferred links.
import type { RawRecord } from '../../../read/record.js';
import type { FileInfo, ImporterRun, RecordSink, RunSettings } from '../../types.js';
import { serviceNowSettings } from './config.js';
import type { SnRecord } from './fields.js';
import { ServiceNowCore, type Outcome } from './normalize.js';
import type { ServiceNowSettings } from './config.js';

/** Turns a raw record into a ServiceNow record, or says why it is not one (ignore or reject). */
export type RecordReader = (
  raw: RawRecord,
  settings: ServiceNowSettings,
) => SnRecord | { ignore: string } | { reject: string };

export function createServiceNowRun(
  importerId: string,
  settings: RunSettings,
  read: RecordReader,
): ImporterRun {
  const snSettings = serviceNowSettings(importerId, settings);
  const core = new ServiceNowCore(importerId, snSettings);

  return {
    openFile(file: FileInfo, sink: RecordSink) {
      // Approval rows whose task (by sys_id) is not known yet wait for the end of the file, in
      // case the task comes later in the same file.
      const deferred: [RawRecord, SnRecord][] = [];

      const settle = (raw: RawRecord, outcome: Outcome) => {
        if (outcome.kind === 'accept') sink.accept(raw, outcome.events);
        else if (outcome.kind === 'ignore') sink.ignore(raw, outcome.as);
        else if (outcome.kind === 'reject') sink.reject(raw, outcome.reason);
      };

      return {
        record(raw: RawRecord) {
          const record = read(raw, snSettings);
          if ('ignore' in record) return sink.ignore(raw, record.ignore);
          if ('reject' in record) return sink.reject(raw, record.reject);
          const outcome = core.normalize(record, file.path);
          if (outcome.kind === 'defer') deferred.push([raw, record]);
          else settle(raw, outcome);
        },
        end() {
          for (const [raw, record] of deferred)
            settle(raw, core.normalize(record, file.path, true));
        },
      };
    },
  };
}
