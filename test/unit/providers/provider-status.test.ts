import { describe, expect, it } from 'vitest';
import { isTerminalStatus, type PaymentIntentStatus } from '../../../src/payments/payment-intent.ts';
import { ziinaStatus } from '../../../src/providers/ziina/ziina-status.ts';
import { zopayStatus } from '../../../src/providers/zopay/zopay-status.ts';

// Values that are not statuses but are keys on every plain object's prototype chain.
const UNKNOWN_INPUTS = [
  null,
  undefined,
  '',
  'weird_new_status',
  'COMPLETED',
  'Completed',
  ' completed',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

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

  it.each(UNKNOWN_INPUTS)('%j -> UNKNOWN', (raw) => {
    expect(ziinaStatus(raw)).toBe('UNKNOWN');
  });

  it('does not invent an expired status Ziina never documented', () => {
    expect(ziinaStatus('expired')).toBe('UNKNOWN');
  });
});

describe('zopayStatus', () => {
  it.each([
    ['awaiting_payment', 'REQUIRES_PAYMENT_INSTRUMENT'],
    ['pending', 'PENDING'],
    ['completed', 'COMPLETED'],
    ['paid', 'COMPLETED'],
    ['failed', 'FAILED'],
    ['canceled', 'CANCELED'],
    ['cancelled', 'CANCELED'],
    ['expired', 'EXPIRED'],
  ] as const)('%s -> %s', (raw, expected) => {
    expect(zopayStatus(raw)).toBe(expected);
  });

  it.each(UNKNOWN_INPUTS)('%j -> UNKNOWN', (raw) => {
    expect(zopayStatus(raw)).toBe('UNKNOWN');
  });
});

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
    for (const raw of UNKNOWN_INPUTS) {
      expect(isTerminalStatus(ziinaStatus(raw))).toBe(false);
      expect(isTerminalStatus(zopayStatus(raw))).toBe(false);
    }
  });
});
