import { InvalidListingArgumentError } from '../../payments/list-payment-intents.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';
import { PublicGraphQLError } from '../public-error.ts';
import { readOrPublicError } from './provider-unavailable.ts';

export const queryResolvers: QueryResolvers = {
  paymentIntent: (_parent, { id }, context) => readOrPublicError(() => context.paymentIntents.load(id)),
  paymentIntents: async (_parent, { filter, first, after }, context) => {
    try {
      return await context.listPaymentIntents.execute({ filter: filter ?? {}, first, after: after ?? null });
    } catch (error) {
      if (error instanceof InvalidListingArgumentError) {
        throw new PublicGraphQLError(error.message, 'BAD_USER_INPUT', { argument: error.argument });
      }
      throw error;
    }
  },
};
