import { z } from 'zod';
import { isPositive, type Decimal } from '../../money/decimal.ts';
import type { ProviderCreateRequest } from '../../payments/create-payment-intent-command.ts';
import { issuesFromZod } from '../../payments/validation/issues-from-zod.ts';
import { codePointLength } from '../../lib/code-point-length.ts';
import { isStorableJson, optionalText, UNSTORABLE_TEXT_MESSAGE } from '../../payments/validation/text-limits.ts';
import type { Validation } from '../../payments/validation/validation.ts';

/** A validated Zopay create, in domain terms. */
export interface ZopayCreateRequest extends ProviderCreateRequest {
  readonly provider: 'ZOPAY';
  readonly amount: Decimal;
  readonly currencies: readonly string[];
  readonly externalRef: string | null;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, unknown>> | null;
}

// Zopay's documented limits (docs/providers/zopay.md), checked before any call so that a bad
// request costs nothing and says exactly which field is wrong.
const MAX_CURRENCIES = 10;
const MAX_METADATA_KEYS = 50;
const MAX_METADATA_VALUE_LENGTH = 500;
// Asset codes are not catalogued publicly; this admits USDT, BTC, USDC.E and the like.
const ASSET_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$/;

const metadata = z
  .record(z.string(), z.unknown())
  .superRefine((entries, context) => {
    const keys = Object.keys(entries);
    if (keys.length > MAX_METADATA_KEYS) {
      context.addIssue({ code: 'custom', message: `must have at most ${MAX_METADATA_KEYS} keys (has ${keys.length})` });
    }
    for (const key of keys) {
      const value = entries[key];
      if (!isStorableJson({ [key]: value }))
        context.addIssue({ code: 'custom', path: [key], message: UNSTORABLE_TEXT_MESSAGE });
      // Non-string values count by their JSON text, which is what Zopay stores.
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (codePointLength(text) > MAX_METADATA_VALUE_LENGTH) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `must be at most ${MAX_METADATA_VALUE_LENGTH} characters`,
        });
      }
    }
  })
  .nullish()
  .transform((entries) => entries ?? null);

const zopayInput = z.object({
  // The Decimal scalar has already parsed the amount into exact decimal text.
  amount: z.custom<Decimal>((value) => typeof value === 'string').refine(isPositive, 'must be greater than 0'),
  currencies: z
    .array(
      z.string().regex(ASSET_CODE, 'must be an asset code such as USDT (letters, digits, ".", "_" or "-", at most 20)'),
    )
    .min(1, 'must list at least 1 currency')
    .max(MAX_CURRENCIES, `must list at most ${MAX_CURRENCIES} currencies`)
    .refine(
      (codes) => new Set(codes.map((code) => code.toUpperCase())).size === codes.length,
      'must not list a currency twice',
    ),
  externalRef: optionalText(255),
  description: optionalText(500),
  metadata,
});

export function validateZopayInput(input: Readonly<Record<string, unknown>>): Validation<ZopayCreateRequest> {
  const parsed = zopayInput.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  return { ok: true, value: { provider: 'ZOPAY', ...parsed.data } };
}
