import type { Decimal } from '../money/decimal.ts';

/** A validated Zopay create, in domain terms (see providers/zopay/zopay-create-validation.ts). */
export interface ZopayCreateRequest {
  readonly provider: 'ZOPAY';
  readonly amount: Decimal;
  readonly currencies: readonly string[];
  readonly externalRef: string | null;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, unknown>> | null;
}

/** A validated Ziina create, in domain terms (see providers/ziina/ziina-create-validation.ts). */
export interface ZiinaCreateRequest {
  readonly provider: 'ZIINA';
  readonly amountMinor: number;
  readonly currencyCode: string;
  readonly message: string | null;
  readonly successUrl: string | null;
  readonly cancelUrl: string | null;
  readonly failureUrl: string | null;
  readonly test: boolean | null;
  /** Unix milliseconds. */
  readonly expiresAtMs: number | null;
  readonly allowTips: boolean | null;
  /** Stored by this service only: Ziina has no such field. */
  readonly externalRef: string | null;
}

export type ProviderCreateRequest = ZopayCreateRequest | ZiinaCreateRequest;

export interface CreatePaymentIntentCommand {
  readonly clientMutationId: string;
  readonly request: ProviderCreateRequest;
}
