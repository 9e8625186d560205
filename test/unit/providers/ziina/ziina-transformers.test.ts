import { describe, expect, it } from 'vitest';
import type { ZiinaIntentDetails } from '../../../../src/providers/ziina/ziina-intent-details.ts';
import { parseJsonWithNumberSources, type JsonWithNumberSources } from '../../../../src/lib/exact-json.ts';
import { ProviderIntegrationError } from '../../../../src/providers/provider-errors.ts';
import {
  readZiinaError,
  toPaymentIntent,
  toZiinaCreateBody,
} from '../../../../src/providers/ziina/ziina-transformers.ts';
import { ziinaCreateRequest } from '../../../support/builders.ts';

const OPERATION_ID = '6c0c3f3e-5b1a-4f5e-9d1c-2a3b4c5d6e7f';

function json(value: unknown): JsonWithNumberSources {
  const body = parseJsonWithNumberSources(typeof value === 'string' ? value : JSON.stringify(value));
  if (body === null) throw new Error('test body is not JSON');
  return body;
}

const ziinaDetails = (details: { provider: string }) => {
  expect(details.provider).toBe('ZIINA');
  return details as ZiinaIntentDetails;
};

// A create answer as Ziina documents it (docs/providers/ziina.md).
const FULL_ANSWER = {
  id: '3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d',
  account_id: 'acc-1',
  amount: 1050,
  tip_amount: 0,
  fee_amount: 42,
  currency_code: 'AED',
  created_at: '1735689600000',
  status: 'requires_payment_instrument',
  operation_id: OPERATION_ID,
  message: 'Order 17',
  redirect_url: 'https://pay.ziina.com/payment_intent/3f2a9c1e-7d6b-4a8e-9c0d-1e2f3a4b5c6d',
  embedded_url: 'https://pay.ziina.com/embedded/3f2a9c1e',
  success_url: 'https://shop.example/ok',
  cancel_url: 'https://shop.example/cancel',
  failure_url: null,
  latest_error: null,
  allow_tips: true,
};

describe('toZiinaCreateBody', () => {
  it('sends only amount, currency_code and operation_id when the optional fields are null', () => {
    const body = toZiinaCreateBody(ziinaCreateRequest(), OPERATION_ID);
    expect(body).toEqual({ amount: 1050, currency_code: 'AED', operation_id: OPERATION_ID });
  });

  it('never sends externalRef, which Ziina does not know', () => {
    const body = toZiinaCreateBody(ziinaCreateRequest({ externalRef: 'order-17' }), OPERATION_ID);
    expect(body).toEqual({ amount: 1050, currency_code: 'AED', operation_id: OPERATION_ID });
  });

  it('maps every field to its wire name, expiry as a unix-ms string', () => {
    const expiresAtMs = Date.UTC(2030, 0, 1, 12, 0, 0);
    const body = toZiinaCreateBody(
      ziinaCreateRequest({
        amountMinor: 1500,
        currencyCode: 'kwd',
        message: 'Order 17',
        successUrl: 'https://shop.example/ok',
        cancelUrl: 'https://shop.example/cancel',
        failureUrl: 'https://shop.example/fail',
        test: true,
        expiresAtMs,
        allowTips: false,
      }),
      OPERATION_ID,
    );
    expect(Object.keys(body).sort()).toEqual(
      [
        'allow_tips',
        'amount',
        'cancel_url',
        'currency_code',
        'expiry',
        'failure_url',
        'message',
        'operation_id',
        'success_url',
        'test',
      ].sort(),
    );
    expect(body).toEqual({
      amount: 1500,
      currency_code: 'KWD',
      message: 'Order 17',
      success_url: 'https://shop.example/ok',
      cancel_url: 'https://shop.example/cancel',
      failure_url: 'https://shop.example/fail',
      test: true,
      expiry: '1893499200000',
      allow_tips: false,
      operation_id: OPERATION_ID,
    });
    expect(typeof body.expiry).toBe('string');
    expect(Number.isInteger(body.amount)).toBe(true);
  });

  it('keeps false flags (only null means absent)', () => {
    const body = toZiinaCreateBody(ziinaCreateRequest({ test: false, allowTips: false }), OPERATION_ID);
    expect(body.test).toBe(false);
    expect(body.allow_tips).toBe(false);
  });

  it('writes the amount as an integer JSON number', () => {
    expect(JSON.stringify(toZiinaCreateBody(ziinaCreateRequest(), OPERATION_ID))).toContain('"amount":1050,');
  });
});

