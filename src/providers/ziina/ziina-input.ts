import { z } from 'zod';
import { currencyExponent } from '../../money/currency-exponent.ts';
import type { ProviderCreateRequest } from '../../payments/create-payment-intent-command.ts';
import { issuesFromZod } from '../../payments/validation/issues-from-zod.ts';
import { optionalText } from '../../payments/validation/text-limits.ts';
import type { Validation, ValidationIssue } from '../../payments/validation/validation.ts';

/** A validated Ziina create, in domain terms. */
export interface ZiinaCreateRequest extends ProviderCreateRequest {
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

// Built once: a zod schema costs far more to build than to run (~140 µs per validation when it was
// built per call to close over the clock). The expiry's "in the future" is judged apart, by
// ziinaIssuesAtSending.
const ziinaInput = z.object({
  amountMinor: z.number().int().positive('must be greater than 0'),
  currencyCode: z.string().refine((code) => currencyExponent(code) !== undefined, 'must be an ISO-4217 currency code'),
  message: optionalText(MAX_MESSAGE_LENGTH),
  externalRef: optionalText(MAX_EXTERNAL_REF_LENGTH),
  successUrl: redirectUrl,
  cancelUrl: redirectUrl,
  failureUrl: redirectUrl,
  test: optionalFlag,
  allowTips: optionalFlag,
  expiresAt: z
    .date()
    .nullish()
    .transform((date) => date?.getTime() ?? null),
});

export function validateZiinaInput(input: Readonly<Record<string, unknown>>): Validation<ZiinaCreateRequest> {
  const parsed = ziinaInput.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  const { expiresAt, currencyCode, ...rest } = parsed.data;
  return {
    ok: true,
    value: { provider: 'ZIINA', ...rest, currencyCode: currencyCode.toUpperCase(), expiresAtMs: expiresAt },
  };
}

/** An expiry at or before now: the intent would be created for no one to pay. */
export function ziinaIssuesAtSending(input: Readonly<Record<string, unknown>>, nowMs: number): ValidationIssue[] {
  const { expiresAt } = input;
  // An invalid date is validateZiinaInput's to report.
  return expiresAt instanceof Date && expiresAt.getTime() <= nowMs
    ? [{ field: ['expiresAt'], problem: 'must be in the future' }]
    : [];
}
