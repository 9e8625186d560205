import type { PaymentIntent } from './payment-intent.ts';
import type { PaymentIntentUserError } from './payment-intent-user-error.ts';

/** What a create answers: an intent, or the user errors that explain why there is none. */
export type CreateOutcome =
  | { readonly kind: 'created'; readonly paymentIntent: PaymentIntent }
  | {
      readonly kind: 'rejected';
      readonly userErrors: readonly PaymentIntentUserError[];
      /** True when the create may have reached the provider and made an intent after all (no answer came back). */
      readonly mayHaveCreated?: boolean;
    };

export interface CreatePaymentIntentResult {
  readonly clientMutationId: string;
  readonly outcome: CreateOutcome;
  /** True when the outcome is the stored answer of an earlier identical request. */
  readonly replayed: boolean;
}

export function rejected(...userErrors: PaymentIntentUserError[]): CreateOutcome {
  return { kind: 'rejected', userErrors };
}
