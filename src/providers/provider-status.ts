import type { PaymentIntentStatus } from '../payments/payment-intent.ts';

/**
 * Looks a provider's raw status up in its table. A status missing from the table (a new one the
 * provider added, a typo, none at all) is UNKNOWN: never terminal, so nothing downstream
 * treats an intent as settled on a guess.
 */
export function mapProviderStatus(
  table: Readonly<Record<string, PaymentIntentStatus>>,
  raw: string | null | undefined,
): PaymentIntentStatus {
  if (raw == null || !Object.hasOwn(table, raw)) return 'UNKNOWN';
  return table[raw] ?? 'UNKNOWN';
}
