import type { ProviderRegistry } from '../../providers/provider-registry.ts';
import { commandFromInput } from '../create-payment-intent-input.ts';
import type { CreatePaymentIntentResult } from '../../payments/create-payment-intent-result.ts';
import type { ProviderId } from '../../payments/payment-intent.ts';
import type { GraphQLContext } from '../context.ts';
import {
  payloadFromResult,
  payloadOfRefusedInput,
  type CreatePaymentIntentPayloadModel,
} from '../create-payment-intent-payload.ts';
import type { MutationResolvers } from '../generated/resolvers-types.ts';

export function mutationResolvers(providers: ProviderRegistry): MutationResolvers {
  return {
    createPaymentIntent: async (_parent, { input }, context) => {
      const read = commandFromInput(input, providers);
      if (!read.ok)
        return noted(
          context,
          read.provider,
          payloadOfRefusedInput(input.clientMutationId, read.provider, read.issues, providers),
        );
      let result: CreatePaymentIntentResult;
      try {
        result = await context.createPaymentIntent.execute(read.command);
      } catch (error) {
        // Masked for the client; the operation's log line still names the create.
        const { provider, clientMutationId } = read.command;
        context.request.creates.push({
          provider,
          clientMutationId,
          replayed: false,
          paymentIntentId: null,
          userErrorCodes: [],
        });
        throw error;
      }
      return noted(context, result.provider, payloadFromResult(result, providers));
    },
  };
}

/** The whole payload, whatever the client selects of it, goes to the operation's log line and metrics. */
function noted(
  context: GraphQLContext,
  provider: ProviderId | null,
  payload: CreatePaymentIntentPayloadModel,
): CreatePaymentIntentPayloadModel {
  context.request.creates.push({
    provider,
    clientMutationId: payload.clientMutationId,
    replayed: payload.replayed,
    paymentIntentId: payload.paymentIntent?.id ?? null,
    userErrorCodes: payload.userErrors.map((error) => error.code),
  });
  return payload;
}
