import type { PaymentIntentUserError } from '../payment-intent-user-error.ts';

/** A validated value, or every reason it is not valid (all of them, not just the first). */
export type InputValidation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: PaymentIntentUserError[] };
