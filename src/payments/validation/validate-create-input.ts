import type { CreatePaymentIntentInput, ZiinaPaymentIntentInput, ZopayPaymentIntentInput } from '../../graphql/generated/resolvers-types.ts';
import { validateZiinaInput } from '../../providers/ziina/ziina-create-validation.ts';
import { validateZopayInput } from '../../providers/zopay/zopay-create-validation.ts';
import type { CreatePaymentIntentCommand } from '../create-payment-intent-command.ts';
import { invalidInput } from '../payment-intent-user-error.ts';
import type { InputValidation } from './input-validation.ts';

// 1-255 printable ASCII: what an HTTP header value (Zopay's Idempotency-Key) can carry verbatim.
const CLIENT_MUTATION_ID = /^[\x20-\x7E]{1,255}$/;

/**
 * The provider branch as it may arrive: the executable schema does not let graphql-js enforce
 * @oneOf (see graphql/schema.ts), so both or neither branch can be present here.
 */
interface ProviderBranches {
  readonly zopay?: ZopayPaymentIntentInput | null;
  readonly ziina?: ZiinaPaymentIntentInput | null;
}

/** Everything checked before a provider is called. Nothing is sent unless this passes. */
export function validateCreateInput(input: CreatePaymentIntentInput, nowMs: number): InputValidation<CreatePaymentIntentCommand> {
  const { clientMutationId } = input;
  const branches: ProviderBranches = input.provider;
  const given = [branches.zopay, branches.ziina].filter((branch) => branch != null).length;
  const errors = [];
  if (!CLIENT_MUTATION_ID.test(clientMutationId)) {
    errors.push(invalidInput(['clientMutationId'], 'clientMutationId must be 1 to 255 printable ASCII characters'));
  }
  if (given !== 1) {
    errors.push(invalidInput(['provider'], `provider must have exactly one branch (zopay or ziina); ${given} given`));
    return { ok: false, errors };
  }
  const branch = branches.zopay
    ? validateZopayInput(branches.zopay, ['provider', 'zopay'])
    : validateZiinaInput(branches.ziina as ZiinaPaymentIntentInput, ['provider', 'ziina'], nowMs);
  if (!branch.ok) errors.push(...branch.errors);
  if (errors.length > 0 || !branch.ok) return { ok: false, errors };
  return { ok: true, value: { clientMutationId, request: branch.value } };
}
