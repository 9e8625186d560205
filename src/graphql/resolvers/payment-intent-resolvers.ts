import type { ProviderRegistry } from '../../providers/provider-registry.ts';
import type { PaymentIntentDetailsResolvers, PaymentIntentResolvers } from '../generated/resolvers-types.ts';
import { readOrPublicError } from './provider-unavailable.ts';

export const paymentIntentResolvers: PaymentIntentResolvers = {
  // Federation entry point: other subgraphs hold { id } references to intents.
  __resolveReference: (reference, context) => readOrPublicError(() => context.paymentIntents.load(reference.id)),
};

type DetailsTypeName = ReturnType<PaymentIntentDetailsResolvers['__resolveType']>;

export function paymentIntentDetailsResolvers(providers: ProviderRegistry): PaymentIntentDetailsResolvers {
  return {
    // Each provider names its member of the union; the generated type lists the SDL's members only.
    __resolveType: (details) => providers.byId(details.provider).graphql.detailsType as DetailsTypeName,
  };
}
