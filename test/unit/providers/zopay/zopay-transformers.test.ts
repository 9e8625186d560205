import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../../src/money/decimal.ts';
import type { ZopayCreateRequest } from '../../../../src/providers/zopay/zopay-input.ts';
import type { ZopayIntentDetails } from '../../../../src/providers/zopay/zopay-intent-details.ts';
import { parseJsonWithNumberSources, type JsonWithNumberSources } from '../../../../src/lib/exact-json.ts';
import { ProviderIntegrationError } from '../../../../src/providers/provider-errors.ts';
import {
  readZopayError,
  knownFromStored,
  toPaymentIntent,
  toZopayCreateBody,
} from '../../../../src/providers/zopay/zopay-transformers.ts';

function request(overrides: Partial<ZopayCreateRequest> = {}): ZopayCreateRequest {
  return {
    provider: 'ZOPAY',
    amount: parseDecimal('10.50'),
    currencies: ['USDT', 'BTC'],
    externalRef: null,
    description: null,
    metadata: null,
    ...overrides,
  };
}

function json(text: string): JsonWithNumberSources {
  const body = parseJsonWithNumberSources(text);
  if (body === null) throw new Error(`test body is not JSON: ${text}`);
  return body;
}

const zopayDetails = (details: { provider: string }) => {
  expect(details.provider).toBe('ZOPAY');
  return details as ZopayIntentDetails;
};

describe('toZopayCreateBody', () => {
  it('sends only amount and currencies when the optional fields are null', () => {
    const body = toZopayCreateBody(request());
    expect(body).toEqual({ amount: '10.50', currencies: ['USDT', 'BTC'] });
    expect(Object.keys(body).sort()).toEqual(['amount', 'currencies']);
  });

  it('maps every field to its snake_case wire name and nothing else', () => {
    const body = toZopayCreateBody(
      request({ externalRef: 'order-1', description: 'Two coffees', metadata: { cart: 'c-9', nested: { a: 1 } } }),
    );
    expect(Object.keys(body).sort()).toEqual(['amount', 'currencies', 'description', 'external_ref', 'metadata']);
    expect(body).toEqual({
      amount: '10.50',
      currencies: ['USDT', 'BTC'],
      external_ref: 'order-1',
      description: 'Two coffees',
      metadata: { cart: 'c-9', nested: { a: 1 } },
    });
  });

  it('never sends the domain field names or the provider discriminator', () => {
    const text = JSON.stringify(
      toZopayCreateBody(request({ externalRef: 'r', description: 'd', metadata: { k: 'v' } })),
    );
    for (const key of ['externalRef', 'provider', 'ZOPAY', 'null']) expect(text).not.toContain(key);
  });

  it('keeps an empty string (only null means absent)', () => {
    expect(toZopayCreateBody(request({ description: '' }))).toHaveProperty('description', '');
  });

  it.each(['10.50', '0.000000000000000001', '123456789012345678901234567890.12'])(
    'keeps the amount %s as the exact string',
    (amount) => {
      const body = toZopayCreateBody(request({ amount: parseDecimal(amount) }));
      expect(body.amount).toBe(amount);
      expect(JSON.stringify(body)).toContain(`"amount":"${amount}"`);
    },
  );
});

