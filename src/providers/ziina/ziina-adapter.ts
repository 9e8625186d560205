import type { ZiinaCreateRequest } from '../../payments/create-payment-intent-command.ts';
import { rejected, type CreateOutcome } from '../../payments/create-payment-intent-result.ts';
import type { PaymentIntent } from '../../payments/payment-intent.ts';
import type { PaymentProviderPort } from '../../payments/payment-provider-port.ts';
import { isUuidShaped } from '../../shared/uuid-shape.ts';
import { ProviderTransportError } from '../http/provider-transport-error.ts';
import type { ProviderResponse } from '../http/provider-http-client.ts';
import { parseJsonBody } from '../json-body.ts';
import { classifyFailedCreate, unexpectedAnswer } from '../provider-answer-classification.ts';
import type { ProviderEndpoint } from '../provider-endpoint.ts';
import { readSuccessAnswer } from '../provider-contract.ts';
import { ProviderUnavailableError } from '../provider-errors.ts';
import { ziinaOperationId } from './ziina-operation-id.ts';
import { PAYMENT_INTENT_NOT_FOUND, readZiinaError, toPaymentIntent, toZiinaCreateBody } from './ziina-transformers.ts';

/**
 * Ziina (https://docs.ziina.com/api-reference/payment-intent/create). Ziina documents no
 * idempotency: a repeated create may mint a second intent. So a create is sent again only when
 * the first attempt provably never reached Ziina; the subgraph's own idempotency record is
 * what makes retries by clients safe.
 */
export class ZiinaAdapter implements PaymentProviderPort<ZiinaCreateRequest> {
  readonly provider = 'ZIINA' as const;
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
      if (error instanceof ProviderTransportError) return this.#endpoint.unanswered(error);
      throw error;
    }
    if (response.status === 200 || response.status === 201) return { kind: 'created', paymentIntent: readSuccessAnswer('ZIINA', response, (answer) => toPaymentIntent(answer, request)) };
    return rejected(classifyFailedCreate('ZIINA', response.status, readZiinaError(parseJsonBody(response.body))));
  }

  async get(providerId: string): Promise<PaymentIntent | null> {
    // Ziina's ids are UUIDs: anything else cannot exist there, and is not sent.
    if (!isUuidShaped(providerId)) return null;
    const response = await this.#endpoint.get(`/payment_intent/${encodeURIComponent(providerId)}`);
    if (response.status === 200) return readSuccessAnswer('ZIINA', response, (answer) => toPaymentIntent(answer));
    const details = readZiinaError(parseJsonBody(response.body));
    // Ziina answers an unknown id with 400 PAYMENT_INTENT_NOT_FOUND, not 404 (providers.md).
    if ((response.status === 400 && details.code === PAYMENT_INTENT_NOT_FOUND) || response.status === 404) return null;
    if (response.status === 429 || response.status >= 500) throw new ProviderUnavailableError('ZIINA', response.status);
    throw unexpectedAnswer('ZIINA', response.status, details);
  }
}
