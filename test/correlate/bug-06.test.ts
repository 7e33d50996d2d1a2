// bug-06 end to end: the multi-member gzip's revocation must close the grant it belongs to.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { defaultConfig } from '../../src/config/index.js';
import { importPaths } from '../../src/pipeline/import.js';
import { bugcase, hasBugcases } from '../helpers/paths.js';

describe.skipIf(!hasBugcases)('bug-06 through import and correlation', () => {
  it('gives one grant of 4 h 0 min 0.395 s, revoked', async () => {
    const imported = await importPaths([bugcase('bug-06')]);
    const result = analyze({
      events: imported.events,
      accounting: imported.accounting,
      notes: imported.notes,
      config: defaultConfig(),
      asOf: '2024-08-20T00:00:00.000Z',
      period: { since: '2024-08-19T00:00:00.000Z', until: '2024-08-19T23:59:59.999Z' },
    });
    const grants = result.grants.filter((g) => g.target.name === 'Prod-Admins');
    expect(grants).toHaveLength(1);
    const [grant] = grants;
    expect(grant.issuedAt).toBe('2024-08-19T08:01:44.905Z');
    expect(grant.endedAt).toBe('2024-08-19T12:01:45.300Z');
    expect(grant.endReason).toBe('revoked');
    expect(Date.parse(grant.endedAt ?? '') - Date.parse(grant.issuedAt ?? '')).toBe(
      4 * 3_600_000 + 395,
    );
    expect(grant.links.map((l) => l.reason)).toEqual(['anchor', 'target-window-subject-unknown']);
    expect(result.gaps.filter((g) => g.rule === 'never-revoked')).toEqual([]);
  });
});
