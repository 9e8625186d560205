import type { ProviderRegistry } from '../../providers/provider-registry.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';
import { scalarResolvers } from '../scalars/index.ts';
import { paymentIntentConnectionResolvers, paymentIntentEdgeResolvers } from './connection-resolvers.ts';
import { mutationResolvers } from './mutation-resolvers.ts';
import { paymentIntentDetailsResolvers, paymentIntentResolvers } from './payment-intent-resolvers.ts';
import { queryResolvers } from './query-resolvers.ts';
import { subscriptionResolvers } from './subscription-resolvers.ts';

/** The resolvers of schema/payments.graphql, for these providers. */
export function createResolvers(providers: ProviderRegistry): Resolvers {
  return {
    ...scalarResolvers,
    Query: queryResolvers,
    Mutation: mutationResolvers(providers),
    Subscription: subscriptionResolvers,
    PaymentIntent: paymentIntentResolvers,
    PaymentIntentDetails: paymentIntentDetailsResolvers(providers),
    PaymentIntentConnection: paymentIntentConnectionResolvers,
    PaymentIntentEdge: paymentIntentEdgeResolvers,
  };
}
