import type { PaymentProvider } from '../payments/payment-intent.ts';

/**
 * The provider could not be reached or failed (5xx, timeout, connection refused). Deliberate:
 * clients see PROVIDER_UNAVAILABLE and may retry. Never carries the provider's URL or body.
 */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  readonly provider: PaymentProvider;
  readonly providerStatus: number | null;

  constructor(provider: PaymentProvider, providerStatus: number | null, options?: ErrorOptions) {
    super(`${provider} is unavailable`, options);
    this.provider = provider;
    this.providerStatus = providerStatus;
  }
}

/**
 * Our side of the integration is wrong: rejected credentials (401/403), an answer that breaks the
 * provider's contract, a status we never expect. Clients get a masked INTERNAL_SERVER_ERROR; the
 * log gets `detail` (which must hold no secret: the adapters put status and error code there).
 */
export class ProviderIntegrationError extends Error {
  override readonly name = 'ProviderIntegrationError';
  readonly provider: PaymentProvider;
  readonly detail: Record<string, unknown>;

  constructor(provider: PaymentProvider, message: string, detail: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(`${provider}: ${message}`, options);
    this.provider = provider;
    this.detail = detail;
  }
}
