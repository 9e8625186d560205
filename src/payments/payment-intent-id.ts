import type { ProviderId } from './payment-intent.ts';

/**
 * Global ids are `<provider>:<providerId>`: the provider in lower case, then the provider's id
 * verbatim. The prefix tells which provider to ask (docs/architecture.md, "Ids").
 */
export interface PaymentIntentReference {
  readonly provider: ProviderId;
  readonly providerId: string;
}

export function formatPaymentIntentId(provider: ProviderId, providerId: string): string {
  return `${provider.toLowerCase()}:${providerId}`;
}

/**
 * Null for an id this service did not issue (no known provider prefix): simply not found, never an
 * error. Ids also arrive from federation representations, whose fields nothing types, so anything
 * that is not a string is not one of ours either, rather than a TypeError that fails a whole batch.
 */
export function parsePaymentIntentId(id: unknown, providers: readonly ProviderId[]): PaymentIntentReference | null {
  if (typeof id !== 'string') return null;
  const separator = id.indexOf(':');
  if (separator <= 0 || separator === id.length - 1) return null;
  const prefix = id.slice(0, separator);
  const provider = providers.find((candidate) => candidate.toLowerCase() === prefix);
  return provider === undefined ? null : { provider, providerId: id.slice(separator + 1) };
}
