import { v5 as uuidV5 } from 'uuid';
import { parseDecimal } from '../../src/money/decimal.ts';
import type { PaymentIntent, PaymentIntentStatus } from '../../src/payments/payment-intent.ts';
import type { ZiinaIntentDetails } from '../../src/providers/ziina/ziina-intent-details.ts';
import type { ZopayIntentDetails } from '../../src/providers/zopay/zopay-intent-details.ts';

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
