import type { ZopayCreateRequest } from '../../payments/create-payment-intent-command.ts';
import { rejected, type CreateOutcome } from '../../payments/create-payment-intent-result.ts';
import type { PaymentIntent } from '../../payments/payment-intent.ts';
import type { PaymentProviderPort } from '../../payments/payment-provider-port.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { ProviderTransportError } from '../http/provider-transport-error.ts';
import type { ProviderResponse } from '../http/provider-http-client.ts';
import { parseJsonBody } from '../json-body.ts';
import { classifyFailedCreate, unexpectedAnswer } from '../provider-answer-classification.ts';
import type { ProviderEndpoint } from '../provider-endpoint.ts';
import { readSuccessAnswer } from '../provider-contract.ts';
import { ProviderUnavailableError } from '../provider-errors.ts';
import { readZopayError, toPaymentIntent, toZopayCreateBody } from './zopay-transformers.ts';

// Zopay's 409 codes: a conflict is final, a key still in use is worth a retry.
const KEY_IN_USE_CODES: ReadonlySet<string> = new Set(['idempotency_key_in_use']);
// Zopay's id format is not public; anything outside this is not an id it issued.
const PLAUSIBLE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Zopay Connect (shared/design/seeds/000_*.txt). The clientMutationId travels as the
 * Idempotency-Key header, which makes Zopay replay a repeated create: so creates are retried.
 */
export class ZopayAdapter implements PaymentProviderPort<ZopayCreateRequest> {
  readonly provider = 'ZOPAY' as const;
  // A repeated Idempotency-Key replays the first answer for 24 h.
  readonly resendsCreatesSafely = true;
  readonly #endpoint: ProviderEndpoint;

  constructor(endpoint: ProviderEndpoint) {
    this.#endpoint = endpoint;
  }

  /** Not needed: a lost create is simply sent again with its Idempotency-Key. */
  creationMarker(): null {
    return null;
  }

  async create(request: ZopayCreateRequest, clientMutationId: string): Promise<CreateOutcome> {
    let response: ProviderResponse;
    try {
      response = await this.#endpoint.post('/payment-intents', canonicalJson(toZopayCreateBody(request)), 'idempotent', {
        'idempotency-key': clientMutationId,
      });
    } catch (error) {
      if (error instanceof ProviderTransportError) return this.#endpoint.unanswered(error);
      throw error;
    }
    if (response.status === 200 || response.status === 201) {
      return { kind: 'created', paymentIntent: readSuccessAnswer('ZOPAY', response, (body) => toPaymentIntent(body, request)) };
    }
    return rejected(classifyFailedCreate('ZOPAY', response.status, readZopayError(parseJsonBody(response.body)), KEY_IN_USE_CODES));
  }

  async get(providerId: string): Promise<PaymentIntent | null> {
    if (!PLAUSIBLE_ID.test(providerId)) return null;
    const response = await this.#endpoint.get(`/payment-intents/${encodeURIComponent(providerId)}`);
    if (response.status === 200) return readSuccessAnswer('ZOPAY', response, (body) => toPaymentIntent(body));
    if (response.status === 404) return null;
    if (response.status === 429 || response.status >= 500) throw new ProviderUnavailableError('ZOPAY', response.status);
    throw unexpectedAnswer('ZOPAY', response.status, readZopayError(parseJsonBody(response.body)));
  }
}
