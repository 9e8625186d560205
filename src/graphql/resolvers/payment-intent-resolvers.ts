import type { ProviderRegistry } from '../../providers/provider-registry.ts';
import type { PaymentIntentDetailsResolvers, PaymentIntentResolvers } from '../generated/resolvers-types.ts';
import { PublicGraphQLError } from '../public-error.ts';
import { readOrPublicError } from './provider-unavailable.ts';

export const paymentIntentResolvers: PaymentIntentResolvers = {
  // Federation entry point: other subgraphs hold { id } references to intents. Async on purpose:
  // @apollo/subgraph calls it for every representation in one loop, so a synchronous throw would
  // fail the whole `_entities` list, while a rejection fails only its own index.
  __resolveReference: async (reference, context) => {
    // Representations are `_Any`: nothing has checked the key field's type before this point.
    const id: unknown = reference.id;
    if (typeof id !== 'string') {
      throw new PublicGraphQLError(
        'A PaymentIntent representation needs its key field "id" as a string',
        'BAD_USER_INPUT',
      );
    }
    return readOrPublicError(() => context.paymentIntents.load(id));
  },
};

type DetailsTypeName = ReturnType<PaymentIntentDetailsResolvers['__resolveType']>;

export function paymentIntentDetailsResolvers(providers: ProviderRegistry): PaymentIntentDetailsResolvers {
  return {
    // Each provider names its member of the union; the generated type lists the SDL's members only.
    __resolveType: (details) => providers.byId(details.provider).graphql.detailsType as DetailsTypeName,
  };
}
