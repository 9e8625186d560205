import { z } from 'zod';
import { minorUnitsToMajor } from '../../money/currency-exponent.ts';
import type { PaymentIntent } from '../../payments/payment-intent.ts';
import { formatPaymentIntentId } from '../../payments/payment-intent-id.ts';
import { parseJsonWithNumberSources, type JsonWithNumberSources } from '../../lib/exact-json.ts';
import { isoInstantOrNull, optionalBoolean, optionalInteger, optionalString } from '../lenient.ts';
import { ProviderIntegrationError, type ProviderErrorDetails } from '../provider-errors.ts';
import { ZIINA } from './ziina-identity.ts';
import type { ZiinaCreateRequest } from './ziina-input.ts';
import type { ZiinaIntentDetails } from './ziina-intent-details.ts';
import { ziinaStatus } from './ziina-status.ts';

// Wire types of Ziina's payment intent API and pure conversions to and from the domain. No I/O.
// https://docs.ziina.com/api-reference/payment-intent/create (docs/providers/ziina.md).

/** POST /payment_intent body. */
export interface ZiinaCreateBody {
  /** Integer minor units of the currency (10.50 AED = 1050). */
  readonly amount: number;
  /** ISO-4217, upper case. */
  readonly currency_code: string;
  readonly message?: string;
  readonly success_url?: string;
  readonly cancel_url?: string;
  readonly failure_url?: string;
  readonly test?: boolean;
  /** Unix milliseconds, as a string. */
  readonly expiry?: string;
  readonly allow_tips?: boolean;
  /** Client-generated UUID, the same on every retry of this payment. */
  readonly operation_id: string;
}

export function toZiinaCreateBody(request: ZiinaCreateRequest, operationId: string): ZiinaCreateBody {
  return {
    amount: request.amountMinor,
    currency_code: request.currencyCode.toUpperCase(),
    ...(request.message !== null && { message: request.message }),
    ...(request.successUrl !== null && { success_url: request.successUrl }),
    ...(request.cancelUrl !== null && { cancel_url: request.cancelUrl }),
    ...(request.failureUrl !== null && { failure_url: request.failureUrl }),
    ...(request.test !== null && { test: request.test }),
    ...(request.expiresAtMs !== null && { expiry: String(request.expiresAtMs) }),
    ...(request.allowTips !== null && { allow_tips: request.allowTips }),
    operation_id: operationId,
  };
}

const ZiinaIntentWire = z.looseObject({
  id: z.string().min(1),
  amount: z.number().int().nonnegative(),
  currency_code: z.string().regex(/^[A-Za-z]{3}$/),
  status: optionalString,
  tip_amount: optionalInteger,
  fee_amount: optionalInteger,
  // Unix milliseconds as a string (docs/providers/ziina.md); a number is accepted too.
  created_at: z.union([z.string(), z.number()]).nullish().catch(null),
  operation_id: optionalString,
  message: optionalString,
  redirect_url: optionalString,
  success_url: optionalString,
  cancel_url: optionalString,
  failure_url: optionalString,
  allow_tips: optionalBoolean,
  latest_error: z.looseObject({ message: optionalString, code: optionalString }).nullish().catch(null),
});

/** `request`: the create this answers, whose externalRef Ziina does not know. */
export function toPaymentIntent(
  body: JsonWithNumberSources,
  request?: ZiinaCreateRequest,
): PaymentIntent<ZiinaIntentDetails> {
  const parsed = ZiinaIntentWire.safeParse(body.value);
  if (!parsed.success)
    throw new ProviderIntegrationError(ZIINA, 'payment intent answer lacks id, amount or currency_code');
  const wire = parsed.data;
  const currencyCode = wire.currency_code.toUpperCase();
  let amount;
  try {
    amount = minorUnitsToMajor(wire.amount, currencyCode);
  } catch {
    throw new ProviderIntegrationError(ZIINA, `payment intent currency ${currencyCode} is not an ISO-4217 currency`);
  }
  return {
    id: formatPaymentIntentId('ZIINA', wire.id),
    provider: 'ZIINA',
    providerId: wire.id,
    status: ziinaStatus(wire.status),
    providerStatus: wire.status,
    amount: { amount, currency: currencyCode },
    checkoutUrl: wire.redirect_url,
    createdAt: isoInstantOrNull(readUnixMs(wire.created_at ?? null)),
    externalRef: request?.externalRef ?? null,
    // Ziina echoes our operation_id on the intent, in webhooks too: the mark of the create that made it.
    creationMarker: wire.operation_id,
    details: {
      provider: 'ZIINA',
      amountMinor: wire.amount,
      tipAmountMinor: wire.tip_amount,
      feeAmountMinor: wire.fee_amount,
      currencyCode,
      message: wire.message,
      redirectUrl: wire.redirect_url,
      successUrl: wire.success_url,
      cancelUrl: wire.cancel_url,
      failureUrl: wire.failure_url,
      allowTips: wire.allow_tips ?? false,
      operationId: wire.operation_id,
      latestError: wire.latest_error ? { message: wire.latest_error.message, code: wire.latest_error.code } : null,
    },
  };
}

function readUnixMs(value: string | number | null): number | null {
  if (typeof value === 'number') return value;
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}

// Business errors are {code, message}; request validation failures are NestJS's
// {statusCode, message: string[], error}; auth failures {message, statusCode}.
const ZiinaErrorWire = z.looseObject({
  code: z.union([z.string(), z.number()]).nullish().catch(null),
  message: z
    .union([z.string(), z.array(z.string())])
    .nullish()
    .catch(null),
});

export const PAYMENT_INTENT_NOT_FOUND = 'PAYMENT_INTENT_NOT_FOUND';

export function readZiinaError(bodyText: string): ProviderErrorDetails {
  const parsed = ZiinaErrorWire.safeParse(parseJsonWithNumberSources(bodyText)?.value);
  if (!parsed.success) return { code: null, message: null, field: null };
  const { code, message } = parsed.data;
  return {
    code: code === null || code === undefined ? null : String(code),
    message: Array.isArray(message) ? message.join('; ') : (message ?? null),
    field: null,
  };
}
