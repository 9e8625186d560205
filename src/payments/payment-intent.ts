import type { Decimal } from '../money/decimal.ts';

/**
 * The provider-agnostic payment intent. Plain JSON data (dates and URLs as strings) so that it
 * can be stored and replayed verbatim by the idempotency record.
 */
export const PAYMENT_PROVIDERS = ['ZOPAY', 'ZIINA'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

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

export interface ZopayIntentDetails {
  readonly provider: 'ZOPAY';
  readonly amount: Decimal;
  readonly currencies: readonly string[];
  readonly externalRef: string | null;
  readonly description: string | null;
  readonly metadata: Record<string, unknown> | null;
  readonly refCode: string | null;
  /** RFC 3339. */
  readonly expiresAt: string | null;
}

export interface ZiinaIntentDetails {
  readonly provider: 'ZIINA';
  readonly amountMinor: number;
  readonly tipAmountMinor: number | null;
  readonly feeAmountMinor: number | null;
  readonly currencyCode: string;
  readonly message: string | null;
  readonly redirectUrl: string | null;
  readonly successUrl: string | null;
  readonly cancelUrl: string | null;
  readonly failureUrl: string | null;
  readonly allowTips: boolean;
  readonly operationId: string | null;
  readonly latestError: { readonly message: string | null; readonly code: string | null } | null;
}

export interface PaymentIntent {
  /** `<provider in lower case>:<provider id>`, see payment-intent-id.ts. */
  readonly id: string;
  readonly provider: PaymentProvider;
  readonly providerId: string;
  readonly status: PaymentIntentStatus;
  readonly providerStatus: string | null;
  readonly amount: Money;
  readonly checkoutUrl: string | null;
  /** RFC 3339. */
  readonly createdAt: string | null;
  /** The caller's attribution reference: Zopay keeps it; for Ziina only our store does. */
  readonly externalRef: string | null;
  readonly details: ZopayIntentDetails | ZiinaIntentDetails;
}
