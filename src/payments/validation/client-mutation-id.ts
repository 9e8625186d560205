import { CLIENT_MUTATION_ID_FIELD } from '../create-payment-intent-command.ts';
import type { ValidationIssue } from './validation.ts';

// 1-255 printable ASCII: what an HTTP header value (an Idempotency-Key) can carry verbatim.
const CLIENT_MUTATION_ID = /^[\x20-\x7E]{1,255}$/;
// A header value never begins or ends with a space: the recipient strips it (RFC 9110, section 5.5),
// so "order-42 " would reach Zopay as "order-42", the key of another payment here.
const SPACE_AT_EITHER_END = /^ | $/;

/** The idempotency key of a create: usable as is by every provider, or refused. */
export function validateClientMutationId(clientMutationId: string): ValidationIssue[] {
  if (!CLIENT_MUTATION_ID.test(clientMutationId))
    return [{ field: CLIENT_MUTATION_ID_FIELD, problem: 'must be 1 to 255 printable ASCII characters' }];
  if (SPACE_AT_EITHER_END.test(clientMutationId))
    return [{ field: CLIENT_MUTATION_ID_FIELD, problem: 'must not begin or end with a space' }];
  return [];
}
