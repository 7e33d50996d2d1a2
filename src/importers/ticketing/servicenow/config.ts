// The `importers.servicenow*` config block: display zone and format, field choices, table override.
import { z } from 'zod';
import { TimePatternText, ZoneName } from '../../../util/zod-types.js';
import { assertZone } from '../../../util/time.js';
import type { RunSettings } from '../../types.js';
import { SUPPORTED_TABLES } from './tables.js';

const DatePattern = TimePatternText;

export const ServiceNowOptions = z
  .object({
    /** Zone of the exporting user: display values (list CSV, sysparm_display_value=true) use it. */
    displayTimezone: ZoneName.optional(),
    /** The exporting user's date-time format, e.g. `MM/dd/yyyy hh:mm:ss a`. */
    displayDateFormat: DatePattern.optional(),
    /**
     * How plain string fields of JSON exports are read: `auto` looks at each record (display
     * labels, non-canonical dates), `stored` = sysparm_display_value=false, `display` = true.
     */
    values: z.enum(['auto', 'stored', 'display']).default('auto'),
    /** Fields naming who receives the access, first non-empty wins. */
    subjectFields: z
      .array(z.string().min(1))
      .default(['requested_for', 'u_requested_for', 'requested_by', 'caller_id', 'opened_by']),
    /** Fields naming what access is for, first non-empty wins. */
    targetFields: z
      .array(z.string().min(1))
      .default(['u_target', 'cmdb_ci', 'business_service', 'cat_item', 'assignment_group']),
    /** Table of every record, for exports that name it nowhere (no number, no table_name). */
    table: z.enum(SUPPORTED_TABLES).optional(),
  })
  .strict();
export type ServiceNowOptions = z.infer<typeof ServiceNowOptions>;

/** What the normalization core needs, after config, export context and run settings merged. */
export interface ServiceNowSettings extends ServiceNowOptions {
  /** Zone for display values: displayTimezone, else the export context, else `timezone`. */
  zone?: string;
  /** Where the zone came from, for messages. */
  zoneFrom?: string;
  dateFormat?: string;
}

/** Validates the importer's block; every problem names its config path. */
export function serviceNowSettings(importerId: string, settings: RunSettings): ServiceNowSettings {
  const parsed = ServiceNowOptions.safeParse(settings.options ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = ['importers', importerId, ...issue.path.map(String)].join('.');
      return `${path}: ${issue.message}`;
    });
    throw new Error(`invalid config: ${problems.join('; ')}`);
  }

  const options = parsed.data;
  const context = settings.exportContext;
  const [zone, zoneFrom] = options.displayTimezone
    ? [options.displayTimezone, `importers.${importerId}.displayTimezone`]
    : context?.timezone
      ? [context.timezone, 'the export context']
      : settings.timezone
        ? [settings.timezone, 'timezone']
        : [undefined, undefined];
  if (zone) assertZone(zone);
  return {
    ...options,
    zone,
    zoneFrom,
    dateFormat: options.displayDateFormat ?? context?.dateFormat,
  };
}
