// Admin-role lists: grants add roles, only revoke records take them away.
import { describe, expect, it } from 'vitest';
import { RoleTracker } from '../../../src/importers/idp/okta/privileges.js';

describe('RoleTracker', () => {
  it('never reads a shorter list on a grant as a revocation', () => {
    const tracker = new RoleTracker();
    expect(tracker.afterGrant('alice', ['Org admin', 'App admin'])).toMatchObject({
      added: ['Org admin', 'App admin'],
      removed: [],
    });
    expect(tracker.afterGrant('alice', ['Super admin'])).toMatchObject({
      added: ['Super admin'],
      removed: [],
    });
    expect(tracker.afterRevoke('alice', undefined, ['Super admin'])).toMatchObject({
      added: [],
      removed: ['Org admin', 'App admin'],
    });
  });
});