describe('toPaymentIntent', () => {
  it('reads a full answer', () => {
    const intent = toPaymentIntent(
      json(`{
        "id": "pi_abc", "ref_code": "ZP-7", "status": "awaiting_payment", "amount": "10.50",
        "currencies": ["USDT", "BTC"], "external_ref": "order-1", "description": "Coffee",
        "metadata": {"cart": "c-9"}, "created_at": "2025-01-01T04:00:00+04:00",
        "expires_at": "2025-01-02T00:00:00Z", "payment_url": "https://pay.zopay.cash/pi_abc",
        "some_future_field": {"x": 1}
      }`),
    );
    expect(intent).toEqual({
      id: 'zopay:pi_abc',
      provider: 'ZOPAY',
      providerId: 'pi_abc',
      status: 'REQUIRES_PAYMENT_INSTRUMENT',
      providerStatus: 'awaiting_payment',
      amount: { amount: '10.50', currency: 'USDT' },
      checkoutUrl: 'https://pay.zopay.cash/pi_abc',
      createdAt: '2025-01-01T00:00:00.000Z',
      externalRef: 'order-1',
      creationMarker: null,
      details: {
        provider: 'ZOPAY',
        amount: '10.50',
        currencies: ['USDT', 'BTC'],
        externalRef: 'order-1',
        description: 'Coffee',
        metadata: { cart: 'c-9' },
        refCode: 'ZP-7',
        expiresAt: '2025-01-02T00:00:00.000Z',
      },
    });
  });

  it.each([
    ['10.50', '10.50'],
    ['0.1', '0.1'],
    ['0.30000000000000004', '0.30000000000000004'],
    ['100.000', '100.000'],
    ['1e2', '100'],
    ['12345678901234567890.123456789', '12345678901234567890.123456789'],
  ])('reads a JSON number amount %s by its source text as %j', (source, expected) => {
    const intent = toPaymentIntent(json(`{"id":"pi_1","amount":${source},"currencies":["USDT"]}`));
    expect(intent.amount.amount).toBe(expected);
    expect(zopayDetails(intent.details).amount).toBe(expected);
  });

  it('reads a string amount exactly', () => {
    expect(toPaymentIntent(json('{"id":"pi_1","amount":"0.10","currencies":["USDT"]}')).amount.amount).toBe('0.10');
  });

  it('prefers the answer amount to the request amount', () => {
    const intent = toPaymentIntent(json('{"id":"pi_1","amount":"7.00","currencies":["BTC"]}'), request());
    expect(intent.amount).toEqual({ amount: '7.00', currency: 'BTC' });
  });

  it('fills a missing amount, currencies and optional fields from the request', () => {
    const intent = toPaymentIntent(
      json('{"id":"pi_1"}'),
      request({ externalRef: 'order-1', description: 'Coffee', metadata: { cart: 'c-9' } }),
    );
    expect(intent.amount).toEqual({ amount: '10.50', currency: 'USDT' });
    expect(intent.details).toMatchObject({
      amount: '10.50',
      currencies: ['USDT', 'BTC'],
      externalRef: 'order-1',
      description: 'Coffee',
      metadata: { cart: 'c-9' },
    });
  });

  it("fills a read's missing fields from the stored copy, and takes its status", () => {
    const stored = toPaymentIntent(
      json(`{"id":"pi_1","status":"pending","ref_code":"ZP-7","payment_url":"https://pay.zopay.cash/pi_1",
             "created_at":"2025-01-01T00:00:00Z","expires_at":"2025-01-02T00:00:00Z"}`),
      request({ description: 'Coffee' }),
    );
    const intent = toPaymentIntent(json('{"id":"pi_1","status":"completed"}'), knownFromStored(stored));
    expect(intent).toEqual({ ...stored, status: 'COMPLETED', providerStatus: 'completed' });
  });

  it('fills from the request when amount and currencies are ill-typed', () => {
    const intent = toPaymentIntent(json('{"id":"pi_1","amount":true,"currencies":"USDT"}'), request());
    expect(intent.amount).toEqual({ amount: '10.50', currency: 'USDT' });
  });

  it('fails the contract when neither answer nor request gives an amount', () => {
    expect(() => toPaymentIntent(json('{"id":"pi_1","currencies":["USDT"]}'))).toThrow(ProviderIntegrationError);
    expect(() => toPaymentIntent(json('{"id":"pi_1","amount":"1"}'))).toThrow(ProviderIntegrationError);
  });

  it.each(['{}', '{"id":""}', '{"id":42,"amount":"1","currencies":["USDT"]}', 'null', '[]', '"pi_1"', '{"ID":"pi_1"}'])(
    'fails the contract for %s (no string id)',
    (text) => {
      expect(() => toPaymentIntent(json(text), request())).toThrow(ProviderIntegrationError);
    },
  );

  it('fails the contract for an amount that is not a decimal', () => {
    expect(() => toPaymentIntent(json('{"id":"pi_1","amount":"ten","currencies":["USDT"]}'))).toThrow(
      ProviderIntegrationError,
    );
  });

  it('reads a "+1" string amount as "1"', () => {
    expect(toPaymentIntent(json('{"id":"pi_1","amount":"+1","currencies":["USDT"]}')).amount.amount).toBe('1');
  });

  it('fails the contract for an amount too large to be a decimal', () => {
    expect(() => toPaymentIntent(json('{"id":"pi_1","amount":1e99999999,"currencies":["USDT"]}'))).toThrow(
      ProviderIntegrationError,
    );
  });

  it('maps an unknown status to UNKNOWN and keeps the raw string', () => {
    const intent = toPaymentIntent(
      json('{"id":"pi_1","status":"on_hold_by_compliance","amount":"1","currencies":["USDT"]}'),
    );
    expect(intent.status).toBe('UNKNOWN');
    expect(intent.providerStatus).toBe('on_hold_by_compliance');
  });

  it('reads a missing status as UNKNOWN with providerStatus null', () => {
    const intent = toPaymentIntent(json('{"id":"pi_1","amount":"1","currencies":["USDT"]}'));
    expect(intent.status).toBe('UNKNOWN');
    expect(intent.providerStatus).toBeNull();
  });

  it('keeps an id containing ":" verbatim after the zopay: prefix', () => {
    const intent = toPaymentIntent(json('{"id":"pi:1:Ab","amount":"1","currencies":["USDT"]}'));
    expect(intent.id).toBe('zopay:pi:1:Ab');
    expect(intent.providerId).toBe('pi:1:Ab');
  });

  it('tolerates ill-typed optional fields as null', () => {
    const intent = toPaymentIntent(
      json(
        '{"id":"pi_1","amount":"1","currencies":["USDT"],"ref_code":5,"payment_url":{},"created_at":"yesterday","expires_at":7,"metadata":"x"}',
      ),
    );
    expect(intent.checkoutUrl).toBeNull();
    expect(intent.createdAt).toBeNull();
    expect(intent.details).toMatchObject({
      refCode: null,
      expiresAt: null,
      metadata: null,
      externalRef: null,
      description: null,
    });
  });
});

