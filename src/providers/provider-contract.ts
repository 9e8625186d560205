import type { PaymentProvider } from '../payments/payment-intent.ts';
import type { ProviderResponse } from './http/provider-http-client.ts';
import { parseJsonBody, type ParsedJsonBody } from './json-body.ts';
import { ProviderIntegrationError } from './provider-errors.ts';

/** A provider's success answer breaks what we know or assume of its contract. */
export class ProviderContractError extends Error {
  override readonly name = 'ProviderContractError';
}

/**
 * Reads a success answer with a transformer; a broken contract becomes an integration error
 * (masked for clients, logged with the status, never with the body).
 */
export function readSuccessAnswer<T>(provider: PaymentProvider, response: ProviderResponse, read: (body: ParsedJsonBody) => T): T {
  const body = parseJsonBody(response.body);
  try {
    if (body === null) throw new ProviderContractError('answer is not JSON');
    return read(body);
  } catch (error) {
    if (error instanceof ProviderContractError) {
      throw new ProviderIntegrationError(provider, error.message, { providerStatus: response.status }, { cause: error });
    }
    throw error;
  }
}
