import type { PaymentIntentStatus } from '../../payments/payment-intent.ts';
import { mapProviderStatus } from '../provider-status.ts';

/**
 * Ziina's documented statuses (docs/providers/ziina.md; https://docs.ziina.com/api-reference/payment-intent/create).
 * Ziina documents no "expired"; an undocumented value maps to UNKNOWN and keeps its raw string.
 */
export const ZIINA_STATUSES = {
  requires_payment_instrument: 'REQUIRES_PAYMENT_INSTRUMENT',
  requires_user_action: 'REQUIRES_USER_ACTION',
  pending: 'PENDING',
  completed: 'COMPLETED',
  failed: 'FAILED',
  canceled: 'CANCELED',
} as const satisfies Record<string, PaymentIntentStatus>;

export function ziinaStatus(raw: string | null | undefined): PaymentIntentStatus {
  return mapProviderStatus(ZIINA_STATUSES, raw);
}
