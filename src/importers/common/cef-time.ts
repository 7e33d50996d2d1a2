// Reads the time formats CEF allows in `rt`/`end`/`deviceCustomDate*` fields.
import { TimeError, checkWallTime, englishMonth, parseEpoch, fractionMs } from '../../util/time.js';
import { parseIsoTime, wallTimeInZone, type WallTime } from '../../util/time.js';
import { parseYearlessTime, resolveYearlessTime, zoneUnknownMessage } from './syslog.js';
import type { LocalClock } from './syslog.js';

// `MMM dd yyyy HH:mm:ss[.SSS] [zone]` (ArcSight CEF date formats); Secret Server writes the
// zone-less form in server local time.
const CEF_DATE = new RegExp(
  '^([A-Za-z]{3}) +(\\d{1,2}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?' +
    '(?: ([A-Za-z_/+-][\\w/+:-]*))?$',
);

/**
 * Epoch ms of a CEF time value: epoch milliseconds, `MMM dd yyyy HH:mm:ss[.SSS][ zone]`,
 * `MMM dd HH:mm:ss` (year from the export context) or ISO 8601. A time without a zone is read
 * in the declared zone; with none, a TimeError says the zone is unknown.
 */
export function parseCefTime(value: string, clock: LocalClock): number {
  const text = value.trim();
  if (/^\d{10,13}$/.test(text)) return parseEpoch(text, text.length === 13 ? 'ms' : 's');

  const dated = CEF_DATE.exec(text);
  if (dated) {
    const [, monthName, day, year, hour, minute, second, fraction, zoneName] = dated;
    const wall: WallTime = {
      year: Number(year),
      month: englishMonth(monthName),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      millisecond: fractionMs(fraction),
    };
    if (wall.month === 0) throw new TimeError(`unknown month in CEF time ${JSON.stringify(text)}`);
    checkWallTime(wall, text);
    const named = zoneName === 'GMT' ? 'UTC' : zoneName;
    const zone = named ?? clock.zone;
    if (!zone) throw new TimeError(zoneUnknownMessage(text));
    return wallTimeInZone(wall, zone);
  }

  const yearless = parseYearlessTime(text);
  if (yearless) return resolveYearlessTime(yearless, clock);

  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    try {
      return parseIsoTime(text, clock.zone);
    } catch (error) {
      if (error instanceof TimeError && !clock.zone && /no offset/.test(error.message)) {
        throw new TimeError(zoneUnknownMessage(text));
      }
      throw error;
    }
  }
  throw new TimeError(
    `unreadable CEF time ${JSON.stringify(text)}: ` +
      'expected epoch ms, "MMM dd yyyy HH:mm:ss" or ISO 8601',
  );
}
