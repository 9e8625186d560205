import { ProviderUnavailableError } from '../../providers/provider-errors.ts';
import { PublicGraphQLError } from '../public-error.ts';

/**
 * A read the provider could not answer becomes a deliberate PROVIDER_UNAVAILABLE error
 * (retryable, names the provider, never its URL); anything else propagates to be masked.
 */
export async function readOrPublicError<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ProviderUnavailableError) {
      throw new PublicGraphQLError(`${error.message}; retry later`, 'PROVIDER_UNAVAILABLE', {
        provider: error.provider,
        providerStatus: error.providerStatus,
        retryable: true,
      });
    }
    throw error;
  }
}
