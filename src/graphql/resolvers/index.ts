import type { Resolvers } from '../generated/resolvers-types.ts';
import { scalarResolvers } from '../scalars/index.ts';
import { paymentIntentConnectionResolvers, paymentIntentEdgeResolvers } from './connection-resolvers.ts';
import { createPaymentIntentPayloadResolvers, mutationResolvers } from './mutation-resolvers.ts';
import { paymentIntentDetailsResolvers, paymentIntentResolvers } from './payment-intent-resolvers.ts';
import { queryResolvers } from './query-resolvers.ts';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: queryResolvers,
  Mutation: mutationResolvers,
  CreatePaymentIntentPayload: createPaymentIntentPayloadResolvers,
  PaymentIntent: paymentIntentResolvers,
  PaymentIntentDetails: paymentIntentDetailsResolvers,
  PaymentIntentConnection: paymentIntentConnectionResolvers,
  PaymentIntentEdge: paymentIntentEdgeResolvers,
};
