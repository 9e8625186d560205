import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startZiinaEmulator, type ZiinaEmulator } from '../../../emulators/ziina/ziina-emulator.ts';
import { call, postJson } from '../../support/http.ts';

const API_KEY = 'ziina-emulator-tests';
const NOW = Date.parse('2025-03-01T10:00:00.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let emulator: ZiinaEmulator;

beforeEach(async () => {
  emulator = await startZiinaEmulator({ apiKey: API_KEY, now: () => NOW });
});

afterEach(async () => {
  await emulator.close();
});

const intentUrl = () => `${emulator.baseUrl}/payment_intent`;
const auth = { authorization: `Bearer ${API_KEY}` };
const create = (body: unknown, headers: Record<string, string> = auth) => postJson(intentUrl(), body, headers);
const validBody = { amount: 1050, currency_code: 'AED' };

describe('startZiinaEmulator', () => {
  it('mirrors the real base URL and defaults to a random key', async () => {
    const other = await startZiinaEmulator();
    try {
      expect(other.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
      expect(other.apiKey.length).toBeGreaterThanOrEqual(32);
      expect(other.apiKey).not.toBe(emulator.apiKey);
    } finally {
      await other.close();
    }
  });
});

describe('POST /payment_intent', () => {
  it('answers 201 with the documented payment intent', async () => {
    const answer = await create({
      amount: 1050,
      currency_code: 'AED',
      message: 'Order 42',
      success_url: 'https://shop.example/ok',
      cancel_url: 'https://shop.example/cancel',
      test: true,
      expiry: String(NOW + 60_000),
      allow_tips: true,
      operation_id: '0b6f7a0e-2c1d-4f5e-8a9b-1c2d3e4f5a6b',
    });

    expect(answer.status).toBe(201);
    const intent = answer.json;
    expect(intent.id).toMatch(UUID);
    expect(intent.account_id).toMatch(UUID);
    expect(intent).toEqual({
      id: intent.id,
      account_id: intent.account_id,
      amount: 1050,
      tip_amount: 0,
      fee_amount: null,
      currency_code: 'AED',
      created_at: String(NOW),
      status: 'requires_payment_instrument',
      operation_id: '0b6f7a0e-2c1d-4f5e-8a9b-1c2d3e4f5a6b',
      message: 'Order 42',
      redirect_url: `https://pay.ziina.com/payment_intent/${intent.id}`,
      embedded_url: `https://pay.ziina.com/payment_intent/${intent.id}?embedded=true`,
      success_url: 'https://shop.example/ok',
      cancel_url: 'https://shop.example/cancel',
      failure_url: null,
      latest_error: null,
      allow_tips: true,
    });
    expect(emulator.stats).toMatchObject({ createRequests: 1, intentsCreated: 1 });
  });

  it('answers null for what was not sent and allow_tips false by default', async () => {
    const answer = await create(validBody);

    expect(answer.json).toMatchObject({
      operation_id: null,
      message: null,
      success_url: null,
      cancel_url: null,
      failure_url: null,
      allow_tips: false,
    });
  });

  it('mints a new intent for every create, even with the same operation_id', async () => {
    const body = { ...validBody, operation_id: '7d9f3c2a-1b4e-4c8d-9e0f-a1b2c3d4e5f6' };
    const first = await create(body);
    const second = await create(body);

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json.id).not.toBe(first.json.id);
    expect(second.json.account_id).toBe(first.json.account_id);
    expect(emulator.stats).toMatchObject({ createRequests: 2, intentsCreated: 2 });
  });

  it('mints deterministic ids from the key and a counter', async () => {
    const twin = await startZiinaEmulator({ apiKey: API_KEY, now: () => NOW });
    try {
      const first = await create(validBody);
      const twinFirst = await postJson(`${twin.baseUrl}/payment_intent`, validBody, auth);
      expect(twinFirst.json.id).toBe(first.json.id);
      expect(twinFirst.json.account_id).toBe(first.json.account_id);
    } finally {
      await twin.close();
    }
  });
});

describe('authentication', () => {
  it.each([
    ['missing', {}],
    ['wrong', { authorization: 'Bearer nope' }],
  ])('refuses a %s token on create, before validating', async (_case, headers) => {
    const answer = await create({ amount: -1 }, headers);

    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ message: 'Unauthorized', statusCode: 401 });
    expect(emulator.stats.createRequests).toBe(0);
  });

  it('refuses a missing token on GET before looking the id up', async () => {
    const answer = await call(`${intentUrl()}/not-a-uuid`);

    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ message: 'Unauthorized', statusCode: 401 });
  });
});

