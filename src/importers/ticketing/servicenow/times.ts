// ServiceNow date-times: stored values are UTC; display values need the exporter's zone and format.
import { TimeError, toUtcIso, wallTimeUtc } from '../../../util/time.js';
import { compileTimePattern, type TimePattern } from '../../../util/time-pattern.js';
import type { ServiceNowSettings } from './config.js';
import type { SnField } from './fields.js';

const STORED = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/;

// The base system's default format; the only display form read without a configured format,
// because it cannot be misread (four-digit year first, 24-hour clock).
const SYSTEM_DEFAULT_FORMAT = 'yyyy-MM-dd HH:mm:ss';

// Some exports carry user-formatted text even in `value` (observed: `10/24/2023 7:07:31` in the
// Elastic servicenow test data). The `value` of a glide_date_time is UTC by definition, so such
// text is still read as UTC, in the US month-first form that the observed rows use.
const STORED_FALLBACK = compileTimePattern('MM/dd/yyyy H:mm:ss');

export class ServiceNowTimes {
  private readonly display: TimePattern | Error;

  constructor(
    private readonly settings: ServiceNowSettings,
    private readonly importerId: string,
  ) {
    try {
      this.display = compileTimePattern(settings.dateFormat ?? SYSTEM_DEFAULT_FORMAT);
    } catch (error) {
      this.display = error as Error;
    }
  }

  /**
   * The instant of a date-time field as a UTC ISO string; undefined when the field is empty.
   * Throws a TimeError naming the field when the value cannot be read without guessing.
   */
  read(name: string, field: SnField | undefined): string | undefined {
    if (field?.stored !== undefined) return toUtcIso(this.readStored(name, field.stored));
    if (field?.display !== undefined) return toUtcIso(this.readDisplay(name, field.display));
    return undefined;
  }

  private readStored(name: string, value: string): number {
    const match = STORED.exec(value.trim());
    if (match) {
      const [, year, month, day, hour, minute, second] = match.map(Number);
      return wallTimeUtc({ year, month, day, hour, minute, second, millisecond: 0 });
    }
    try {
      return STORED_FALLBACK.parse(value, 'UTC');
    } catch {
      throw new TimeError(
        `${name} ${JSON.stringify(value)}: expected a stored ServiceNow date-time (UTC yyyy-MM-dd HH:mm:ss)`,
      );
    }
  }

  private readDisplay(name: string, value: string): number {
    const { zone, zoneFrom } = this.settings;
    if (!zone) {
      throw new TimeError(
        `timezone unknown: ${name} ${JSON.stringify(value)} is a display value in the exporting ` +
          `user's zone; set importers.${this.importerId}.displayTimezone (and displayDateFormat)`,
      );
    }
    if (this.display instanceof Error) {
      throw new TimeError(
        `${name} ${JSON.stringify(value)}: bad display date format: ${this.display.message}`,
      );
    }
    try {
      return this.display.parse(value, zone);
    } catch (error) {
      const hint = this.settings.dateFormat
        ? `the configured format ${this.settings.dateFormat}`
        : `${SYSTEM_DEFAULT_FORMAT} (date format unknown: set importers.${this.importerId}.displayDateFormat)`;
      const why = error instanceof Error ? error.message : String(error);
      throw new TimeError(
        `${name} ${JSON.stringify(value)} (zone ${zone} from ${zoneFrom}): expected ${hint}; ${why}`,
      );
    }
  }
}
