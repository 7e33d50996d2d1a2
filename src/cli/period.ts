// Resolves --since / --until / --as-of (and the config's period) into UTC instants.
import { periodEnd, periodStart } from '../config/period.js';
import { TimeError, toUtcIso } from '../util/time.js';
import { UsageError } from './errors.js';

export interface PeriodInput {
  since?: string;
  until?: string;
  asOf?: string;
  timezone?: string;
  /** Latest event time in the timeline, the last fallback for as-of. */
  latestEvent?: string;
  /** Earliest event time, the fallback for since when nothing is given. */
  earliestEvent?: string;
  /** Where since and until came from, for messages and the origin: `--since` unless told. */
  sinceFrom?: string;
  untilFrom?: string;
}

export interface Period {
  since: string;
  until: string;
  asOf: string;
  /** How each value was chosen, for the log and the report's method statement. */
  origin: { since: string; until: string; asOf: string };
}

const DURATION = /^(\d+)\s*([dhm])$/;

/**
 * Bare dates cover the whole day in `timezone` (UTC when none); `90d` means 90 days before
 * as-of. `now` is accepted for as-of only when asked for: builds stay reproducible by default.
 */
export function resolvePeriod(input: PeriodInput, now: () => number = Date.now): Period {
  const zone = input.timezone ?? 'UTC';
  const sinceFrom = input.sinceFrom ?? '--since';
  const untilFrom = input.untilFrom ?? '--until';

  let asOfMs: number | undefined;
  let asOfOrigin = '--as-of';
  if (input.asOf === 'now') {
    asOfMs = now();
    asOfOrigin = '--as-of now';
  } else if (input.asOf) {
    asOfMs = instant(input.asOf, zone, 'end', '--as-of');
  }

  const untilMs =
    input.until && !DURATION.test(input.until)
      ? instant(input.until, zone, 'end', untilFrom)
      : undefined;
  if (asOfMs === undefined) {
    if (untilMs !== undefined) {
      asOfMs = untilMs;
      asOfOrigin = `the end of the period (${untilFrom})`;
    } else if (input.latestEvent) {
      asOfMs = Date.parse(input.latestEvent);
      asOfOrigin = 'the latest event in the inputs';
    } else {
      throw new UsageError(
        'cannot tell the as-of time: give --as-of, --until, or inputs with events',
      );
    }
  }

  const sinceMs = input.since
    ? relativeOrInstant(input.since, asOfMs, zone, 'start', sinceFrom)
    : input.earliestEvent
      ? Date.parse(input.earliestEvent)
      : asOfMs;
  const until =
    untilMs ??
    (input.until ? relativeOrInstant(input.until, asOfMs, zone, 'end', untilFrom) : asOfMs);
  if (sinceMs > until)
    throw new UsageError(
      `the period starts (${toUtcIso(sinceMs)}) after it ends (${toUtcIso(until)})`,
    );

  return {
    since: toUtcIso(sinceMs),
    until: toUtcIso(until),
    asOf: toUtcIso(asOfMs),
    origin: {
      since: input.since
        ? sinceFrom
        : input.earliestEvent
          ? 'the earliest event in the inputs'
          : 'as-of',
      until: input.until ? untilFrom : 'as-of',
      asOf: asOfOrigin,
    },
  };
}

function relativeOrInstant(
  value: string,
  asOfMs: number,
  zone: string,
  edge: 'start' | 'end',
  flag: string,
): number {
  const match = DURATION.exec(value.trim());
  if (!match) return instant(value, zone, edge, flag);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
  return asOfMs - Number(match[1]) * unit;
}

function instant(value: string, zone: string, edge: 'start' | 'end', flag: string): number {
  try {
    return Date.parse(edge === 'start' ? periodStart(value, zone) : periodEnd(value, zone));
  } catch (error) {
    if (error instanceof TimeError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** Checks --since / --until / --as-of on their own, before any input is read. */
export function checkPeriodFlags(
  input: Pick<PeriodInput, 'since' | 'until' | 'asOf' | 'timezone'>,
): void {
  const zone = input.timezone ?? 'UTC';
  if (input.since && !DURATION.test(input.since.trim()))
    instant(input.since, zone, 'start', '--since');
  if (input.until && !DURATION.test(input.until.trim()))
    instant(input.until, zone, 'end', '--until');
  if (input.asOf && input.asOf !== 'now') instant(input.asOf, zone, 'end', '--as-of');
}
