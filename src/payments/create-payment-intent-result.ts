import type { PaymentIntent, ProviderId } from './payment-intent.ts';
import type { PaymentIntentUserError } from './payment-intent-user-error.ts';
import type { ValidationIssue } from './validation/validation.ts';

/** What a create at a provider comes to: an intent, or the user errors that explain why there is none. */
export type CreateOutcome =
  | { readonly kind: 'created'; readonly paymentIntent: PaymentIntent }
  | {
      readonly kind: 'rejected';
      readonly userErrors: readonly PaymentIntentUserError[];
      /** True when the create may have reached the provider and made an intent after all (no answer came back). */
      readonly mayHaveCreated?: boolean;
    };

/** The command was refused before any provider call. */
export interface InvalidCommand {
  readonly kind: 'invalid';
  readonly issues: readonly ValidationIssue[];
}

export interface CreatePaymentIntentResult {
  readonly clientMutationId: string;
  readonly provider: ProviderId;
  readonly outcome: CreateOutcome | InvalidCommand;
  /** True when the outcome is the stored answer of an earlier identical request. */
  readonly replayed: boolean;
}

export function rejected(...userErrors: PaymentIntentUserError[]): CreateOutcome {
  return { kind: 'rejected', userErrors };
}
