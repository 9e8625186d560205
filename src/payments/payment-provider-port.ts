import type { CreateOutcome } from './create-payment-intent-result.ts';
import type { ProviderCreateRequest } from './create-payment-intent-command.ts';
import type { PaymentIntent, PaymentProvider } from './payment-intent.ts';

/**
 * What every provider adapter implements. Provider business errors come back as values
 * (a rejected outcome with user errors); integration faults (bad credentials, a body that
 * breaks the documented contract) are thrown as ProviderIntegrationError and masked.
 */
export interface PaymentProviderPort<TRequest extends ProviderCreateRequest = ProviderCreateRequest> {
  readonly provider: PaymentProvider;
  /**
   * True when sending the same create twice yields one intent (the provider deduplicates by
   * the idempotency key): then a create whose outcome was lost may simply be sent again.
   */
  readonly resendsCreatesSafely: boolean;
  /**
   * The value the provider echoes on an intent (in its answers and webhooks) that says which
   * create made it, or null when it echoes none: how a create of lost outcome is recognised.
   */
  creationMarker(clientMutationId: string): string | null;
  /** `clientMutationId` is the idempotency key; each provider carries it its own way. */
  create(request: TRequest, clientMutationId: string): Promise<CreateOutcome>;
  /** Null when the provider does not know the id. Throws ProviderUnavailableError on an outage. */
  get(providerId: string): Promise<PaymentIntent | null>;
}
