import { describe, expect, it } from 'vitest';
import { isTerminalStatus, type PaymentIntentStatus } from '../../../src/payments/payment-intent.ts';
import { ziinaStatus } from '../../../src/providers/ziina/ziina-status.ts';
import { zopayStatus } from '../../../src/providers/zopay/zopay-status.ts';
import { UNMAPPED_STATUSES } from '../../support/builders.ts';

describe('isTerminalStatus', () => {
  it.each([
    ['COMPLETED', true],
    ['FAILED', true],
    ['CANCELED', true],
    ['EXPIRED', true],
    ['REQUIRES_PAYMENT_INSTRUMENT', false],
    ['REQUIRES_USER_ACTION', false],
    ['PENDING', false],
    ['UNKNOWN', false],
  ] as const satisfies readonly (readonly [PaymentIntentStatus, boolean])[])('%s -> %s', (status, terminal) => {
    expect(isTerminalStatus(status)).toBe(terminal);
  });

  it('never treats an unmapped provider status as settled', () => {
    for (const raw of UNMAPPED_STATUSES) {
      expect(isTerminalStatus(ziinaStatus(raw))).toBe(false);
      expect(isTerminalStatus(zopayStatus(raw))).toBe(false);
    }
  });
});
