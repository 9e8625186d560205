import {
  PROVIDER_INPUT_FIELD,
  type CreatePaymentIntentCommand,
  type ProviderCreateRequest,
} from '../create-payment-intent-command.ts';
import type { ProviderPort } from '../provider-port.ts';
import { validateClientMutationId } from './client-mutation-id.ts';
import type { Validation, ValidationIssue } from './validation.ts';

export interface ValidatedCreate {
  readonly clientMutationId: string;
  readonly request: ProviderCreateRequest;
}

/**
 * Everything checked before a provider is called: the idempotency key, and the provider's input by
 * the provider's own rules. Nothing is sent unless this passes; every problem is reported at once.
 */
export function validateCreateCommand(
  command: CreatePaymentIntentCommand,
  provider: Pick<ProviderPort, 'validateInput'>,
  nowMs: number,
): Validation<ValidatedCreate> {
  const issues: ValidationIssue[] = validateClientMutationId(command.clientMutationId);
  const request = provider.validateInput(command.providerInput, nowMs);
  if (!request.ok)
    issues.push(
      ...request.issues.map(({ field, problem }) => ({ field: [...PROVIDER_INPUT_FIELD, ...field], problem })),
    );
  if (!request.ok || issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { clientMutationId: command.clientMutationId, request: request.value } };
}
