// The three PAM importers are registered under their ids with valid metadata.
import { expect, test } from 'vitest';
import { getImporter, importers } from '../../../../src/importers/index.js';

test('vault, teleport and beyondtrust are registered under their ids', () => {
  for (const id of ['beyondtrust', 'teleport', 'vault']) {
    expect(getImporter(id)?.meta.id).toBe(id);
    expect(getImporter(id)?.input).toBe('json');
  }
  expect([...importers.keys()]).toEqual([...importers.keys()].sort());
});
