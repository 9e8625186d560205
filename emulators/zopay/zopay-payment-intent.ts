import { z } from 'zod';
import type { MintContext } from '../kit/emulator.ts';
import { deterministicText } from './deterministic-text.ts';
import { sandboxDepositAddresses, type DepositAddress } from './sandbox-deposit-addresses.ts';
import type { CreateIntentBody } from './create-intent-body.ts';

/**
 * The payment intent body is not public (docs/providers/zopay.md); this is the shape the subgraph assumes,
 * answered by both POST (201) and GET (200).
 */
export interface ZopayPaymentIntent {
  readonly id: string;
  readonly ref_code: string;
  /** Not public beyond the initial "awaiting_payment"; setStatus accepts any string. */
  readonly status: string;
  readonly amount: string;
  readonly currencies: readonly string[];
  readonly external_ref: string | null;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, unknown>> | null;
  readonly created_at: string;
  readonly expires_at: string;
  readonly payment_url: string;
  readonly deposit_addresses: readonly DepositAddress[];
}

/** For intents read back from a state file. */
export const zopayPaymentIntentSchema: z.ZodType<ZopayPaymentIntent> = z.strictObject({
  id: z.string(),
  ref_code: z.string(),
  status: z.string(),
  amount: z.string(),
  currencies: z.array(z.string()),
  external_ref: z.string().nullable(),
  description: z.string().nullable(),
  // Numbers in it may be exact-json values (see exact-json.ts): their digits must survive the trip.
  metadata: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
  expires_at: z.string(),
  payment_url: z.string(),
  deposit_addresses: z.array(z.strictObject({ currency: z.string(), network: z.string(), address: z.string() })),
});

const INTENT_LIFETIME_MS = 60 * 60 * 1000;
const HEX = '0123456789abcdef';
const UPPER_ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Every call mints a fresh intent and ref_code: the create itself is not idempotent (docs/providers/zopay.md). */
export function mintPaymentIntent(
  request: CreateIntentBody,
  { apiKey, counter, nowMs }: MintContext,
): ZopayPaymentIntent {
  const id = `pi_${deterministicText(`${apiKey}:id:${counter}`, HEX, 24)}`;
  return {
    id,
    ref_code: `ZP${deterministicText(`${apiKey}:ref_code:${counter}`, UPPER_ALPHANUMERIC, 8)}`,
    status: 'awaiting_payment',
    amount: request.amount,
    currencies: request.currencies,
    external_ref: request.external_ref,
    description: request.description,
    metadata: request.metadata,
    created_at: new Date(nowMs).toISOString(),
    expires_at: new Date(nowMs + INTENT_LIFETIME_MS).toISOString(),
    payment_url: `https://pay.sandbox.zopay.cash/i/${id}`,
    deposit_addresses: sandboxDepositAddresses(request.currencies, `${apiKey}:${id}`),
  };
}
