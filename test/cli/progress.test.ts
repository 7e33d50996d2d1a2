// The import progress line: what it says, how often it is drawn, and that only a TTY sees it.
import { describe, expect, test } from 'vitest';
import { progressLine, progressReporter } from '../../src/cli/inputs.js';
import { createLogger } from '../../src/cli/log.js';

const half = { files: 5, totalFiles: 10, bytes: 50e6, totalBytes: 100e6, events: 200_000 };

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) };
  return { written, stream: stream as unknown as NodeJS.WriteStream };
}

describe('import progress', () => {
  test('the line gives files, MB, events per second and the time left', () => {
    expect(progressLine(half, 20)).toBe(
      'importing: 5/10 files, 50.0/100.0 MB, 10000 events/s, ETA 20s',
    );
    expect(progressLine({ ...half, bytes: 10e6 }, 90)).toContain('ETA 13m30s');
    expect(progressLine({ ...half, files: 10, bytes: 100e6 }, 20)).not.toContain('ETA');
  });

  test('drawn at most four times a second, and always for the last file', () => {
    const { written, stream } = fakeStream(true);
    let now = 0;
    const report = progressReporter(createLogger('normal', stream), () => now);
    report(half);
    now = 100;
    report(half);
    now = 400;
    report(half);
    now = 450;
    report({ ...half, files: 10, bytes: 100e6 });
    expect(written).toHaveLength(3);
    expect(written[2]).toContain('10/10 files');
  });

  test('nothing when stderr is not a terminal or with --quiet', () => {
    for (const [tty, verbosity] of [
      [false, 'normal'],
      [true, 'quiet'],
    ] as const) {
      const { written, stream } = fakeStream(tty);
      progressReporter(createLogger(verbosity, stream), () => 0)(half);
      expect(written).toEqual([]);
    }
  });
});
