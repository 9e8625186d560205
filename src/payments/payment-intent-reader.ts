import type { PaymentIntent } from './payment-intent.ts';
import { parsePaymentIntentId } from './payment-intent-id.ts';
import { providerPort, type ProviderRegistry } from './provider-registry.ts';

/**
 * Reads intents from their provider; the id's prefix says which. An id this service did not
 * issue, or one the provider does not know, is null. Throws ProviderUnavailableError when the
 * provider cannot answer.
 */
export class PaymentIntentReader {
  readonly #providers: ProviderRegistry;

  constructor(providers: ProviderRegistry) {
    this.#providers = providers;
  }

  async get(id: string): Promise<PaymentIntent | null> {
    const reference = parsePaymentIntentId(id);
    if (reference === null) return null;
    return providerPort(this.#providers, reference.provider).get(reference.providerId);
  }
}
