import {
  PROVIDER_INPUT_FIELD,
  type CreatePaymentIntentCommand,
  type ProviderCreateRequest,
} from '../create-payment-intent-command.ts';
import type { ProviderPort } from '../provider-port.ts';
import { validateClientMutationId } from './client-mutation-id.ts';
import type { ValidationIssue } from './validation.ts';

export interface ValidatedCreate {
  readonly clientMutationId: string;
  readonly request: ProviderCreateRequest;
}

/**
 * A create command that passes, or every problem it has. `lateRequest` is the request when its only
 * problems are rules that hold until a moment now past (ProviderPort.issuesAtSending): it may no
 * longer be sent, but an identical create stored before that moment is still replayed.
 */
export type CreateValidation =
  | { readonly ok: true; readonly value: ValidatedCreate }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[]; readonly lateRequest: ValidatedCreate | null };

/**
 * Everything checked before a provider is called: the idempotency key, and the provider's input by
 * the provider's own rules, the clock's included. Nothing is sent unless this passes; every problem
 * is reported at once.
 */
export function validateCreateCommand(
  command: CreatePaymentIntentCommand,
  provider: Pick<ProviderPort, 'validateInput' | 'issuesAtSending'>,
  nowMs: number,
): CreateValidation {
  const issues: ValidationIssue[] = validateClientMutationId(command.clientMutationId);
  const request = provider.validateInput(command.providerInput);
  if (!request.ok) issues.push(...request.issues.map(inProviderInput));
  const late = provider.issuesAtSending(command.providerInput, nowMs).map(inProviderInput);
  if (!request.ok || issues.length > 0) return { ok: false, issues: [...issues, ...late], lateRequest: null };
  const validated = { clientMutationId: command.clientMutationId, request: request.value };
  if (late.length > 0) return { ok: false, issues: late, lateRequest: validated };
  return { ok: true, value: validated };
}

function inProviderInput({ field, problem }: ValidationIssue): ValidationIssue {
  return { field: [...PROVIDER_INPUT_FIELD, ...field], problem };
}
