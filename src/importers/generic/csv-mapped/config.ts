// The csv-mapped config: which column holds which event field, which value means which stage.
import { z } from 'zod';
import { ZoneName } from '../../../util/zod-types.js';
import { IdentityKind, Stage } from '../../../model/event.js';
import { compileTimePattern } from '../../../util/time-pattern.js';

const Column = z.string().min(1, 'expected a column name of the CSV header');

/** `iso` (ISO 8601, offset optional), `epoch-s`, `epoch-ms`, or a pattern like `dd.MM.yyyy HH:mm`. */
const TimeFormat = z.string().superRefine((format, ctx) => {
  if (format === 'iso' || format === 'epoch-s' || format === 'epoch-ms') return;
  try {
    compileTimePattern(format);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `expected iso, epoch-s, epoch-ms or a date pattern: ${(error as Error).message}`,
    });
  }
});

export const CsvMapping = z
  .object({
    /** File names or globs (`*` within a folder, `**` across) this mapping applies to. */
    files: z.array(z.string().min(1)).optional(),
    columns: z
      .object({
        at: Column,
        action: Column.optional(),
        actor: Column.optional(),
        subject: Column.optional(),
        target: Column.optional(),
        ticket: Column.optional(),
        grantKey: Column.optional(),
        reason: Column.optional(),
        expiresAt: Column.optional(),
        breakGlass: Column.optional(),
      })
      .strict(),
    /** One stage for every row (an export of approvals only, say). */
    stage: Stage.optional(),
    /** Or the stage read from a column's value (default: the action column). */
    stages: z
      .object({
        column: Column.optional(),
        /** Value (case-insensitive) to stage, or `ignore` for rows that are not evidence. */
        values: z.record(z.string(), z.union([Stage, z.literal('ignore')])),
        /** What a value missing from `values` does: reject the row (default) or ignore it. */
        unmapped: z.enum(['reject', 'ignore']).default('reject'),
      })
      .strict()
      .optional(),
    time: z
      .object({ format: TimeFormat.default('iso'), timezone: ZoneName.optional() })
      .strict()
      .default({ format: 'iso' }),
    actorKind: IdentityKind.default('unknown'),
    subjectKind: IdentityKind.default('unknown'),
    targetKind: z.string().min(1).default('resource'),
    /** Cell values of the breakGlass column that mean emergency use (case-insensitive). */
    breakGlassValues: z.array(z.string()).default(['true', 'yes', 'y', '1', 'x']),
    /** Name of the tool, used in summaries. */
    tool: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((mapping, ctx) => {
    if ((mapping.stage === undefined) === (mapping.stages === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages'],
        message: 'expected exactly one of stage or stages',
      });
    }
    if (mapping.stages && !mapping.stages.column && !mapping.columns.action) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', 'column'],
        message: 'expected stages.column or columns.action',
      });
    }
  });
export type CsvMapping = z.infer<typeof CsvMapping>;

const Mappings = z.object({ mappings: z.array(CsvMapping).min(1) }).strict();

/**
 * Reads the `importers.csv-mapped` block (or a source's own mapping): one mapping, or
 * `mappings: [...]` chosen per file by `files`. Errors name the path of each bad key.
 */
export function csvMappings(
  options: Record<string, unknown>,
  where = 'importers.csv-mapped',
): CsvMapping[] {
  if (Object.keys(options ?? {}).length === 0) {
    throw new Error(
      `invalid config: ${where}: expected a mapping (columns, stage or stages, time)`,
    );
  }
  const multiple = 'mappings' in options;
  const parsed = multiple ? Mappings.safeParse(options) : CsvMapping.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = [where, ...issue.path.map(String)].join('.');
      return `${path}: ${issue.message}`;
    });
    throw new Error(`invalid config: ${problems.join('; ')}`);
  }
  return 'mappings' in parsed.data ? parsed.data.mappings : [parsed.data];
}

/** The mapping for a file: the first whose `files` matches, or the only one without `files`. */
export function mappingFor(mappings: readonly CsvMapping[], path: string): CsvMapping | undefined {
  const name = path.split('/').pop() ?? path;
  return mappings.find(
    (mapping) =>
      !mapping.files ||
      mapping.files.some((glob) => globRegex(glob).test(glob.includes('/') ? path : name)),
  );
}

function globRegex(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`(^|/)${body}$`, 'i');
}
