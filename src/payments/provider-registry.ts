import type { ZiinaCreateRequest, ZopayCreateRequest, ProviderCreateRequest } from './create-payment-intent-command.ts';
import type { CreateOutcome } from './create-payment-intent-result.ts';
import type { PaymentProvider } from './payment-intent.ts';
import type { PaymentProviderPort } from './payment-provider-port.ts';

/** The adapter of each provider, by provider. */
export interface ProviderRegistry {
  readonly ZOPAY: PaymentProviderPort<ZopayCreateRequest>;
  readonly ZIINA: PaymentProviderPort<ZiinaCreateRequest>;
}

export function providerPort(registry: ProviderRegistry, provider: PaymentProvider): PaymentProviderPort {
  return registry[provider] as PaymentProviderPort;
}

/** Sends a validated request to the adapter of its own provider. */
export function createAtProvider(registry: ProviderRegistry, request: ProviderCreateRequest, clientMutationId: string): Promise<CreateOutcome> {
  return request.provider === 'ZOPAY'
    ? registry.ZOPAY.create(request, clientMutationId)
    : registry.ZIINA.create(request, clientMutationId);
}
