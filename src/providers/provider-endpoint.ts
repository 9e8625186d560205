import type { PaymentProvider } from '../payments/payment-intent.ts';
import type { CreateOutcome } from '../payments/create-payment-intent-result.ts';
import type { ProviderHttpClient, ProviderResponse, RetryPolicy } from './http/provider-http-client.ts';
import { ProviderTransportError } from './http/provider-transport-error.ts';
import { providerNotReachedMessage, providerUnavailableMessage } from './provider-answer-classification.ts';
import { ProviderUnavailableError } from './provider-errors.ts';

export interface ProviderEndpointOptions {
  readonly provider: PaymentProvider;
  /** e.g. https://api.zopay.cash/connect/v1 (no trailing slash needed). */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly http: ProviderHttpClient;
}

const UNANSWERED = {
  timeout: 'did not answer in time',
  connection: 'could not be reached',
  circuit_open: 'is failing repeatedly; calls are paused for a few seconds',
} as const;

/**
 * A provider's base URL and credentials bound to the shared HTTP client: the plumbing both
 * adapters share (authorization, JSON headers, URL joining), so each adapter is only its mapping.
 */
export class ProviderEndpoint {
  readonly provider: PaymentProvider;
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly #http: ProviderHttpClient;

  constructor(options: ProviderEndpointOptions) {
    this.provider = options.provider;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#http = options.http;
  }

  /** Throws ProviderTransportError when no answer came back. */
  post(path: string, body: string, retryPolicy: RetryPolicy, headers: Record<string, string> = {}): Promise<ProviderResponse> {
    return this.#http.send({
      provider: this.provider,
      operation: `${this.provider.toLowerCase()}.create`,
      method: 'POST',
      url: this.#url(path),
      headers: { ...this.#headers(), 'content-type': 'application/json', ...headers },
      body,
      retryPolicy,
    });
  }

  /** A GET is always safe to retry. Throws ProviderUnavailableError when no answer came back. */
  async get(path: string): Promise<ProviderResponse> {
    try {
      return await this.#http.send({
        provider: this.provider,
      operation: `${this.provider.toLowerCase()}.get`,
        method: 'GET',
        url: this.#url(path),
        headers: this.#headers(),
        retryPolicy: 'idempotent',
      });
    } catch (error) {
      if (error instanceof ProviderTransportError) throw new ProviderUnavailableError(this.provider, null, { cause: error });
      throw error;
    }
  }

  /**
   * The outcome of a create that got no answer. Retrying with the same key may succeed; and
   * unless the connection never opened, the provider may have created the intent.
   */
  unanswered(error: ProviderTransportError): CreateOutcome {
    const what = UNANSWERED[error.reason];
    return {
      kind: 'rejected',
      userErrors: [
        {
          code: 'PROVIDER_UNAVAILABLE',
          message: (error.requestSent ? providerUnavailableMessage : providerNotReachedMessage)(this.provider, what),
          field: null,
          provider: this.provider,
          providerStatus: null,
          providerCode: null,
          retryable: true,
        },
      ],
      mayHaveCreated: error.requestSent,
    };
  }

  #url(path: string): URL {
    return new URL(`${this.#baseUrl}${path}`);
  }

  #headers(): Record<string, string> {
    return { authorization: `Bearer ${this.#apiKey}`, accept: 'application/json' };
  }
}
