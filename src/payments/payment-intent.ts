import type { Decimal } from '../money/decimal.ts';

/**
 * The provider-agnostic payment intent. Plain JSON data (dates and URLs as strings) so that it can
 * be stored and replayed verbatim by the idempotency record.
 */

/**
 * A provider's identifier: the value of the GraphQL PaymentProvider enum and, in lower
 * case, the prefix of global ids. The registered providers are listed in src/providers/registry.ts.
 */
export type ProviderId = string;

export type PaymentIntentStatus =
  | 'REQUIRES_PAYMENT_INSTRUMENT'
  | 'REQUIRES_USER_ACTION'
  | 'PENDING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELED'
  | 'EXPIRED'
  | 'UNKNOWN';

const TERMINAL_STATUSES: ReadonlySet<PaymentIntentStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'EXPIRED']);

/** A terminal status never changes again; UNKNOWN is never terminal. */
export function isTerminalStatus(status: PaymentIntentStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export interface Money {
  readonly amount: Decimal;
  readonly currency: string;
}

/** What only the provider's own terms can say; each provider module defines its fields. */
export interface ProviderIntentDetails {
  readonly provider: ProviderId;
}

export interface PaymentIntent<Details extends ProviderIntentDetails = ProviderIntentDetails> {
  /** `<provider in lower case>:<provider id>`, see payment-intent-id.ts. */
  readonly id: string;
  readonly provider: ProviderId;
  readonly providerId: string;
  readonly status: PaymentIntentStatus;
  readonly providerStatus: string | null;
  readonly amount: Money;
  readonly checkoutUrl: string | null;
  /** RFC 3339. */
  readonly createdAt: string | null;
  /** The caller's attribution reference: kept by the provider, or only by this service's store. */
  readonly externalRef: string | null;
  /**
   * What the provider echoes of the create that made this intent (in its answers and webhooks), as
   * ProviderPort.creationMarker predicts it from the clientMutationId; null when it echoes nothing.
   * How an intent whose create answer was lost is recognised once it surfaces.
   */
  readonly creationMarker: string | null;
  readonly details: Details;
}
