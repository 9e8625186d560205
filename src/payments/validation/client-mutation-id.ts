import { CLIENT_MUTATION_ID_FIELD } from '../create-payment-intent-command.ts';
import type { ValidationIssue } from './validation.ts';

// 1-255 printable ASCII: what an HTTP header value (an Idempotency-Key) can carry verbatim.
const CLIENT_MUTATION_ID = /^[\x20-\x7E]{1,255}$/;

/** The idempotency key of a create: usable as is by every provider, or refused. */
export function validateClientMutationId(clientMutationId: string): ValidationIssue[] {
  if (CLIENT_MUTATION_ID.test(clientMutationId)) return [];
  return [{ field: CLIENT_MUTATION_ID_FIELD, problem: 'must be 1 to 255 printable ASCII characters' }];
}
