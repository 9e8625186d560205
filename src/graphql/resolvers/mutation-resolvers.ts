import type { CreatePaymentIntentPayloadResolvers, MutationResolvers } from '../generated/resolvers-types.ts';

export const mutationResolvers: MutationResolvers = {
  createPaymentIntent: (_parent, { input }, context) => context.createPaymentIntent.execute(input),
};

export const createPaymentIntentPayloadResolvers: CreatePaymentIntentPayloadResolvers = {
  paymentIntent: (result) => (result.outcome.kind === 'created' ? result.outcome.paymentIntent : null),
  userErrors: (result) => (result.outcome.kind === 'rejected' ? [...result.outcome.userErrors] : []),
};
