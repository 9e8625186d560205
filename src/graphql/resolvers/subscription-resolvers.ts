import type { IntentUpdate } from '../../subscriptions/intent-update-hub.ts';
import { SubscriptionLimitError } from '../../subscriptions/intent-update-hub.ts';
import type { SubscriptionResolvers } from '../generated/resolvers-types.ts';
import { PublicGraphQLError } from '../public-error.ts';

export const subscriptionResolvers: SubscriptionResolvers = {
  paymentIntentUpdated: {
    subscribe: (_parent, { id }, context) => {
      try {
        return context.intentUpdates.watch(id);
      } catch (error) {
        if (error instanceof SubscriptionLimitError) {
          // Retryable: the router's next attempt may reach a replica with room.
          throw new PublicGraphQLError(
            `This replica serves its limit of ${error.limit} subscriptions; subscribe again shortly`,
            'SUBSCRIPTION_LIMIT_REACHED',
            { limit: error.limit, scope: 'process', retryable: true },
          );
        }
        throw error;
      }
    },
    resolve: (update: IntentUpdate) => update,
  },
};
