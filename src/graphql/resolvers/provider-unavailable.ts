import { ProviderUnavailableError, unavailableReadMessage } from '../../providers/provider-errors.ts';
import { ProviderReadLimitError } from '../../payments/provider-read-budget.ts';
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
    throw publicReadError(error) ?? error;
  }
}

/** The deliberate error a failed read is shown as, or null for an error that is to be masked. */
export function publicReadError(error: unknown): PublicGraphQLError | null {
  if (error instanceof ProviderUnavailableError) {
    return new PublicGraphQLError(unavailableReadMessage(error), 'PROVIDER_UNAVAILABLE', {
      provider: error.provider.id,
      providerStatus: error.providerStatus,
      retryable: true,
    });
  }
  if (error instanceof ProviderReadLimitError) {
    return new PublicGraphQLError(
      `This request reads more intents from providers than the limit of ${error.limit}; ask for fewer ids per request`,
      'PROVIDER_READ_LIMIT_EXCEEDED',
      { limit: error.limit, retryable: false },
    );
  }
  return null;
}
