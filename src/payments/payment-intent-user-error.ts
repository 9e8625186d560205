import type { ProviderId } from './payment-intent.ts';

export type PaymentIntentErrorCode =
  | 'INVALID_INPUT'
  | 'PROVIDER_VALIDATION_FAILED'
  | 'IDEMPOTENCY_CONFLICT'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'RATE_LIMITED'
  | 'PROVIDER_UNAVAILABLE';

/** A business error of a create: data in the payload's userErrors, never a top-level error. */
export interface PaymentIntentUserError {
  readonly code: PaymentIntentErrorCode;
  readonly message: string;
  /** Path into the create command (see create-payment-intent-command.ts) when one field is at fault. */
  readonly field: readonly string[] | null;
  readonly provider: ProviderId | null;
  readonly providerStatus: number | null;
  readonly providerCode: string | null;
  readonly retryable: boolean;
}
