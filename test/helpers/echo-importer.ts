// A test importer that accepts every record as a context event, to exercise readers end to end.
import type { Importer, InputKind } from '../../src/importers/types.js';

export function echoImporter(input: InputKind, id = 'echo'): Importer {
  return {
    meta: {
      id,
      family: 'generic',
      vendor: 'Test',
      product: 'Echo',
      expects: 'anything',
      howToExport: 'n/a',
      formats: [input],
      limitations: [],
    },
    input,
    detect: () => 0,
    createRun: () => ({
      openFile: (_file, sink) => ({
        record: (record) =>
          sink.accept(record, [
            {
              at: '2026-01-01T00:00:00.000Z',
              stage: 'context',
              tickets: [],
              action: 'echo',
              outcome: 'success',
              summary: JSON.stringify(record.data),
            },
          ]),
      }),
    }),
  };
}
