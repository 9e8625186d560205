import { v5 as uuidV5 } from 'uuid';
import type {
  CreatePaymentIntentInput,
  ZiinaPaymentIntentInput,
  ZopayPaymentIntentInput,
} from '../../src/graphql/generated/resolvers-types.ts';
import { parseDecimal } from '../../src/money/decimal.ts';
import type { PaymentIntent, PaymentIntentStatus } from '../../src/payments/payment-intent.ts';
import type { ZiinaCreateRequest } from '../../src/providers/ziina/ziina-input.ts';
import type { ZiinaIntentDetails } from '../../src/providers/ziina/ziina-intent-details.ts';
import type { ZopayIntentDetails } from '../../src/providers/zopay/zopay-intent-details.ts';

// What tests build: createPaymentIntent inputs (as a client sends them, or as the resolver gets
// them once the scalars are parsed), and domain intents (as the provider transformers make them).
// A test that asserts on a value passes that value itself: defaults are only there to be valid.

// ---------------------------------------------------------------------------------------------
// createPaymentIntent inputs

/** The Zopay branch as GraphQL variables carry it (JSON): the Decimal amount as a string. */
export type ZopayInputVariables = Omit<ZopayPaymentIntentInput, 'amount'> & { amount: string };

/** The Ziina branch as GraphQL variables carry it (JSON): URLs and the DateTime as strings. */
export type ZiinaInputVariables = Omit<
  ZiinaPaymentIntentInput,
  'successUrl' | 'cancelUrl' | 'failureUrl' | 'expiresAt'
> & { successUrl?: string | null; cancelUrl?: string | null; failureUrl?: string | null; expiresAt?: string | null };

export interface CreateInputVariables<TBranch> {
  clientMutationId: string;
  provider: TBranch;
}

/** Valid defaults: 10.50 USDT at Zopay, 1050 minor units (10.50) of AED at Ziina. */
const zopayDefaults = () => ({ amount: '10.50', currencies: ['USDT'] });
const ziinaDefaults = () => ({ amountMinor: 1050, currencyCode: 'AED' });

let clientMutationIds = 0;
/** A clientMutationId or externalRef unique within this file's run (the subgraph keeps its records across tests). */
export function uniqueId(label: string): string {
  clientMutationIds += 1;
  return `${label}-${clientMutationIds}`;
}

/** A valid Zopay create, as variables. */
export function zopayCreateInput(
  overrides: Partial<ZopayInputVariables> = {},
  clientMutationId = uniqueId('zopay-order'),
): CreateInputVariables<{ zopay: ZopayInputVariables }> {
  return { clientMutationId, provider: { zopay: { ...zopayDefaults(), ...overrides } } };
}

/** A valid Ziina create, as variables. */
export function ziinaCreateInput(
  overrides: Partial<ZiinaInputVariables> = {},
  clientMutationId = uniqueId('ziina-order'),
): CreateInputVariables<{ ziina: ZiinaInputVariables }> {
  return { clientMutationId, provider: { ziina: { ...ziinaDefaults(), ...overrides } } };
}

/** A create at either provider, for tests that pick the provider as data; `fields` are more of its branch. */
export type CreateOptions = { readonly clientMutationId?: string; readonly externalRef?: string } & (
  | { readonly provider: 'ZOPAY'; readonly fields?: Partial<ZopayInputVariables> }
  | { readonly provider: 'ZIINA'; readonly fields?: Partial<ZiinaInputVariables> }
);

/** A valid create at either provider, as variables. */
export function createInput(
  options: CreateOptions,
): CreateInputVariables<{ zopay: ZopayInputVariables } | { ziina: ZiinaInputVariables }> {
  const reference = options.externalRef === undefined ? {} : { externalRef: options.externalRef };
  return options.provider === 'ZOPAY'
    ? zopayCreateInput({ ...reference, ...options.fields }, options.clientMutationId)
    : ziinaCreateInput({ ...reference, ...options.fields }, options.clientMutationId);
}

/** A valid Zopay create as the resolver gets it (scalars parsed). */
export function parsedZopayCreateInput(
  overrides: Partial<ZopayPaymentIntentInput> = {},
  clientMutationId = uniqueId('zopay-order'),
): CreatePaymentIntentInput {
  const { amount, currencies } = zopayDefaults();
  return { clientMutationId, provider: { zopay: { amount: parseDecimal(amount), currencies, ...overrides } } };
}

