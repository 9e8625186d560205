import { ProviderUnavailableError, unavailableReadMessage } from '../../providers/provider-errors.ts';
import { PublicGraphQLError } from '../public-error.ts';

/**
 * A read the provider could not answer (and no stored copy could stand in) becomes a deliberate
 * PROVIDER_UNAVAILABLE error: retryable, names the provider, never its URL. Anything else propagates
 * to be masked.
 */
export async function readOrPublicError<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ProviderUnavailableError) {
      throw new PublicGraphQLError(unavailableReadMessage(error), 'PROVIDER_UNAVAILABLE', {
        provider: error.provider.id,
        providerStatus: error.providerStatus,
        retryable: true,
      });
    }
    throw error;
  }
}
