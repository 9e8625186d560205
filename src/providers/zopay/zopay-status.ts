import type { PaymentIntentStatus } from '../../payments/payment-intent.ts';
import { mapProviderStatus } from '../provider-status.ts';

/**
 * Zopay publishes no status list (docs/providers/zopay.md). These are the values we expect from
 * a crypto checkout; anything else maps to UNKNOWN, which is never terminal, and the raw string is
 * kept in providerStatus. Add a value here when Zopay is seen sending it. Where a word is ambiguous
 * the status stays open: a terminal status is never read again, so a guess too early would stick
 * forever, while one too late costs a few more reads.
 */
export const ZOPAY_STATUSES = {
  awaiting_payment: 'REQUIRES_PAYMENT_INSTRUMENT',
  requires_payment: 'REQUIRES_PAYMENT_INSTRUMENT',
  underpaid: 'REQUIRES_USER_ACTION',
  pending: 'PENDING',
  confirming: 'PENDING',
  processing: 'PENDING',
  // Crypto checkouts say "paid" of a payment seen on chain and not yet confirmed, which can still
  // fail (BitPay's invoice goes paid, confirmed, complete, and a paid one can turn invalid).
  paid: 'PENDING',
  completed: 'COMPLETED',
  failed: 'FAILED',
  canceled: 'CANCELED',
  cancelled: 'CANCELED',
  expired: 'EXPIRED',
} as const satisfies Record<string, PaymentIntentStatus>;

export function zopayStatus(raw: string | null | undefined): PaymentIntentStatus {
  return mapProviderStatus(ZOPAY_STATUSES, raw);
}
