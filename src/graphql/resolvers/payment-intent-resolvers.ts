import type { PaymentIntentDetailsResolvers, PaymentIntentResolvers } from '../generated/resolvers-types.ts';
import { readOrPublicError } from './provider-unavailable.ts';

export const paymentIntentResolvers: PaymentIntentResolvers = {
  // Federation entry point: other subgraphs hold { id } references to intents.
  __resolveReference: (reference, context) => readOrPublicError(() => context.paymentIntents.load(reference.id)),
};

export const paymentIntentDetailsResolvers: PaymentIntentDetailsResolvers = {
  __resolveType: (details) => (details.provider === 'ZOPAY' ? 'ZopayPaymentIntentDetails' : 'ZiinaPaymentIntentDetails'),
};
