import type { PaymentIntentConnectionResolvers, PaymentIntentEdgeResolvers } from '../generated/resolvers-types.ts';
import { readOrPublicError } from './provider-unavailable.ts';

export const paymentIntentConnectionResolvers: PaymentIntentConnectionResolvers = {
  edges: (page) => [...page.edges],
  // Forward pagination only (first/after): there is never a previous page to offer.
  pageInfo: (page) => ({
    hasNextPage: page.hasNextPage,
    hasPreviousPage: false,
    startCursor: page.edges.at(0)?.cursor ?? null,
    endCursor: page.edges.at(-1)?.cursor ?? null,
  }),
};

export const paymentIntentEdgeResolvers: PaymentIntentEdgeResolvers = {
  // Through the request's loader: one batch for the whole page, shared with other fields.
  node: (edge, _args, context) =>
    readOrPublicError(async () => {
      const intent = await context.paymentIntents.load(edge.id);
      // Listed ids are stored ones, and stored intents are always served.
      if (intent === null) throw new Error(`listed payment intent ${edge.id} could not be read`);
      return intent;
    }),
};
