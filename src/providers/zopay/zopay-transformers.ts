import { z } from 'zod';
import { DecimalFormatError, parseDecimal } from '../../money/decimal.ts';
import type { PaymentIntent } from '../../payments/payment-intent.ts';
import { formatPaymentIntentId } from '../../payments/payment-intent-id.ts';
import { parseJsonWithNumberSources, type JsonWithNumberSources } from '../../lib/exact-json.ts';
import { isoInstantOrNull, optionalObject, optionalString } from '../lenient.ts';
import { ProviderIntegrationError, type ProviderErrorDetails } from '../provider-errors.ts';
import { ZOPAY } from './zopay-identity.ts';
import type { ZopayCreateRequest } from './zopay-input.ts';
import type { ZopayIntentDetails } from './zopay-intent-details.ts';
import { zopayStatus } from './zopay-status.ts';

// Wire types of Zopay Connect and pure conversions to and from the domain. No I/O here.
// Request: POST /payment-intents as documented. Response and errors are not public: the assumed
// shapes (docs/providers/zopay.md) are read leniently, only `id` is required.

/** POST /payment-intents body. Zopay answers 422 to unknown fields, so only these exist. */
export interface ZopayCreateBody {
  /** A decimal string: Zopay prefers it to a JSON number to avoid float loss. */
  readonly amount: string;
  readonly currencies: readonly string[];
  readonly external_ref?: string;
  readonly description?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export function toZopayCreateBody(request: ZopayCreateRequest): ZopayCreateBody {
  return {
    amount: request.amount,
    currencies: request.currencies,
    ...(request.externalRef !== null && { external_ref: request.externalRef }),
    ...(request.description !== null && { description: request.description }),
    ...(request.metadata !== null && { metadata: request.metadata }),
  };
}

const ZopayIntentWire = z.looseObject({
  id: z.string().min(1),
  ref_code: optionalString,
  status: optionalString,
  amount: z.union([z.string(), z.number()]).nullish().catch(null),
  currencies: z.array(z.string()).min(1).nullish().catch(null),
  external_ref: optionalString,
  description: optionalString,
  metadata: optionalObject,
  created_at: optionalString,
  expires_at: optionalString,
  payment_url: optionalString,
});

/**
 * What this service already knows of an intent, to fill what Zopay's answer leaves out: on a create,
 * what it sent; on a read, its stored copy. Zopay's answers are not public, so that any field but
 * `id` comes back is an assumption (docs/providers/zopay.md), and a read is for the status.
 */
export interface ZopayKnownIntent extends Pick<
  ZopayIntentDetails,
  'amount' | 'currencies' | 'externalRef' | 'description' | 'metadata'
> {
  readonly refCode?: string | null;
  readonly expiresAt?: string | null;
  readonly checkoutUrl?: string | null;
  readonly createdAt?: string | null;
}

/** What a stored copy tells of a Zopay intent, for a read of it. */
export function knownFromStored(stored: PaymentIntent<ZopayIntentDetails>): ZopayKnownIntent {
  return { ...stored.details, checkoutUrl: stored.checkoutUrl, createdAt: stored.createdAt };
}

/** Reads a payment intent answer; `known` fills what the answer leaves out. */
export function toPaymentIntent(
  body: JsonWithNumberSources,
  known?: ZopayKnownIntent,
): PaymentIntent<ZopayIntentDetails> {
  const parsed = ZopayIntentWire.safeParse(body.value);
  if (!parsed.success || body.value === null || typeof body.value !== 'object') {
    throw new ProviderIntegrationError(ZOPAY, 'payment intent answer has no id');
  }
  const wire = parsed.data;
  const amount = readExactAmount(body, body.value, wire.amount ?? null) ?? known?.amount;
  const currencies = wire.currencies ?? known?.currencies;
  const primaryCurrency = currencies?.[0];
  if (amount === undefined || primaryCurrency === undefined || currencies === undefined) {
    throw new ProviderIntegrationError(ZOPAY, 'payment intent answer has no readable amount or currencies');
  }
  const externalRef = wire.external_ref ?? known?.externalRef ?? null;
  return {
    id: formatPaymentIntentId('ZOPAY', wire.id),
    provider: 'ZOPAY',
    providerId: wire.id,
    status: zopayStatus(wire.status),
    providerStatus: wire.status,
    amount: { amount, currency: primaryCurrency },
    checkoutUrl: wire.payment_url ?? known?.checkoutUrl ?? null,
    createdAt: isoInstantOrNull(wire.created_at) ?? known?.createdAt ?? null,
    externalRef,
    // Zopay needs no marker: a create of lost outcome is sent again with its Idempotency-Key.
    creationMarker: null,
    details: {
      provider: 'ZOPAY',
      amount,
      currencies,
      externalRef,
      description: wire.description ?? known?.description ?? null,
      metadata: wire.metadata ?? (known?.metadata ? { ...known.metadata } : null),
      refCode: wire.ref_code ?? known?.refCode ?? null,
      expiresAt: isoInstantOrNull(wire.expires_at) ?? known?.expiresAt ?? null,
    },
  };
}

/** The amount's exact digits: a string as sent, a JSON number by its source text. */
function readExactAmount(body: JsonWithNumberSources, holder: object, amount: string | number | null) {
  if (amount === null) return undefined;
  const text = typeof amount === 'string' ? amount : body.numberSource(holder, 'amount');
  if (text === undefined) return undefined;
  try {
    return parseDecimal(text);
  } catch (error) {
    if (error instanceof DecimalFormatError)
      throw new ProviderIntegrationError(ZOPAY, 'payment intent amount is not a decimal');
    throw error;
  }
}

// FastAPI error bodies, in the three shapes docs/providers/zopay.md accepts.
const ValidationItem = z.looseObject({
  loc: z.array(z.union([z.string(), z.number()])).catch([]),
  msg: z.string().catch('invalid value'),
  type: optionalString,
});
const ZopayErrorWire = z.looseObject({
  detail: z.union([
    z.string(),
    z.looseObject({ code: optionalString, message: optionalString }),
    z.array(ValidationItem),
  ]),
});

/**
 * A string detail that is a code rather than a sentence: FastAPI's `HTTPException(409,
 * detail="idempotency_key_in_use")` sends the code where a structured body has `detail.code`
 * (docs/providers/zopay.md), and it means the same.
 */
const CODE_DETAIL = /^[a-z][a-z0-9_]*$/;

/** Input fields by wire field name, so a 422 on `external_ref` points at `externalRef`. */
const INPUT_FIELD_BY_WIRE_FIELD: Record<string, string> = {
  amount: 'amount',
  currencies: 'currencies',
  external_ref: 'externalRef',
  description: 'description',
  metadata: 'metadata',
};

export function readZopayError(bodyText: string): ProviderErrorDetails {
  const parsed = ZopayErrorWire.safeParse(parseJsonWithNumberSources(bodyText)?.value);
  if (!parsed.success) return { code: null, message: null, field: null };
  const { detail } = parsed.data;
  if (typeof detail === 'string')
    return { code: CODE_DETAIL.test(detail) ? detail : null, message: detail, field: null };
  if (!Array.isArray(detail)) return { code: detail.code, message: detail.message, field: null };
  const message = detail.map((item) => `${describeLocation(item.loc)}: ${item.msg}`).join('; ');
  const first = detail[0];
  return { code: first?.type ?? null, message, field: detail.length === 1 && first ? inputField(first.loc) : null };
}

/** FastAPI locations start with "body"; the rest names the field. */
function describeLocation(loc: readonly (string | number)[]): string {
  const path = loc[0] === 'body' ? loc.slice(1) : loc;
  return path.length === 0 ? 'request' : path.join('.');
}

function inputField(loc: readonly (string | number)[]): readonly string[] | null {
  const [source, wireField, ...rest] = loc;
  const field = typeof wireField === 'string' ? INPUT_FIELD_BY_WIRE_FIELD[wireField] : undefined;
  if (source !== 'body' || field === undefined) return null;
  return [field, ...rest.map(String)];
}
