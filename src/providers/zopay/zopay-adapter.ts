import type { CreateOutcome } from '../../payments/create-payment-intent-result.ts';
import type { PaymentIntent } from '../../payments/payment-intent.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import type { ProviderEndpoint } from '../provider-endpoint.ts';
import type { ProviderAdapter } from '../provider-module.ts';
import type { ZopayCreateRequest } from './zopay-input.ts';
import type { ZopayIntentDetails } from './zopay-intent-details.ts';
import { knownFromStored, readZopayError, toPaymentIntent, toZopayCreateBody } from './zopay-transformers.ts';

// Zopay's 409 codes: a conflict is final, a key still in use is worth a retry.
const KEY_IN_USE_CODES: ReadonlySet<string> = new Set(['idempotency_key_in_use']);
// Zopay's id format is not public; anything outside this is not an id it issued.
const PLAUSIBLE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Zopay Connect (docs/providers/zopay.md). The clientMutationId travels as the Idempotency-Key
 * header, which makes Zopay replay a repeated create for 24 h: so creates are retried and resent.
 */
export class ZopayAdapter implements ProviderAdapter<ZopayCreateRequest> {
  readonly resendsCreatesSafely = true;
  readonly #endpoint: ProviderEndpoint;

  constructor(endpoint: ProviderEndpoint) {
    this.#endpoint = endpoint;
  }

  /** Not needed: a create of lost outcome is simply sent again with its Idempotency-Key. */
  creationMarker(): null {
    return null;
  }

  create(request: ZopayCreateRequest, clientMutationId: string): Promise<CreateOutcome> {
    return this.#endpoint.create({
      path: '/payment-intents',
      // Canonical JSON: a retry whose metadata lists its keys in another order is byte-identical, as
      // Zopay's replay requires.
      body: canonicalJson(toZopayCreateBody(request)),
      retryPolicy: 'idempotent',
      headers: { 'idempotency-key': clientMutationId },
      keyInUseCodes: KEY_IN_USE_CODES,
      intent: (body) => toPaymentIntent(body, request),
      errorDetails: readZopayError,
    });
  }

  async get(providerId: string, stored?: PaymentIntent): Promise<PaymentIntent | null> {
    if (!PLAUSIBLE_ID.test(providerId)) return null;
    const known =
      stored?.provider === 'ZOPAY' ? knownFromStored(stored as PaymentIntent<ZopayIntentDetails>) : undefined;
    return this.#endpoint.read({
      path: `/payment-intents/${encodeURIComponent(providerId)}`,
      isNotFound: ({ status }) => status === 404,
      intent: (body) => toPaymentIntent(body, known),
      errorDetails: readZopayError,
    });
  }
}
