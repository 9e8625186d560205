import { parseJsonWithNumberSources, type JsonWithNumberSources } from '../lib/exact-json.ts';
import type { ProviderHttpClient, ProviderResponse, RetryPolicy } from './http/provider-http-client.ts';
import { ProviderIntegrationError, type ProviderIdentity } from './provider-errors.ts';

export interface ProviderEndpointOptions {
  readonly provider: ProviderIdentity;
  /** e.g. https://api.zopay.cash/connect/v1 (a trailing slash is ignored). */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly http: ProviderHttpClient;
}

/**
 * A provider's base URL and credentials bound to the shared HTTP client: the plumbing every adapter
 * shares (authorization, JSON headers, URL joining, reading answers), so that an adapter is only
 * its provider's mapping. Calls throw ProviderUnavailableError when no answer came back.
 */
export class ProviderEndpoint {
  readonly provider: ProviderIdentity;
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly #http: ProviderHttpClient;

  constructor(options: ProviderEndpointOptions) {
    this.provider = options.provider;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#http = options.http;
  }

  post(
    path: string,
    body: string,
    retryPolicy: RetryPolicy,
    headers: Record<string, string> = {},
  ): Promise<ProviderResponse> {
    return this.#http.send({
      provider: this.provider,
      operation: `${this.provider.id.toLowerCase()}.create`,
      method: 'POST',
      url: this.#url(path),
      headers: { ...this.#headers(), 'content-type': 'application/json', ...headers },
      body,
      retryPolicy,
    });
  }

  /** A GET is always safe to retry. */
  get(path: string): Promise<ProviderResponse> {
    return this.#http.send({
      provider: this.provider,
      operation: `${this.provider.id.toLowerCase()}.get`,
      method: 'GET',
      url: this.#url(path),
      headers: this.#headers(),
      retryPolicy: 'idempotent',
    });
  }

  /**
   * Reads an answer's JSON body with a transformer. A body that is not JSON breaks the provider's
   * contract (an integration error: masked for clients, logged with the status, never the body).
   */
  read<T>(response: ProviderResponse, transform: (body: JsonWithNumberSources) => T): T {
    const body = parseJsonWithNumberSources(response.body);
    if (body === null)
      throw new ProviderIntegrationError(this.provider, 'answer is not JSON', { providerStatus: response.status });
    return transform(body);
  }

  #url(path: string): URL {
    return new URL(`${this.#baseUrl}${path}`);
  }

  #headers(): Record<string, string> {
    return { authorization: `Bearer ${this.#apiKey}`, accept: 'application/json' };
  }
}
