import { z } from 'zod';
import { currencyExponent } from '../../money/currency-exponent.ts';
import type { ZiinaCreateRequest } from '../../payments/create-payment-intent-command.ts';
import type { InputValidation } from '../../payments/validation/input-validation.ts';
import { optionalText } from '../../payments/validation/text-limits.ts';
import { userErrorsFromZod } from '../../payments/validation/user-errors-from-zod.ts';
import type { ZiinaPaymentIntentInput } from '../../graphql/generated/resolvers-types.ts';

// Checked before any call to Ziina (https://docs.ziina.com/api-reference/payment-intent/create).
// Ziina's own business limits (minimum 2 AED, supported currencies) are left to Ziina, whose
// answer comes back as PROVIDER_VALIDATION_FAILED with its code.
const MAX_MESSAGE_LENGTH = 500;
// The same limit as Zopay's external_ref, so one reference fits both providers.
const MAX_EXTERNAL_REF_LENGTH = 255;

const redirectUrl = z
  .instanceof(URL)
  .refine((url) => url.protocol === 'https:' || url.protocol === 'http:', 'must be an http or https URL')
  .nullish()
  .transform((url) => url?.href ?? null);

const optionalFlag = z
  .boolean()
  .nullish()
  .transform((flag) => flag ?? null);

function ziinaInput(nowMs: number) {
  return z.object({
    amountMinor: z.number().int().positive('must be greater than 0'),
    currencyCode: z
      .string()
      .refine((code) => currencyExponent(code) !== undefined, 'must be an ISO-4217 currency code'),
    message: optionalText(MAX_MESSAGE_LENGTH),
    externalRef: optionalText(MAX_EXTERNAL_REF_LENGTH),
    successUrl: redirectUrl,
    cancelUrl: redirectUrl,
    failureUrl: redirectUrl,
    test: optionalFlag,
    allowTips: optionalFlag,
    expiresAt: z
      .date()
      .refine((date) => date.getTime() > nowMs, 'must be in the future')
      .nullish()
      .transform((date) => date?.getTime() ?? null),
  });
}

export function validateZiinaInput(input: ZiinaPaymentIntentInput, inputPath: readonly string[], nowMs: number): InputValidation<ZiinaCreateRequest> {
  const parsed = ziinaInput(nowMs).safeParse(input);
  if (!parsed.success) return { ok: false, errors: userErrorsFromZod(parsed.error, inputPath, 'ZIINA') };
  const { expiresAt, currencyCode, ...rest } = parsed.data;
  return { ok: true, value: { provider: 'ZIINA', ...rest, currencyCode: currencyCode.toUpperCase(), expiresAtMs: expiresAt } };
}