describe('toPaymentIntent', () => {
  it('reads a full answer', () => {
    expect(toPaymentIntent(json(FULL_ANSWER))).toEqual({
      id: `ziina:${FULL_ANSWER.id}`,
      provider: 'ZIINA',
      providerId: FULL_ANSWER.id,
      status: 'REQUIRES_PAYMENT_INSTRUMENT',
      providerStatus: 'requires_payment_instrument',
      amount: { amount: '10.50', currency: 'AED' },
      checkoutUrl: FULL_ANSWER.redirect_url,
      createdAt: '2025-01-01T00:00:00.000Z',
      // Ziina has no such field: only the create's request (or the store) supplies it.
      externalRef: null,
      // The operation_id we sent: it marks the create that made the intent.
      creationMarker: FULL_ANSWER.operation_id,
      details: {
        provider: 'ZIINA',
        amountMinor: 1050,
        tipAmountMinor: 0,
        feeAmountMinor: 42,
        currencyCode: 'AED',
        message: 'Order 17',
        redirectUrl: FULL_ANSWER.redirect_url,
        successUrl: 'https://shop.example/ok',
        cancelUrl: 'https://shop.example/cancel',
        failureUrl: null,
        allowTips: true,
        operationId: OPERATION_ID,
        latestError: null,
      },
    });
  });

  it.each([
    [1050, 'AED', '10.50'],
    [500, 'JPY', '500'],
    [1500, 'KWD', '1.500'],
    [1, 'BHD', '0.001'],
    [200, 'aed', '2.00'],
  ])('reads %d %s as the Money amount %s', (amountMinor, currency, expected) => {
    const intent = toPaymentIntent(json({ id: 'pi', amount: amountMinor, currency_code: currency }));
    expect(intent.amount).toEqual({ amount: expected, currency: currency.toUpperCase() });
    expect(ziinaDetails(intent.details).amountMinor).toBe(amountMinor);
  });

  it('converts created_at from unix ms (string or number) to ISO 8601', () => {
    expect(
      toPaymentIntent(json({ id: 'pi', amount: 1, currency_code: 'AED', created_at: '1700000000123' })).createdAt,
    ).toBe('2023-11-14T22:13:20.123Z');
    expect(
      toPaymentIntent(json({ id: 'pi', amount: 1, currency_code: 'AED', created_at: 1700000000123 })).createdAt,
    ).toBe('2023-11-14T22:13:20.123Z');
  });

  it.each([['not-a-date'], [''], [{}], [null]])('reads an unreadable created_at %j as null', (createdAt) => {
    expect(
      toPaymentIntent(json({ id: 'pi', amount: 1, currency_code: 'AED', created_at: createdAt })).createdAt,
    ).toBeNull();
  });

  it('maps latest_error', () => {
    const intent = toPaymentIntent(
      json({ ...FULL_ANSWER, status: 'failed', latest_error: { message: 'Card declined', code: 'card_declined' } }),
    );
    expect(intent.status).toBe('FAILED');
    expect(ziinaDetails(intent.details).latestError).toEqual({ message: 'Card declined', code: 'card_declined' });
  });

  it('maps a latest_error with missing fields to nulls', () => {
    const intent = toPaymentIntent(json({ id: 'pi', amount: 1, currency_code: 'AED', latest_error: {} }));
    expect(ziinaDetails(intent.details).latestError).toEqual({ message: null, code: null });
  });

  it('tolerates every optional field missing', () => {
    const intent = toPaymentIntent(json({ id: 'pi_min', amount: 1050, currency_code: 'AED' }));
    expect(intent).toMatchObject({
      id: 'ziina:pi_min',
      status: 'UNKNOWN',
      providerStatus: null,
      checkoutUrl: null,
      createdAt: null,
    });
    expect(intent.details).toEqual({
      provider: 'ZIINA',
      amountMinor: 1050,
      tipAmountMinor: null,
      feeAmountMinor: null,
      currencyCode: 'AED',
      message: null,
      redirectUrl: null,
      successUrl: null,
      cancelUrl: null,
      failureUrl: null,
      allowTips: false,
      operationId: null,
      latestError: null,
    });
  });

  it('tolerates ill-typed optional fields as null', () => {
    const intent = toPaymentIntent(
      json({
        id: 'pi',
        amount: 1,
        currency_code: 'AED',
        tip_amount: '5',
        fee_amount: 1.5,
        redirect_url: 7,
        allow_tips: 'yes',
        latest_error: 'x',
      }),
    );
    expect(intent.checkoutUrl).toBeNull();
    expect(intent.details).toMatchObject({
      tipAmountMinor: null,
      feeAmountMinor: null,
      allowTips: false,
      latestError: null,
    });
  });

  it('maps an undocumented status to UNKNOWN and keeps it', () => {
    const intent = toPaymentIntent(json({ ...FULL_ANSWER, status: 'expired' }));
    expect(intent.status).toBe('UNKNOWN');
    expect(intent.providerStatus).toBe('expired');
  });

  it('throws ProviderIntegrationError for a currency that is not ISO-4217', () => {
    expect(() => toPaymentIntent(json({ ...FULL_ANSWER, currency_code: 'ZZZ' }))).toThrow(ProviderIntegrationError);
    expect(() => toPaymentIntent(json({ ...FULL_ANSWER, currency_code: 'ZZZ' }))).toThrow(/ZZZ/);
  });

  it.each([
    ['no id', { amount: 1, currency_code: 'AED' }],
    ['empty id', { id: '', amount: 1, currency_code: 'AED' }],
    ['no amount', { id: 'pi', currency_code: 'AED' }],
    ['a fractional amount', { id: 'pi', amount: 10.5, currency_code: 'AED' }],
    ['a negative amount', { id: 'pi', amount: -1, currency_code: 'AED' }],
    ['a string amount', { id: 'pi', amount: '1050', currency_code: 'AED' }],
    ['no currency', { id: 'pi', amount: 1 }],
    ['a 4-letter currency', { id: 'pi', amount: 1, currency_code: 'AEDX' }],
    ['not an object', '"pi"'],
    ['an array', []],
    ['null', null],
  ])('throws ProviderIntegrationError for %s', (_case, value) => {
    expect(() => toPaymentIntent(json(value))).toThrow(ProviderIntegrationError);
  });
});