describe('request validation (400, class-validator messages)', () => {
  const expectMessages = async (body: unknown, messages: string[]) => {
    const answer = await create(body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ statusCode: 400, message: messages, error: 'Bad Request' });
    expect(emulator.stats.intentsCreated).toBe(0);
  };

  it.each([
    ['a fraction', 10.5],
    ['zero', 0],
    ['negative', -100],
    ['a string', '1050'],
    ['missing', undefined],
  ])('refuses an amount that is %s', async (_case, amount) => {
    await expectMessages({ ...validBody, amount }, ['amount must be a positive integer']);
  });

  it.each([
    ['lower case', 'aed'],
    ['too long', 'AEDX'],
    ['missing', undefined],
    ['a number', 784],
  ])('refuses a currency_code that is %s', async (_case, currency_code) => {
    await expectMessages({ ...validBody, currency_code }, [
      'currency_code must be a 3-letter upper-case ISO-4217 currency code',
    ]);
  });

  it('refuses non-string messages, non-URL urls and non-boolean flags', async () => {
    await expectMessages(
      {
        ...validBody,
        message: 42,
        success_url: 'not a url',
        cancel_url: 'ftp://shop.example/cancel',
        failure_url: 7,
        test: 'yes',
        allow_tips: 1,
      },
      [
        'message must be a string',
        'success_url must be a URL address',
        'cancel_url must be a URL address',
        'failure_url must be a string',
        'test must be a boolean value',
        'allow_tips must be a boolean value',
      ],
    );
  });

  it.each([
    ['not digits', 'tomorrow', 'expiry must be a number string'],
    ['a number', NOW + 60_000, 'expiry must be a number string'],
    ['now', String(NOW), 'expiry must be a future date'],
    ['in the past', String(NOW - 1), 'expiry must be a future date'],
  ])('refuses an expiry that is %s', async (_case, expiry, message) => {
    await expectMessages({ ...validBody, expiry }, [message]);
  });

  it('refuses an operation_id that is not a UUID', async () => {
    await expectMessages({ ...validBody, operation_id: 'order-42' }, ['operation_id must be a UUID']);
  });

  it('refuses unknown properties, listed first', async () => {
    await expectMessages({ amount: 0, currency_code: 'AED', currency: 'AED', foo: 1 }, [
      'property currency should not exist',
      'property foo should not exist',
      'amount must be a positive integer',
    ]);
  });

  it('treats null optional properties as absent', async () => {
    const answer = await create({ ...validBody, message: null, success_url: null, expiry: null, operation_id: null });
    expect(answer.status).toBe(201);
  });

  it('answers a single message for a body that is not JSON', async () => {
    const answer = await create('{"amount": ');
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ statusCode: 400, message: expect.any(String), error: 'Bad Request' });
  });
});

describe('business rules (400 {code, message})', () => {
  it.each([
    ['AED', 199, 'TRANSFER_UNDER_MINIMUM'],
    ['AED', 200, undefined],
    ['JPY', 1, 'TRANSFER_UNDER_MINIMUM'],
    ['JPY', 2, undefined],
    ['KWD', 1999, 'TRANSFER_UNDER_MINIMUM'],
    ['KWD', 2000, undefined],
    ['AED', 10_000_000, undefined],
    ['AED', 10_000_001, 'TRANSFER_EXCEEDS_LIMIT'],
    ['JPY', 100_001, 'TRANSFER_EXCEEDS_LIMIT'],
    ['BHD', 100_000_001, 'TRANSFER_EXCEEDS_LIMIT'],
    ['XYZ', 1000, 'CURRENCY_NOT_SUPPORTED'],
    ['INR', 1000, 'CURRENCY_NOT_SUPPORTED'],
  ])('%s %d -> %s', async (currency_code, amount, code) => {
    const answer = await create({ amount, currency_code });
    if (code === undefined) {
      expect(answer.status).toBe(201);
    } else {
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ code, message: expect.any(String) });
      expect(emulator.stats.intentsCreated).toBe(0);
    }
  });
});

describe('GET /payment_intent/:id', () => {
  it('answers the created object and reflects setStatus', async () => {
    const created = await create(validBody);
    const url = `${intentUrl()}/${created.json.id}`;
    const readsBefore = emulator.stats.readRequests;

    const fetched = await call(url, { headers: auth });
    expect(fetched.status).toBe(200);
    expect(fetched.json).toEqual(created.json);
    expect(emulator.stats.readRequests).toBe(readsBefore + 1);

    expect(emulator.setStatus(created.json.id, 'completed')).toBe(true);
    expect((await call(url, { headers: auth })).json).toEqual({ ...created.json, status: 'completed' });
  });

  it('fills latest_error when the intent fails', async () => {
    const created = await create(validBody);
    emulator.setStatus(created.json.id, 'failed');

    const fetched = await call(`${intentUrl()}/${created.json.id}`, { headers: auth });
    expect(fetched.json).toMatchObject({
      status: 'failed',
      latest_error: { message: 'Card declined', code: 'card_declined' },
    });
  });

  it.each([
    ['unknown', '3f1e2d4c-5b6a-4798-8a7b-6c5d4e3f2a1b'],
    ['malformed', 'not-a-uuid'],
  ])('answers 400 PAYMENT_INTENT_NOT_FOUND for an %s id', async (_case, id) => {
    const answer = await call(`${intentUrl()}/${id}`, { headers: auth });

    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ code: 'PAYMENT_INTENT_NOT_FOUND', message: 'Payment intent not found' });
  });

  it('setStatus answers false for an unknown id', () => {
    expect(emulator.setStatus('3f1e2d4c-5b6a-4798-8a7b-6c5d4e3f2a1b', 'completed')).toBe(false);
  });
});

describe('other routes', () => {
  it('answers the NestJS 404 body, without asking for a token', async () => {
    const answer = await call(`${emulator.baseUrl}/refunds`);

    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ message: 'Cannot GET /api/refunds', error: 'Not Found', statusCode: 404 });
  });
});
