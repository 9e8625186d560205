import { PROVIDER_INPUT_FIELD, type CreatePaymentIntentCommand } from '../payments/create-payment-intent-command.ts';
import type { ProviderId } from '../payments/payment-intent.ts';
import { validateClientMutationId } from '../payments/validation/client-mutation-id.ts';
import type { ValidationIssue } from '../payments/validation/validation.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';
import type { CreatePaymentIntentInput } from './generated/resolvers-types.ts';
import { InvalidScalarInput } from './scalars/invalid-scalar-input.ts';

/** The input of createPaymentIntent as a domain command, or why it cannot be one (issues in command terms). */
export type CommandFromInput =
  | { readonly ok: true; readonly command: CreatePaymentIntentCommand }
  | { readonly ok: false; readonly provider: ProviderId | null; readonly issues: readonly ValidationIssue[] };

/**
 * Picks the one provider branch of the input and turns it into a command. PaymentIntentProviderInput
 * is @oneOf, but graphql-js is told not to enforce it (see schema.ts): a violation arrives here, and
 * becomes an INVALID_INPUT user error on ["provider"] rather than a variable-coercion failure a router
 * would turn opaque. So do scalar values their scalar refused (invalid-scalar-input.ts). Reported
 * together with a bad clientMutationId, so that a client sees every problem at once.
 */
export function commandFromInput(input: CreatePaymentIntentInput, providers: ProviderRegistry): CommandFromInput {
  const clientMutationIdIssues = validateClientMutationId(input.clientMutationId);
  const branches: Readonly<Record<string, unknown>> = input.provider;
  const given = providers.modules.filter((module) => branches[module.graphql.inputField] != null);
  const [chosen] = given;
  if (given.length !== 1 || chosen === undefined) {
    const names = providers.modules.map((module) => module.graphql.inputField).join(' or ');
    const problem = `must have exactly one branch (${names}); ${given.length} given`;
    return { ok: false, provider: null, issues: [...clientMutationIdIssues, { field: ['provider'], problem }] };
  }
  const providerInput = branches[chosen.graphql.inputField] as Readonly<Record<string, unknown>>;
  const refused = refusedScalars(providerInput);
  if (refused.length > 0) return { ok: false, provider: chosen.id, issues: [...clientMutationIdIssues, ...refused] };
  return { ok: true, command: { clientMutationId: input.clientMutationId, provider: chosen.id, providerInput } };
}

/**
 * Every InvalidScalarInput in the provider's input, with its path in command terms. Input objects
 * nest a few levels and JSON object values are bounded by their scalar, so the walk is short.
 */
function refusedScalars(providerInput: Readonly<Record<string, unknown>>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const pending: { value: unknown; field: readonly string[] }[] = [
    { value: providerInput, field: PROVIDER_INPUT_FIELD },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, field } = next;
    if (value instanceof InvalidScalarInput) issues.push({ field, problem: value.problem });
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) pending.push({ value: child, field: [...field, key] });
    }
  }
  return issues.reverse();
}
