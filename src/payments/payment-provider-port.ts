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
  /** `clientMutationId` is the idempotency key; each provider carries it its own way. */
  create(request: TRequest, clientMutationId: string): Promise<CreateOutcome>;
  /** Null when the provider does not know the id. Throws ProviderUnavailableError on an outage. */
  get(providerId: string): Promise<PaymentIntent | null>;
}
