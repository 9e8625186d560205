import type { z } from 'zod';
import type { PaymentProvider } from '../payment-intent.ts';
import { invalidInput, type PaymentIntentUserError } from '../payment-intent-user-error.ts';

/**
 * One INVALID_INPUT user error per zod issue, each with the path into the mutation's input
 * (e.g. ["provider", "zopay", "amount"]) and a message that names the field.
 */
export function userErrorsFromZod(error: z.ZodError, inputPath: readonly string[], provider: PaymentProvider): PaymentIntentUserError[] {
  return error.issues.map((issue) => {
    const field = [...inputPath, ...issue.path.map(String)];
    return invalidInput(field, `${field.join('.')} ${issue.message}`, provider);
  });
}