/** A valid Ziina create as the resolver gets it (scalars parsed). */
export function parsedZiinaCreateInput(
  overrides: Partial<ZiinaPaymentIntentInput> = {},
  clientMutationId = uniqueId('ziina-order'),
): CreatePaymentIntentInput {
  return { clientMutationId, provider: { ziina: { ...ziinaDefaults(), ...overrides } } };
}

/** A Ziina create as the domain command carries it: 10.50 AED, every optional field absent. */
export function ziinaCreateRequest(overrides: Partial<ZiinaCreateRequest> = {}): ZiinaCreateRequest {
  return {
    provider: 'ZIINA',
    amountMinor: 1050,
    currencyCode: 'AED',
    message: null,
    successUrl: null,
    cancelUrl: null,
    failureUrl: null,
    test: null,
    expiresAtMs: null,
    allowTips: null,
    externalRef: null,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Domain intents as the provider transformers make them, for tests that write the store directly.

/** A Zopay intent: exact decimal amounts as text, nested metadata, the externalRef Zopay echoes. */
export function zopayIntent(
  providerId: string,
  overrides: Partial<PaymentIntent<ZopayIntentDetails>> = {},
): PaymentIntent<ZopayIntentDetails> {
  const amount = parseDecimal('1234567890123456789.000000000000000001');
  return {
    id: `zopay:${providerId}`,
    provider: 'ZOPAY',
    providerId,
    status: 'REQUIRES_PAYMENT_INSTRUMENT',
    providerStatus: 'awaiting_payment',
    amount: { amount, currency: 'BTC' },
    checkoutUrl: `https://pay.sandbox.zopay.cash/i/${providerId}`,
    createdAt: '2025-03-01T12:34:56.789Z',
    externalRef: 'order-7',
    creationMarker: null,
    details: {
      provider: 'ZOPAY',
      amount,
      currencies: ['BTC', 'USDT'],
      externalRef: 'order-7',
      description: 'Thé « premium » — 2 × 🍵',
      metadata: { cart: { sku: 'tea-1', qty: 2, price: '0.10' }, precise: '0.000000000000000001', none: null },
      refCode: 'ZP7Q2XK4M1',
      expiresAt: '2025-03-02T12:34:56Z',
    },
    ...overrides,
  };
}

/** A Ziina intent as Ziina reports it: no externalRef (Ziina never echoes one), an operation id. */
export function ziinaIntent(
  providerId: string,
  overrides: Partial<PaymentIntent<ZiinaIntentDetails>> = {},
): PaymentIntent<ZiinaIntentDetails> {
  return {
    id: `ziina:${providerId}`,
    provider: 'ZIINA',
    providerId,
    status: 'REQUIRES_PAYMENT_INSTRUMENT',
    providerStatus: 'requires_payment_instrument',
    amount: { amount: parseDecimal('2.500'), currency: 'KWD' },
    checkoutUrl: `https://pay.ziina.com/payment_intent/${providerId}`,
    createdAt: '2025-03-01T08:00:00.000Z',
    externalRef: null,
    creationMarker: ziinaOperationIdOf(providerId),
    details: {
      provider: 'ZIINA',
      amountMinor: 2500,
      tipAmountMinor: 0,
      feeAmountMinor: null,
      currencyCode: 'KWD',
      message: 'Order #1',
      redirectUrl: `https://pay.ziina.com/payment_intent/${providerId}`,
      successUrl: 'https://shop.example/ok',
      cancelUrl: null,
      failureUrl: null,
      allowTips: false,
      operationId: ziinaOperationIdOf(providerId),
      latestError: null,
    },
    ...overrides,
  };
}

/** The operation_id the intent built by ziinaIntent(providerId) carries: one per provider id. */
export function ziinaOperationIdOf(providerId: string): string {
  return uuidV5(`operation:${providerId}`, uuidV5.URL);
}

/** The same intent as its provider reports it in another status. */
export function reportedAs(
  intent: PaymentIntent,
  status: PaymentIntentStatus,
  providerStatus: string = status.toLowerCase(),
): PaymentIntent {
  return { ...intent, status, providerStatus };
}

/**
 * Raw provider statuses that map to no status (src/providers/provider-status.ts): none, unknown
 * ones, other casings, and keys on every plain object's prototype chain.
 */
export const UNMAPPED_STATUSES = [
  null,
  undefined,
  '',
  'weird_new_status',
  'COMPLETED',
  'Completed',
  ' completed',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
] as const;
