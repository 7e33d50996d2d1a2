// The `importers.jira` config block (design.md section 8), validated with zod, with defaults.
import { z } from 'zod';

const names = (defaults: string[]) => z.array(z.string().min(1)).default(defaults);

export const JiraOptions = z
  .object({
    /** Fields naming who approved (CSV column, `Custom field (NAME)`, REST field name or id). */
    approverFields: names(['Approver', 'Approvers']),
    /** Fields holding the approval decision, compared with approvedValues / declinedValues. */
    approvalStatusFields: names(['Approval status']),
    /** Fields holding when the decision was made. */
    approvalDateFields: names(['Approval date']),
    /** Fields naming who receives the access; the reporter when none is filled in. */
    subjectFields: names(['Access for', 'Requested for']),
    /** Fields naming the access requested (role, group, account). */
    targetFields: names(['Requested access', 'Role']),
    approvedValues: names(['Approved']),
    declinedValues: names(['Declined', 'Rejected']),
    /** Date format of CSV cells (date-fns tokens: d, dd, MMM, yy, yyyy, h, HH, mm, ss, a). */
    dateFormat: z.string().min(1).default('d/MMM/yy h:mm a'),
    /** Workflow statuses whose entry means approved (the common Jira and JSM workflows). */
    approvedStatuses: names(['Approved', 'Awaiting implementation', 'Implementing']),
    /** Workflow statuses whose entry means declined. */
    declinedStatuses: names(['Declined', 'Rejected', 'Denied']),
    /** Workflow statuses whose entry means a recorded post-implementation or access review. */
    reviewStatuses: names(['Reviewed', 'Post-implementation review done']),
    /** Workflow statuses that close a ticket; recorded as context, never as an approval. */
    doneStatuses: names(['Done', 'Closed', 'Resolved', 'Completed']),
    /** Labels or issue types marking emergency (break-glass) access. */
    breakGlassMarkers: names(['break-glass', 'breakglass', 'emergency']),
  })
  .strict();
export type JiraOptions = z.infer<typeof JiraOptions>;

/** Validates the block; every problem names the key path and what was expected. */
export function parseJiraOptions(raw: Record<string, unknown> | undefined): JiraOptions {
  const parsed = JiraOptions.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const where = ['importers', 'jira', ...issue.path.map(String)].join('.');
    return `${where}: ${issue.message}`;
  });
  throw new Error(`invalid Jira importer settings: ${problems.join('; ')}`);
}

/** The decision an approval status value stands for, per approvedValues / declinedValues. */
export function decisionOf(
  options: JiraOptions,
  value: string | undefined,
): 'approved' | 'declined' | undefined {
  if (inList(options.approvedValues, value)) return 'approved';
  if (inList(options.declinedValues, value)) return 'declined';
  return undefined;
}

/** Case-insensitive membership of a status or value in a configured list. */
export function inList(list: readonly string[], value: string | undefined): boolean {
  if (!value) return false;
  const wanted = value.trim().toLowerCase();
  return list.some((entry) => entry.toLowerCase() === wanted);
}
