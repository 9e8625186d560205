import { PAYMENT_PROVIDERS, type PaymentProvider } from './payment-intent.ts';

/**
 * Global ids are `<provider>:<providerId>`: the provider in lower case, then the provider's id
 * verbatim (ARCHITECTURE.md, "ids"). The prefix tells which provider to ask.
 */
export interface PaymentIntentReference {
  readonly provider: PaymentProvider;
  readonly providerId: string;
}

export function formatPaymentIntentId(provider: PaymentProvider, providerId: string): string {
  return `${provider.toLowerCase()}:${providerId}`;
}

/** Null for an id this service did not issue: it is simply not found, never an error. */
export function parsePaymentIntentId(id: string): PaymentIntentReference | null {
  const separator = id.indexOf(':');
  if (separator <= 0 || separator === id.length - 1) return null;
  const prefix = id.slice(0, separator);
  const provider = PAYMENT_PROVIDERS.find((candidate) => candidate.toLowerCase() === prefix);
  return provider ? { provider, providerId: id.slice(separator + 1) } : null;
}
