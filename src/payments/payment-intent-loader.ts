import DataLoader from 'dataloader';
import type { PaymentIntent } from './payment-intent.ts';
import type { PaymentIntentReader } from './payment-intent-reader.ts';
import { ProviderReadBudget } from './provider-read-budget.ts';

export type PaymentIntentLoader = DataLoader<string, PaymentIntent | null>;

/**
 * One per request: every `paymentIntent(id)`, listing node and `_entities` representation of
 * the request goes through it, so N references cost one batch (one store query, provider GETs
 * only for missing or stale ids) and duplicate ids are read once. A failed id rejects only its
 * own load; the others still resolve. Its provider reads share one budget (provider-read-budget.ts).
 */
export function createPaymentIntentLoader(
  reader: PaymentIntentReader,
  providerReadsPerRequest: number,
): PaymentIntentLoader {
  const budget = new ProviderReadBudget(providerReadsPerRequest);
  return new DataLoader<string, PaymentIntent | null>((ids) => reader.getMany(ids, budget));
}
