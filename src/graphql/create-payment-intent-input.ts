import type { CreatePaymentIntentCommand } from '../payments/create-payment-intent-command.ts';
import { validateClientMutationId } from '../payments/validation/client-mutation-id.ts';
import type { ValidationIssue } from '../payments/validation/validation.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';
import type { CreatePaymentIntentInput } from './generated/resolvers-types.ts';

/** The input of createPaymentIntent as a domain command, or why it cannot be one. */
export type CommandFromInput =
  | { readonly ok: true; readonly command: CreatePaymentIntentCommand }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Picks the one provider branch of the input. PaymentIntentProviderInput is @oneOf, but graphql-js
 * is told not to enforce it (see schema.ts): a violation arrives here, and becomes an INVALID_INPUT
 * user error on ["provider"] rather than a variable-coercion failure a router would turn opaque.
 * Reported together with a bad clientMutationId, so that a client sees every problem at once.
 */
export function commandFromInput(input: CreatePaymentIntentInput, providers: ProviderRegistry): CommandFromInput {
  const branches: Readonly<Record<string, unknown>> = input.provider;
  const given = providers.modules.filter((module) => branches[module.graphql.inputField] != null);
  const [chosen] = given;
  if (given.length !== 1 || chosen === undefined) {
    const names = providers.modules.map((module) => module.graphql.inputField).join(' or ');
    return {
      ok: false,
      issues: [
        ...validateClientMutationId(input.clientMutationId),
        { field: ['provider'], problem: `must have exactly one branch (${names}); ${given.length} given` },
      ],
    };
  }
  return {
    ok: true,
    command: {
      clientMutationId: input.clientMutationId,
      provider: chosen.id,
      providerInput: branches[chosen.graphql.inputField] as Readonly<Record<string, unknown>>,
    },
  };
}