describe('readZiinaError', () => {
  it('reads a business error {code, message}', () => {
    expect(
      readZiinaError(
        JSON.stringify({ code: 'TRANSFER_UNDER_MINIMUM', message: 'Amount is below the minimum of 2 AED' }),
      ),
    ).toEqual({
      code: 'TRANSFER_UNDER_MINIMUM',
      message: 'Amount is below the minimum of 2 AED',
      field: null,
    });
  });

  it('reads a NestJS validation error, joining every message, without taking statusCode or error as the code', () => {
    expect(
      readZiinaError(
        JSON.stringify({
          statusCode: 400,
          message: ['amount must be an integer number', 'currency_code must be 3 characters'],
          error: 'Bad Request',
        }),
      ),
    ).toEqual({
      code: null,
      message: 'amount must be an integer number; currency_code must be 3 characters',
      field: null,
    });
  });

  it('reads an auth failure {message, statusCode}', () => {
    expect(readZiinaError(JSON.stringify({ message: 'Unauthorized', statusCode: 401 }))).toEqual({
      code: null,
      message: 'Unauthorized',
      field: null,
    });
  });

  it('turns a numeric code into a string', () => {
    expect(readZiinaError(JSON.stringify({ code: 1001, message: 'x' })).code).toBe('1001');
  });

  it.each([
    ['a truncated JSON body', '{"code":'],
    ['an HTML page', '<html>502</html>'],
    ['an empty object', '{}'],
    ['ill-typed fields', '{"code":{},"message":42}'],
    ['a JSON array', '["x"]'],
  ])('reads %s as no details', (_case, body) => {
    expect(readZiinaError(body)).toEqual({ code: null, message: null, field: null });
  });
});
