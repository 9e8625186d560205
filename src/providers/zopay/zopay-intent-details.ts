import type { Decimal } from '../../money/decimal.ts';
import type { ProviderIntentDetails } from '../../payments/payment-intent.ts';

/** ZopayPaymentIntentDetails of the schema. */
export interface ZopayIntentDetails extends ProviderIntentDetails {
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
