import type { CreatePaymentIntentResult } from '../payments/create-payment-intent-result.ts';
import { PROVIDER_INPUT_FIELD } from '../payments/create-payment-intent-command.ts';
import type { PaymentIntent, ProviderId } from '../payments/payment-intent.ts';
import type { PaymentIntentUserError } from '../payments/payment-intent-user-error.ts';
import type { ValidationIssue } from '../payments/validation/validation.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';

/** CreatePaymentIntentPayload as resolved. */
export interface CreatePaymentIntentPayloadModel {
  readonly clientMutationId: string;
  readonly replayed: boolean;
  readonly paymentIntent: PaymentIntent | null;
  readonly userErrors: readonly UserErrorModel[];
}

/** PaymentIntentUserError as resolved: the domain's, with `field` a path into the mutation's input. */
export type UserErrorModel = PaymentIntentUserError;

/** The payload of a create, its paths mapped from the domain command to the client's input. */
export function payloadFromResult(
  result: CreatePaymentIntentResult,
  providers: ProviderRegistry,
): CreatePaymentIntentPayloadModel {
  const inputPath = inputPathFor(result.provider, providers);
  const { outcome } = result;
  const base = { clientMutationId: result.clientMutationId, replayed: result.replayed };
  switch (outcome.kind) {
    case 'created':
      return { ...base, paymentIntent: outcome.paymentIntent, userErrors: [] };
    case 'rejected':
      return {
        ...base,
        paymentIntent: null,
        userErrors: outcome.userErrors.map((error) => ({
          ...error,
          field: error.field === null ? null : inputPath(error.field),
        })),
      };
    case 'invalid':
      return {
        ...base,
        paymentIntent: null,
        userErrors: invalidInputErrors(outcome.issues, inputPath, result.provider),
      };
  }
}

/** The payload of an input that could not even become a command (see create-payment-intent-input.ts). */
export function payloadOfRefusedInput(
  clientMutationId: string,
  provider: ProviderId | null,
  issues: readonly ValidationIssue[],
  providers: ProviderRegistry,
): CreatePaymentIntentPayloadModel {
  const inputPath = provider === null ? (field: readonly string[]) => field : inputPathFor(provider, providers);
  return {
    clientMutationId,
    replayed: false,
    paymentIntent: null,
    userErrors: invalidInputErrors(issues, inputPath, provider),
  };
}

/**
 * One INVALID_INPUT user error per issue, its message naming the input field (e.g.
 * "provider.<branch>.amount must be greater than 0"). An issue in the provider's input names the
 * provider; one in the clientMutationId does not.
 */
function invalidInputErrors(
  issues: readonly ValidationIssue[],
  inputPath: (field: readonly string[]) => readonly string[],
  provider: ProviderId | null,
): UserErrorModel[] {
  return issues.map(({ field, problem }) => {
    const path = inputPath(field);
    return {
      code: 'INVALID_INPUT',
      message: `${path.join('.')} ${problem}`,
      field: path,
      provider: isInProviderInput(field) ? provider : null,
      providerStatus: null,
      providerCode: null,
      retryable: false,
    };
  });
}

/** ["providerInput", "amount"] of the command is ["provider", <its input branch>, "amount"] of the input. */
function inputPathFor(
  provider: ProviderId,
  providers: ProviderRegistry,
): (field: readonly string[]) => readonly string[] {
  const { inputField } = providers.byId(provider).graphql;
  return (field) =>
    isInProviderInput(field) ? ['provider', inputField, ...field.slice(PROVIDER_INPUT_FIELD.length)] : field;
}

function isInProviderInput(field: readonly string[]): boolean {
  return PROVIDER_INPUT_FIELD.every((segment, index) => field[index] === segment);
}
