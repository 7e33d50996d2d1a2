// The import progress line: what it says, how often it is drawn, and that only a TTY sees it.
import { describe, expect, test } from 'vitest';
import { progressLine, progressReporter, timeLeftEstimator } from '../../src/cli/inputs.js';
import { createLogger } from '../../src/cli/log.js';

const half = {
  files: 5,
  totalFiles: 10,
  bytes: 50e6,
  totalBytes: 100e6,
  events: 200_000,
  work: 50e6,
  totalWork: 100e6,
};

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) };
  return { written, stream: stream as unknown as NodeJS.WriteStream };
}

describe('import progress', () => {
  test('the line gives files, MB, events per second and the time left', () => {
    expect(progressLine(half, 20, 20)).toBe(
      'importing: 5/10 files, 50.0/100.0 MB, 10000 events/s, ETA 20s',
    );
    expect(progressLine(half, 90, 810)).toContain('ETA 13m30s');
    expect(progressLine(half, 90, 3 * 3600 + 125)).toContain('ETA 3h02m');
    expect(progressLine({ ...half, files: 10, bytes: 100e6 }, 20, null)).not.toContain('ETA');
  });

  test('the time left follows the recent rate, not the slow start', () => {
    const estimate = timeLeftEstimator();
    const at = (seconds: number, megabytes: number) =>
      estimate({ ...half, work: megabytes * 1e6 }, seconds);
    // Workers starting: the first file is done only after 5 s, then 2 MB a second.
    const steady = (seconds: number) => 0.1 + 2 * (seconds - 5);
    expect(at(5, steady(5))).toBeNull();
    expect(at(6, steady(6))).toBeNull();
    // Two seconds seen: 95.9 MB left at 2 MB/s (the rate since the start said 164 s).
    expect(at(7, steady(7))).toBeCloseTo(47.95, 1);
    for (let second = 8; second <= 40; second += 1) at(second, steady(second));
    expect(at(41, steady(41))).toBeCloseTo(13.95, 1);
    // Slower files: once they fill the 15 s window, only their 0.5 MB/s counts.
    for (let second = 42; second < 56; second += 1) at(second, steady(41) + 0.5 * (second - 41));
    expect(at(56, steady(41) + 7.5)).toBeCloseTo(40.8, 1);
    expect(at(57, 100)).toBeNull();
  });

  test('no time left before 2 % of the bytes are done', () => {
    const estimate = timeLeftEstimator();
    expect(estimate({ ...half, work: 0 }, 0)).toBeNull();
    expect(estimate({ ...half, work: 1e6 }, 10)).toBeNull();
    expect(estimate({ ...half, work: 3e6 }, 20)).toBeCloseTo(646.67, 1);
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
