import { v5 as uuidv5 } from 'uuid';
import { isUuidShaped } from '../../lib/uuid-shape.ts';

/**
 * Namespace of the UUIDv5 (RFC 9562, section 5.5) that turns a clientMutationId that is not
 * itself a UUID into Ziina's operation_id. Fixed forever: changing it would give every retry
 * of an in-flight payment a different operation_id.
 */
const OPERATION_ID_NAMESPACE = '5b0f2a8e-6f43-4d5e-9a57-1f6c1c0b9d3e';

/**
 * Ziina wants a client-generated UUID as operation_id, the same on every retry (docs/providers/ziina.md).
 * A clientMutationId that is a UUID in any letter case is used as is, lower-cased; any other
 * string maps deterministically to a UUIDv5 of it.
 */
export function ziinaOperationId(clientMutationId: string): string {
  return isUuidShaped(clientMutationId)
    ? clientMutationId.toLowerCase()
    : uuidv5(clientMutationId, OPERATION_ID_NAMESPACE);
}
