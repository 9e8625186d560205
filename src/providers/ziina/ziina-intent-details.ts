import type { ProviderIntentDetails } from '../../payments/payment-intent.ts';

/** ZiinaPaymentIntentDetails of the schema. */
export interface ZiinaIntentDetails extends ProviderIntentDetails {
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
