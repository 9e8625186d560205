import { describe, expect, it } from 'vitest';
import { requestFingerprint } from '../../../src/idempotency/request-fingerprint.ts';
import type { ProviderCreateRequest } from '../../../src/payments/create-payment-intent-command.ts';

function request(fields: Record<string, unknown>): ProviderCreateRequest {
  return { provider: 'zopay', ...fields };
}

describe('the fingerprint of a create request', () => {
  it('is the SHA-256 of its canonical JSON, in hex: the value records stored by earlier releases hold', () => {
    // sha256 of {"amount":"10.50","currencies":["USDT"],"metadata":{"order":"A-1"},"provider":"zopay"}
    expect(requestFingerprint(request({ amount: '10.50', currencies: ['USDT'], metadata: { order: 'A-1' } }))).toBe(
      '04291a78f6f97a5d43403305a394e2c3754d359f3a723f2d9d30726af48d567a',
    );
  });

  it('does not depend on the order of the keys, and changes with any value', () => {
    const first = requestFingerprint(request({ metadata: { order: 'A-1', note: 'x' }, amount: '10.50' }));
    expect(requestFingerprint(request({ amount: '10.50', metadata: { note: 'x', order: 'A-1' } }))).toBe(first);
    expect(requestFingerprint(request({ amount: '10.51', metadata: { note: 'x', order: 'A-1' } }))).not.toBe(first);
  });
});
