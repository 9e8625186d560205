import type { QueryResolvers } from '../generated/resolvers-types.ts';
import { readOrPublicError } from './provider-unavailable.ts';

export const queryResolvers: QueryResolvers = {
  paymentIntent: (_parent, { id }, context) => readOrPublicError(() => context.paymentIntents.load(id)),
};
