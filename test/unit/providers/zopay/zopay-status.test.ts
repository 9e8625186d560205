import { describe, expect, it } from 'vitest';
import { zopayStatus } from '../../../../src/providers/zopay/zopay-status.ts';
import { UNMAPPED_STATUSES } from '../../../support/builders.ts';

describe('zopayStatus', () => {
  it.each([
    ['awaiting_payment', 'REQUIRES_PAYMENT_INSTRUMENT'],
    ['pending', 'PENDING'],
    ['completed', 'COMPLETED'],
    // Seen, not yet final: a crypto payment can still fail its confirmations.
    ['paid', 'PENDING'],
    ['failed', 'FAILED'],
    ['canceled', 'CANCELED'],
    ['cancelled', 'CANCELED'],
    ['expired', 'EXPIRED'],
  ] as const)('%s -> %s', (raw, expected) => {
    expect(zopayStatus(raw)).toBe(expected);
  });

  it.each(UNMAPPED_STATUSES)('%j -> UNKNOWN', (raw) => {
    expect(zopayStatus(raw)).toBe('UNKNOWN');
  });
});
