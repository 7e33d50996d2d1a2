// Tests for the helpers importers share: identity normalization and ticket search.
import { describe, expect, it } from 'vitest';
import { findTickets, normalizeIdentityId } from '../../src/importers/common.js';

describe('normalizeIdentityId', () => {
  it('lower-cases e-mail addresses only', () => {
    expect(normalizeIdentityId(' Alice.Smith@Bank.Example ')).toBe('alice.smith@bank.example');
    expect(normalizeIdentityId('arn:aws:sts::1:assumed-role/Admin/Carol@Bank.Example')).toBe(
      'arn:aws:sts::1:assumed-role/Admin/Carol@Bank.Example',
    );
    expect(normalizeIdentityId('BANK\\ASmith')).toBe('BANK\\ASmith');
  });
});

describe('findTickets', () => {
  it('finds whole ticket tokens in order, without repeats', () => {
    expect(findTickets('per ACC-12 and CHG0040017; again ACC-12', 'INC0001234.')).toEqual([
      'ACC-12',
      'CHG0040017',
      'INC0001234',
    ]);
  });

  it('does not cut tickets out of host names or longer tokens', () => {
    expect(findTickets('host FW-EDGE-01 rebooted', 'xACC-12', 'ACC-12x')).toEqual([]);
  });
});
