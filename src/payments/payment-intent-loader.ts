import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { PaymentIntent } from './payment-intent.ts';
import type { PaymentIntentReader } from './payment-intent-reader.ts';

export type PaymentIntentLoader = DataLoader<string, PaymentIntent | null>;

/**
 * One per request: every `paymentIntent(id)` and every `_entities` representation of the request
 * goes through it, so N references cost one batch, duplicate ids are fetched once, and the
 * provider GETs of the distinct ids run at most `concurrency` at a time. A failed id rejects
 * only its own load; the others still resolve.
 */
export function createPaymentIntentLoader(reader: PaymentIntentReader, concurrency: number): PaymentIntentLoader {
  return new DataLoader<string, PaymentIntent | null>(async (ids) => {
    const limit = pLimit(concurrency);
    return Promise.all(ids.map((id) => limit(() => reader.get(id).catch((error: unknown) => toError(error)))));
  });
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
