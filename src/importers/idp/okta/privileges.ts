// Turns Okta admin-role events into per-role changes by diffing each user's current role list.

/**
 * `user.account.privilege.grant` does not say which role was granted: its debugData
 * `privilegeGranted` lists every admin role the user holds after the change (sources doc 5.2).
 * The roles added or removed are found by comparing with the previous list seen for that user
 * in this run, in the order the records arrive (the System Log API returns oldest first).
 */
export interface RoleChange {
  added: string[];
  removed: string[];
  /** True when no earlier list was known: every listed role is reported as added. */
  firstSight: boolean;
  /** True when the event named no roles at all (nothing to diff). */
  unspecified: boolean;
}

export class RoleTracker {
  private readonly current = new Map<string, string[]>();

  /** A grant-type event listing the roles now held. */
  afterGrant(subjectId: string, listed: string[] | undefined): RoleChange {
    if (listed === undefined)
      return { added: [], removed: [], firstSight: false, unspecified: true };
    const previous = this.current.get(subjectId);
    if (previous === undefined) {
      this.current.set(subjectId, listed);
      return { added: [...listed], removed: [], firstSight: true, unspecified: false };
    }
    // A grant never implies a revocation. A role missing from its list may have been removed by
    // a record outside this export, or two records of one instant may arrive out of order; a
    // "revoked" read into that would hide a standing privilege (a wrong "no gap"). Only revoke
    // events end a role, so the known list keeps every role seen until one does.
    this.current.set(subjectId, [
      ...previous,
      ...listed.filter((role) => !previous.includes(role)),
    ]);
    return {
      added: listed.filter((role) => !previous.includes(role)),
      removed: [],
      firstSight: false,
      unspecified: false,
    };
  }

  /**
   * A revoke event: `revoked` names the roles taken away where the event says so; otherwise
   * `remaining` (the list after the change) is diffed like a grant. With neither, the change
   * is unspecified and the user's known list is forgotten (it can no longer be trusted).
   */
  afterRevoke(
    subjectId: string,
    revoked: string[] | undefined,
    remaining: string[] | undefined,
  ): RoleChange {
    const previous = this.current.get(subjectId);
    if (revoked !== undefined && revoked.length > 0) {
      if (previous)
        this.current.set(
          subjectId,
          previous.filter((role) => !revoked.includes(role)),
        );
      return { added: [], removed: [...revoked], firstSight: false, unspecified: false };
    }
    if (remaining !== undefined && previous !== undefined) {
      this.current.set(subjectId, remaining);
      return {
        added: remaining.filter((role) => !previous.includes(role)),
        removed: previous.filter((role) => !remaining.includes(role)),
        firstSight: false,
        unspecified: false,
      };
    }
    if (remaining !== undefined) this.current.set(subjectId, remaining);
    else this.current.delete(subjectId);
    return { added: [], removed: [], firstSight: previous === undefined, unspecified: true };
  }
}
