import type { ProviderRegistry } from '../../providers/provider-registry.ts';
import { commandFromInput } from '../create-payment-intent-input.ts';
import { payloadFromResult, payloadOfRefusedInput } from '../create-payment-intent-payload.ts';
import type { MutationResolvers } from '../generated/resolvers-types.ts';

export function mutationResolvers(providers: ProviderRegistry): MutationResolvers {
  return {
    createPaymentIntent: async (_parent, { input }, context) => {
      const read = commandFromInput(input, providers);
      if (!read.ok) return payloadOfRefusedInput(input.clientMutationId, read.provider, read.issues, providers);
      return payloadFromResult(await context.createPaymentIntent.execute(read.command), providers);
    },
  };
}
