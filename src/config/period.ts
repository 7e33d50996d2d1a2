// Period bounds: a bare date covers the whole day, read in the configured zone (UTC when none).
import { checkWallTime, parseIsoTime, toUtcIso, wallTimeInZone } from '../util/time.js';

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The first instant of a period bound; a bare date starts at 00:00:00.000 that day. */
export function periodStart(text: string, zone?: string): string {
  return toUtcIso(boundInstant(text, zone, 'start'));
}

/** The last instant of a period bound (inclusive); a bare date ends at 23:59:59.999 that day. */
export function periodEnd(text: string, zone?: string): string {
  return toUtcIso(boundInstant(text, zone, 'end'));
}

function boundInstant(text: string, zone: string | undefined, edge: 'start' | 'end'): number {
  const date = BARE_DATE.exec(text.trim());
  if (!date) return parseIsoTime(text, zone ?? 'UTC');
  const wall = {
    year: Number(date[1]),
    month: Number(date[2]),
    day: Number(date[3]),
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
  };
  checkWallTime(wall, text);
  const startOfDay = wallTimeInZone(wall, zone ?? 'UTC');
  if (edge === 'start') return startOfDay;

  // The next day's start minus 1 ms: correct on the 23- and 25-hour days of DST changes.
  const next = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1));
  const nextWall = {
    ...wall,
    year: next.getUTCFullYear(),
    month: next.getUTCMonth() + 1,
    day: next.getUTCDate(),
  };
  return wallTimeInZone(nextWall, zone ?? 'UTC') - 1;
}
