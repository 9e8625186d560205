import type { PaymentIntent } from './payment-intent.ts';

/**
 * What an intent carries of the create that made it, as PaymentProviderPort.creationMarker
 * predicts it from the clientMutationId: Ziina echoes our operation_id; Zopay needs none.
 */
export function creationMarkerOf(intent: PaymentIntent): string | null {
  return intent.details.provider === 'ZIINA' ? intent.details.operationId : null;
}
