import type { CreateOutcome } from '../../payments/create-payment-intent-result.ts';
import type { PaymentIntent } from '../../payments/payment-intent.ts';
import { isUuidShaped } from '../../lib/uuid-shape.ts';
import type { ProviderEndpoint } from '../provider-endpoint.ts';
import type { ProviderAdapter } from '../provider-module.ts';
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

  create(request: ZiinaCreateRequest, clientMutationId: string): Promise<CreateOutcome> {
    return this.#endpoint.create({
      path: '/payment_intent',
      body: JSON.stringify(toZiinaCreateBody(request, ziinaOperationId(clientMutationId))),
      retryPolicy: 'unsafe',
      intent: (answer) => toPaymentIntent(answer, request),
      errorDetails: readZiinaError,
    });
  }

  async get(providerId: string): Promise<PaymentIntent | null> {
    // Ziina's ids are UUIDs: anything else cannot exist there, and is not sent.
    if (!isUuidShaped(providerId)) return null;
    return this.#endpoint.read({
      path: `/payment_intent/${encodeURIComponent(providerId)}`,
      // Ziina answers an unknown id with 400 PAYMENT_INTENT_NOT_FOUND, not 404.
      isNotFound: ({ status, details }) =>
        (status === 400 && details.code === PAYMENT_INTENT_NOT_FOUND) || status === 404,
      intent: (answer) => toPaymentIntent(answer),
      errorDetails: readZiinaError,
    });
  }
}
