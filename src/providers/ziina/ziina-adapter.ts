import type { CreateOutcome } from '../../payments/create-payment-intent-result.ts';
import type { PaymentIntent } from '../../payments/payment-intent.ts';
import { isUuidShaped } from '../../lib/uuid-shape.ts';
import type { ProviderResponse } from '../http/provider-http-client.ts';
import type { ProviderEndpoint } from '../provider-endpoint.ts';
import { failedCreateOutcome, failedReadError, ProviderUnavailableError } from '../provider-errors.ts';
import type { ProviderAdapter } from '../provider-module.ts';
import { ZIINA } from './ziina-identity.ts';
import type { ZiinaCreateRequest } from './ziina-input.ts';
import { ziinaOperationId } from './ziina-operation-id.ts';
import { PAYMENT_INTENT_NOT_FOUND, readZiinaError, toPaymentIntent, toZiinaCreateBody } from './ziina-transformers.ts';

/**
 * Ziina (https://docs.ziina.com/api-reference/payment-intent/create, docs/providers/ziina.md).
 * Ziina documents no idempotency: a repeated create may mint a second intent. So a create is sent
 * again only when the first attempt provably never reached Ziina; the subgraph's own idempotency
 * record is what makes retries by clients safe.
 */
export class ZiinaAdapter implements ProviderAdapter<ZiinaCreateRequest> {
  readonly resendsCreatesSafely = false;
  readonly #endpoint: ProviderEndpoint;

  constructor(endpoint: ProviderEndpoint) {
    this.#endpoint = endpoint;
  }

  /** Ziina echoes operation_id on the intent, webhooks included. */
  creationMarker(clientMutationId: string): string {
    return ziinaOperationId(clientMutationId);
  }

  async create(request: ZiinaCreateRequest, clientMutationId: string): Promise<CreateOutcome> {
    const body = toZiinaCreateBody(request, ziinaOperationId(clientMutationId));
    let response: ProviderResponse;
    try {
      response = await this.#endpoint.post('/payment_intent', JSON.stringify(body), 'unsafe');
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return failedCreateOutcome(ZIINA, error);
      throw error;
    }
    if (response.status === 200 || response.status === 201) {
      return {
        kind: 'created',
        paymentIntent: this.#endpoint.read(response, (answer) => toPaymentIntent(answer, request)),
      };
    }
    return failedCreateOutcome(ZIINA, { status: response.status, details: readZiinaError(response.body) });
  }

  async get(providerId: string): Promise<PaymentIntent | null> {
    // Ziina's ids are UUIDs: anything else cannot exist there, and is not sent.
    if (!isUuidShaped(providerId)) return null;
    const response = await this.#endpoint.get(`/payment_intent/${encodeURIComponent(providerId)}`);
    if (response.status === 200) return this.#endpoint.read(response, (answer) => toPaymentIntent(answer));
    const details = readZiinaError(response.body);
    // Ziina answers an unknown id with 400 PAYMENT_INTENT_NOT_FOUND, not 404.
    if ((response.status === 400 && details.code === PAYMENT_INTENT_NOT_FOUND) || response.status === 404) return null;
    throw failedReadError(ZIINA, { status: response.status, details });
  }
}