describe('readZopayError', () => {
  it('reads a string detail as the message', () => {
    expect(readZopayError('{"detail":"Invalid API key"}')).toEqual({
      code: null,
      message: 'Invalid API key',
      field: null,
    });
  });

  it.each(['idempotency_key_in_use', 'not_found'])(
    'reads a string detail that is a code, %j, as its code too',
    (code) => {
      expect(readZopayError(JSON.stringify({ detail: code }))).toEqual({ code, message: code, field: null });
    },
  );

  it.each(['Not Found', 'Invalid_API_key', 'key in use', '_private', 'Idempotency-Key required'])(
    'reads a string detail that is a sentence, %j, as the message alone',
    (detail) => {
      expect(readZopayError(JSON.stringify({ detail }))).toEqual({ code: null, message: detail, field: null });
    },
  );

  it('reads a {code, message} detail', () => {
    expect(
      readZopayError('{"detail":{"code":"idempotency_conflict","message":"Key reused with another body"}}'),
    ).toEqual({
      code: 'idempotency_conflict',
      message: 'Key reused with another body',
      field: null,
    });
  });

  it('reads a single 422 item with its field path into the input', () => {
    const details = readZopayError(
      '{"detail":[{"loc":["body","external_ref"],"msg":"String should have at most 255 characters","type":"string_too_long"}]}',
    );
    expect(details).toEqual({
      code: 'string_too_long',
      message: 'external_ref: String should have at most 255 characters',
      field: ['externalRef'],
    });
  });

  it.each([
    [['body', 'amount'], ['amount']],
    [
      ['body', 'currencies', 0],
      ['currencies', '0'],
    ],
    [
      ['body', 'metadata', 'cart'],
      ['metadata', 'cart'],
    ],
    [['body', 'description'], ['description']],
    [['body', 'unknown_field'], null],
    [['header', 'idempotency-key'], null],
    [['body'], null],
    [[], null],
  ])('maps loc %j to field %j', (loc, field) => {
    const details = readZopayError(JSON.stringify({ detail: [{ loc, msg: 'bad', type: 't' }] }));
    expect(details.field).toEqual(field);
  });

  it('lists every item of a 422 in the message, uses the first item type as the code, and names no single field', () => {
    const details = readZopayError(`{"detail":[
        {"loc":["body","amount"],"msg":"Input should be greater than 0","type":"greater_than"},
        {"loc":["body","currencies",3],"msg":"Unknown asset","type":"value_error"},
        {"loc":["body"],"msg":"Extra inputs are not permitted","type":"extra_forbidden"}
      ]}`);
    expect(details.code).toBe('greater_than');
    expect(details.message).toBe(
      'amount: Input should be greater than 0; currencies.3: Unknown asset; request: Extra inputs are not permitted',
    );
    expect(details.field).toBeNull();
  });

  it('keeps a non-body location in the message', () => {
    const details = readZopayError(
      '{"detail":[{"loc":["header","idempotency-key"],"msg":"Field required","type":"missing"}]}',
    );
    expect(details.message).toBe('header.idempotency-key: Field required');
    expect(details.code).toBe('missing');
  });

  it('tolerates a 422 item without type or msg', () => {
    const details = readZopayError('{"detail":[{"loc":["body","amount"]}]}');
    expect(details).toEqual({ code: null, message: 'amount: invalid value', field: ['amount'] });
  });

  it.each([
    ['a truncated JSON body', '{"detail":'],
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>'],
    ['an empty body', ''],
    ['JSON without detail', '{"error":"x"}'],
    ['a JSON array', '[1,2]'],
    ['a numeric detail', '{"detail":5}'],
  ])('reads %s as no details', (_case, body) => {
    expect(readZopayError(body)).toEqual({ code: null, message: null, field: null });
  });
});
