import { describe, expect, it } from 'vitest';
import { ziinaStatus } from '../../../../src/providers/ziina/ziina-status.ts';
import { UNMAPPED_STATUSES } from '../../../support/builders.ts';

describe('ziinaStatus', () => {
  // Every status Ziina documents (docs/providers/ziina.md).
  it.each([
    ['requires_payment_instrument', 'REQUIRES_PAYMENT_INSTRUMENT'],
    ['requires_user_action', 'REQUIRES_USER_ACTION'],
    ['pending', 'PENDING'],
    ['completed', 'COMPLETED'],
    ['failed', 'FAILED'],
    ['canceled', 'CANCELED'],
  ] as const)('%s -> %s', (raw, expected) => {
    expect(ziinaStatus(raw)).toBe(expected);
  });

  it.each(UNMAPPED_STATUSES)('%j -> UNKNOWN', (raw) => {
    expect(ziinaStatus(raw)).toBe('UNKNOWN');
  });

  it('does not invent an expired status Ziina never documented', () => {
    expect(ziinaStatus('expired')).toBe('UNKNOWN');
  });
});
