import type { CreateOutcome } from '../../payments/create-payment-intent-result.ts';
import type { PaymentIntent } from '../../payments/payment-intent.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import type { ProviderResponse } from '../http/provider-http-client.ts';
import type { ProviderEndpoint } from '../provider-endpoint.ts';
import { failedCreateOutcome, failedReadError, ProviderUnavailableError } from '../provider-errors.ts';
import type { ProviderAdapter } from '../provider-module.ts';
import { ZOPAY } from './zopay-identity.ts';
import type { ZopayCreateRequest } from './zopay-input.ts';
import { readZopayError, toPaymentIntent, toZopayCreateBody } from './zopay-transformers.ts';

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

  async create(request: ZopayCreateRequest, clientMutationId: string): Promise<CreateOutcome> {
    let response: ProviderResponse;
    try {
      // Canonical JSON: a retry whose metadata lists its keys in another order is byte-identical,
      // as Zopay's replay requires.
      const body = canonicalJson(toZopayCreateBody(request));
      response = await this.#endpoint.post('/payment-intents', body, 'idempotent', {
        'idempotency-key': clientMutationId,
      });
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return failedCreateOutcome(ZOPAY, error);
      throw error;
    }
    if (response.status === 200 || response.status === 201) {
      return {
        kind: 'created',
        paymentIntent: this.#endpoint.read(response, (body) => toPaymentIntent(body, request)),
      };
    }
    return failedCreateOutcome(
      ZOPAY,
      { status: response.status, details: readZopayError(response.body) },
      KEY_IN_USE_CODES,
    );
  }

  async get(providerId: string): Promise<PaymentIntent | null> {
    if (!PLAUSIBLE_ID.test(providerId)) return null;
    const response = await this.#endpoint.get(`/payment-intents/${encodeURIComponent(providerId)}`);
    if (response.status === 200) return this.#endpoint.read(response, (body) => toPaymentIntent(body));
    if (response.status === 404) return null;
    throw failedReadError(ZOPAY, { status: response.status, details: readZopayError(response.body) });
  }
}
