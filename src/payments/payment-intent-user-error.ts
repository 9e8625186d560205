import type { PaymentProvider } from './payment-intent.ts';

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
  readonly field: readonly string[] | null;
  readonly provider: PaymentProvider | null;
  readonly providerStatus: number | null;
  readonly providerCode: string | null;
  readonly retryable: boolean;
}

export function invalidInput(field: readonly string[], message: string, provider: PaymentProvider | null = null): PaymentIntentUserError {
  return { code: 'INVALID_INPUT', message, field, provider, providerStatus: null, providerCode: null, retryable: false };
}
