import { readOrPublicError } from '../graphql/resolvers/provider-unavailable.ts';
import type { ProviderId } from '../payments/payment-intent.ts';
import { parsePaymentIntentId } from '../payments/payment-intent-id.ts';
import type { PaymentIntentReader } from '../payments/payment-intent-reader.ts';
import type { PaymentIntentRepository } from '../payments/payment-intent-repository.ts';
import { ProviderReadBudget } from '../payments/provider-read-budget.ts';
import type { IntentUpdate } from './intent-update-hub.ts';

export interface CurrentIntentSources {
  /** The store (through this replica's memory of it). */
  readonly intents: Pick<PaymentIntentRepository, 'getMany'>;
  /** For an intent the store does not hold: its provider is asked, as a query would. */
  readonly reader: Pick<PaymentIntentReader, 'getMany'>;
  readonly providerIds: readonly ProviderId[];
}

/**
 * A subscriber's first event: the stored copy whatever its age, since refreshing it is the poller's
 * business, shared by every subscriber through the lease (provider-refresh-poller.ts): a thousand
 * subscribers arriving at once must not each ask the provider. Only an intent the store does not
 * know is read from its provider (one read); an id this service did not issue is null at once.
 */
export function currentIntentReader(sources: CurrentIntentSources): (id: string) => Promise<IntentUpdate> {
  return async (id) => {
    if (parsePaymentIntentId(id, sources.providerIds) === null) return null;
    const stored = (await sources.intents.getMany([id])).get(id);
    if (stored !== undefined) return stored.intent;
    return readOrPublicError(async () => {
      const [answer] = await sources.reader.getMany([id], new ProviderReadBudget(1));
      if (answer instanceof Error) throw answer;
      return answer ?? null;
    });
  };
}
