// The `importers.aws-cloudtrail` config block: optional lookups that give ids their names.
import { z } from 'zod';

// An Identity Store export as `aws identitystore list-users` / `list-groups` print it (Users and
// Groups arrays), optionally with the store's ARN beside them; or plain id -> name maps.
const StoreUser = z.object({
  UserId: z.string().min(1),
  UserName: z.string().optional(),
  DisplayName: z.string().optional(),
  Emails: z.array(z.object({ Value: z.string(), Primary: z.boolean().optional() })).optional(),
});

const StoreGroup = z.object({ GroupId: z.string().min(1), DisplayName: z.string().optional() });

const IdentityStore = z.object({
  identityStoreArn: z.string().startsWith('arn:').optional(),
  Users: z.array(StoreUser).optional(),
  Groups: z.array(StoreGroup).optional(),
  users: z.record(z.string(), z.string()).optional(),
  groups: z.record(z.string(), z.string()).optional(),
});

export const CloudTrailOptions = z.object({
  /** Identity Store users and groups, to name the ids CloudTrail hides or never spells out. */
  identityStore: IdentityStore.optional(),
  /** Permission set ARN -> name, so assignments and portal sign-ins name the same target. */
  permissionSets: z.record(z.string(), z.string()).optional(),
});
export type CloudTrailOptions = z.infer<typeof CloudTrailOptions>;

export interface StoreUserInfo {
  display?: string;
  userName?: string;
}

/** The lookups the importer uses, built once per run from the validated options. */
export interface Lookups {
  identityStoreArn?: string;
  users: Map<string, StoreUserInfo>;
  /** Identity Center user name (lower-cased) -> user id, to join SSO role sessions to users. */
  userIdsByName: Map<string, string>;
  groups: Map<string, string>;
  permissionSets: Map<string, string>;
}

export function parseOptions(options: Record<string, unknown>): Lookups {
  const parsed = CloudTrailOptions.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `importers.aws-cloudtrail.${i.path.join('.')}: ${i.message}`,
    );
    throw new Error(`invalid aws-cloudtrail options: ${issues.join('; ')}`);
  }
  const store = parsed.data.identityStore;
  const lookups: Lookups = {
    identityStoreArn: store?.identityStoreArn,
    users: new Map(),
    userIdsByName: new Map(),
    groups: new Map(),
    permissionSets: new Map(Object.entries(parsed.data.permissionSets ?? {})),
  };

  for (const user of store?.Users ?? []) {
    const email = user.Emails?.find((e) => e.Primary)?.Value ?? user.Emails?.[0]?.Value;
    lookups.users.set(user.UserId, { display: user.DisplayName ?? email, userName: user.UserName });
    if (user.UserName) lookups.userIdsByName.set(user.UserName.toLowerCase(), user.UserId);
  }
  for (const [userId, display] of Object.entries(store?.users ?? {}))
    lookups.users.set(userId, { display });
  for (const group of store?.Groups ?? []) {
    if (group.DisplayName) lookups.groups.set(group.GroupId, group.DisplayName);
  }
  for (const [groupId, name] of Object.entries(store?.groups ?? {}))
    lookups.groups.set(groupId, name);
  return lookups;
}
