import { v5 as uuidV5 } from 'uuid';
import { z } from 'zod';
import type { MintContext } from '../kit/emulator.ts';
import type { CreateIntentBody } from './create-intent-body.ts';

/** The payment intent as Ziina answers it on create (201) and GET (200) (docs/providers/ziina.md). */
export interface ZiinaPaymentIntent {
  readonly id: string;
  readonly account_id: string;
  readonly amount: number;
  readonly tip_amount: number;
  readonly fee_amount: number | null;
  readonly currency_code: string;
  /** Unix milliseconds as a string. */
  readonly created_at: string;
  /**
   * requires_payment_instrument | requires_user_action | pending | completed | failed | canceled (any
   * string via setStatus).
   */
  readonly status: string;
  readonly operation_id: string | null;
  readonly message: string | null;
  readonly redirect_url: string;
  readonly embedded_url: string;
  readonly success_url: string | null;
  readonly cancel_url: string | null;
  readonly failure_url: string | null;
  readonly latest_error: { readonly message: string; readonly code: string } | null;
  readonly allow_tips: boolean;
}

/** For intents read back from a state file. */
export const ziinaPaymentIntentSchema: z.ZodType<ZiinaPaymentIntent> = z.strictObject({
  id: z.string(),
  account_id: z.string(),
  amount: z.number(),
  tip_amount: z.number(),
  fee_amount: z.number().nullable(),
  currency_code: z.string(),
  created_at: z.string(),
  status: z.string(),
  operation_id: z.string().nullable(),
  message: z.string().nullable(),
  redirect_url: z.string(),
  embedded_url: z.string(),
  success_url: z.string().nullable(),
  cancel_url: z.string().nullable(),
  failure_url: z.string().nullable(),
  latest_error: z.strictObject({ message: z.string(), code: z.string() }).nullable(),
  allow_tips: z.boolean(),
});

/** Fixed namespace of the emulator's name-based UUIDs, so ids are deterministic per key and counter. */
const EMULATOR_UUID_NAMESPACE = '6f0d4c1e-3b9a-4e57-9c1d-2a8f5e7b3c40';

function emulatedAccountId(apiKey: string): string {
  return uuidV5(`${apiKey}:account`, EMULATOR_UUID_NAMESPACE);
}

/**
 * Every valid create mints, even with a known operation_id: Ziina documents no idempotency
 * (docs/providers/ziina.md).
 */
export function mintPaymentIntent(
  request: CreateIntentBody,
  { apiKey, counter, nowMs }: MintContext,
): ZiinaPaymentIntent {
  const id = uuidV5(`${apiKey}:payment_intent:${counter}`, EMULATOR_UUID_NAMESPACE);
  const hostedPage = `https://pay.ziina.com/payment_intent/${id}`;
  return {
    id,
    account_id: emulatedAccountId(apiKey),
    amount: request.amount,
    tip_amount: 0,
    fee_amount: null,
    currency_code: request.currency_code,
    created_at: String(nowMs),
    status: 'requires_payment_instrument',
    operation_id: request.operation_id,
    message: request.message,
    redirect_url: hostedPage,
    embedded_url: `${hostedPage}?embedded=true`,
    success_url: request.success_url,
    cancel_url: request.cancel_url,
    failure_url: request.failure_url,
    latest_error: null,
    allow_tips: request.allow_tips,
  };
}

/** A failed intent carries the error that failed it; any other status has none. */
export function withStatus(intent: ZiinaPaymentIntent, status: string): ZiinaPaymentIntent {
  return {
    ...intent,
    status,
    latest_error: status === 'failed' ? { message: 'Card declined', code: 'card_declined' } : null,
  };
}
