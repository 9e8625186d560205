import { parseJsonWithNumberSources, type JsonWithNumberSources } from '../lib/exact-json.ts';
import { secretScrubber, type Logger } from '../logging/logger.ts';
import type { CreateOutcome } from '../payments/create-payment-intent-result.ts';
import type { PaymentIntent } from '../payments/payment-intent.ts';
import type {
  ProviderHttpClient,
  ProviderRequest,
  ProviderResponse,
  RetryPolicy,
} from './http/provider-http-client.ts';
import {
  failedCreateOutcome,
  failedReadError,
  ProviderIntegrationError,
  ProviderUnavailableError,
  type FailedAnswer,
  type ProviderErrorDetails,
  type ProviderIdentity,
} from './provider-errors.ts';

export interface ProviderEndpointOptions {
  readonly provider: ProviderIdentity;
  /** e.g. https://api.zopay.cash/connect/v1 (a trailing slash is ignored). */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly http: ProviderHttpClient;
  /** Where a provider's own error text goes: to operators (scrubbed of secrets), never to clients. */
  readonly logger: Logger;
}

/** A provider's error text kept in a log line: enough to diagnose, never a whole page. */
const MAX_LOGGED_PROVIDER_MESSAGE_LENGTH = 1_000;

/** How an adapter reads its provider's answers: the rest of a call is the same for every provider. */
export interface AnswerReaders {
  /** The intent in a success answer; throws ProviderIntegrationError when the body breaks the contract. */
  readonly intent: (body: JsonWithNumberSources) => PaymentIntent;
  /** What a failed answer's body says (code, message, field), as leniently as it can. */
  readonly errorDetails: (bodyText: string) => ProviderErrorDetails;
}

export interface CreateCall extends AnswerReaders {
  readonly path: string;
  readonly body: string;
  /** `idempotent` only when the request carries the provider's own idempotency key. */
  readonly retryPolicy: RetryPolicy;
  readonly headers?: Record<string, string>;
  /** The provider's 409 codes that mean "this key is still being processed" rather than a conflict. */
  readonly keyInUseCodes?: ReadonlySet<string>;
}

export interface ReadCall extends AnswerReaders {
  readonly path: string;
  /** How the provider says that it does not know the id. */
  readonly isNotFound: (answer: FailedAnswer) => boolean;
}

/**
 * A provider's base URL and credentials bound to the shared HTTP client, and the course of a create
 * and of a read that every provider shares (after stripe-node's resources): send, then read a success
 * through the adapter's transformer, or turn a failure into an outcome through the one error model.
 * An adapter is only its provider's paths, bodies and readers.
 */
export class ProviderEndpoint {
  readonly provider: ProviderIdentity;
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly #http: ProviderHttpClient;
  readonly #logger: Logger;
  /**
   * The provider's error text may quote our key (it is the one secret of ours the provider is
   * sent): it is scrubbed before the text is cut, since a key cut in two would no longer be whole
   * for the log's own scrub.
   */
  readonly #scrubApiKey: (text: string) => string;

  constructor(options: ProviderEndpointOptions) {
    this.provider = options.provider;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#http = options.http;
    this.#logger = options.logger;
    this.#scrubApiKey = secretScrubber([options.apiKey]);
  }

  /** A create: the intent, or the user errors of its failure (an outage included). */
  async create(call: CreateCall): Promise<CreateOutcome> {
    let response: ProviderResponse;
    try {
      response = await this.#send('create', 'POST', call.path, call.retryPolicy, {
        body: call.body,
        headers: { 'content-type': 'application/json', ...call.headers },
      });
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return failedCreateOutcome(this.provider, error);
      throw error;
    }
    if (response.status === 200 || response.status === 201) {
      return { kind: 'created', paymentIntent: this.#read(response, call.intent) };
    }
    const failed = { status: response.status, details: call.errorDetails(response.body) };
    this.#logger.warn(
      {
        provider: this.provider.id,
        providerStatus: failed.status,
        providerCode: failed.details.code,
        providerMessage:
          failed.details.message === null
            ? null
            : this.#scrubApiKey(failed.details.message).slice(0, MAX_LOGGED_PROVIDER_MESSAGE_LENGTH),
      },
      `${this.provider.displayName} did not create the payment intent`,
    );
    return failedCreateOutcome(this.provider, failed, call.keyInUseCodes);
  }

  /** A read by id (always safe to retry): the intent, or null when the provider does not know it. */
  async read(call: ReadCall): Promise<PaymentIntent | null> {
    const response = await this.#send('get', 'GET', call.path, 'idempotent');
    if (response.status === 200) return this.#read(response, call.intent);
    const failed = { status: response.status, details: call.errorDetails(response.body) };
    if (call.isNotFound(failed)) return null;
    throw failedReadError(this.provider, failed);
  }

  #send(
    action: string,
    method: ProviderRequest['method'],
    path: string,
    retryPolicy: RetryPolicy,
    content: { readonly body?: string; readonly headers?: Record<string, string> } = {},
  ): Promise<ProviderResponse> {
    return this.#http.send({
      provider: this.provider,
      operation: `${this.provider.id.toLowerCase()}.${action}`,
      method,
      url: new URL(`${this.#baseUrl}${path}`),
      headers: { authorization: `Bearer ${this.#apiKey}`, accept: 'application/json', ...content.headers },
      ...(content.body !== undefined && { body: content.body }),
      retryPolicy,
    });
  }

  /**
   * A body that is not JSON, or not what the contract says, is an integration error, logged with the
   * status (the transformer that refuses a body does not know it) and never the body.
   */
  #read(response: ProviderResponse, intent: (body: JsonWithNumberSources) => PaymentIntent): PaymentIntent {
    const body = parseJsonWithNumberSources(response.body);
    if (body === null)
      throw new ProviderIntegrationError(this.provider, 'answer is not JSON', { providerStatus: response.status });
    try {
      return intent(body);
    } catch (error) {
      if (error instanceof ProviderIntegrationError) throw error.withDetail({ providerStatus: response.status });
      throw error;
    }
  }
}
