import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startZopayEmulator, type ZopayEmulator } from '../../../emulators/zopay/zopay-emulator.ts';
import { emulatorAdminUrl } from '../../support/emulator-admin.ts';
import { call, postJson } from '../../support/http.ts';

const API_KEY = 'sk_test_emulator_tests';
const START = Date.parse('2025-03-01T10:00:00.000Z');
const HOUR = 60 * 60 * 1000;

let emulator: ZopayEmulator;
let nowMs: number;
let keyCounter = 0;

beforeEach(async () => {
  nowMs = START;
  emulator = await startZopayEmulator({ apiKey: API_KEY, now: () => nowMs });
});

afterEach(async () => {
  await emulator.close();
});

const intentsUrl = () => `${emulator.baseUrl}/payment-intents`;
const auth = { authorization: `Bearer ${API_KEY}` };
const freshKey = () => `test-key-${++keyCounter}`;

function create(body: unknown, headers: Record<string, string> = { ...auth, 'idempotency-key': freshKey() }) {
  return postJson(intentsUrl(), body, headers);
}

describe('startZopayEmulator', () => {
  it('mirrors the real base URL and defaults to a random sandbox key', async () => {
    const other = await startZopayEmulator();
    try {
      expect(other.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/connect\/v1$/);
      expect(other.apiKey).toMatch(/^sk_test_[0-9a-f]{32,}$/);
      expect(other.apiKey).not.toBe(emulator.apiKey);
    } finally {
      await other.close();
    }
  });
});

describe('POST /payment-intents', () => {
  it('mints an intent with the documented and assumed fields', async () => {
    const answer = await create({
      amount: '10.50',
      currencies: ['USDT', 'BTC'],
      external_ref: 'user-42',
      description: 'Order 42',
      metadata: { order: '42', quantity: 3 },
    });

    expect(answer.status).toBe(201);
    const intent = answer.json;
    expect(intent.id).toMatch(/^pi_[0-9a-f]{24}$/);
    expect(intent.ref_code).toMatch(/^ZP[0-9A-Z]{8}$/);
    expect(intent).toMatchObject({
      status: 'awaiting_payment',
      amount: '10.50',
      currencies: ['USDT', 'BTC'],
      external_ref: 'user-42',
      description: 'Order 42',
      metadata: { order: '42', quantity: 3 },
      created_at: '2025-03-01T10:00:00.000Z',
      expires_at: '2025-03-01T11:00:00.000Z',
      payment_url: `https://pay.sandbox.zopay.cash/i/${intent.id}`,
    });
    expect(intent.deposit_addresses.map((address: { currency: string }) => address.currency)).toEqual(
      expect.arrayContaining(['USDT', 'BTC']),
    );
    for (const address of intent.deposit_addresses) {
      expect(address).toEqual({
        currency: expect.any(String),
        network: expect.any(String),
        address: expect.any(String),
      });
    }
    expect(emulator.stats).toMatchObject({ createRequests: 1, intentsCreated: 1 });
  });

  it('answers null for the optional fields left out', async () => {
    const answer = await create({ amount: '1', currencies: ['ETH'] });

    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({ external_ref: null, description: null, metadata: null });
  });

  it('keeps amounts exactly as sent, JSON numbers included', async () => {
    const asNumber = await create(
      '{"amount": 12345678901234567890.10, "currencies": ["USDT"], "metadata": {"n": 0.1000000000000000000001}}',
    );
    const asString = await create({ amount: '0.000000000000000000000001', currencies: ['USDT'] });

    expect(asNumber.json.amount).toBe('12345678901234567890.10');
    expect(asNumber.text).toContain('"metadata":{"n":0.1000000000000000000001}');
    expect(asString.json.amount).toBe('0.000000000000000000000001');
  });

  it('mints deterministic ids and ref codes from the key and a counter', async () => {
    const twin = await startZopayEmulator({ apiKey: API_KEY, now: () => nowMs });
    try {
      const first = await create({ amount: '1', currencies: ['BTC'] });
      const second = await create({ amount: '1', currencies: ['BTC'] });
      const twinFirst = await postJson(
        `${twin.baseUrl}/payment-intents`,
        { amount: '1', currencies: ['BTC'] },
        {
          ...auth,
          'idempotency-key': 'twin',
        },
      );

      expect(twinFirst.json.id).toBe(first.json.id);
      expect(twinFirst.json.ref_code).toBe(first.json.ref_code);
      expect(twinFirst.json.deposit_addresses).toEqual(first.json.deposit_addresses);
      expect(second.json.id).not.toBe(first.json.id);
      expect(second.json.ref_code).not.toBe(first.json.ref_code);
    } finally {
      await twin.close();
    }
  });
});

describe('Idempotency-Key header (parsed before auth)', () => {
  it('is required', async () => {
    const answer = await create({ amount: '1', currencies: ['BTC'] }, auth);

    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ detail: { code: 'idempotency_key_required', message: expect.any(String) } });
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not printable ASCII', 'clé'],
    ['a control character', 'a\tb'],
  ])('is invalid when %s', async (_case, key) => {
    const answer = await create({ amount: '1', currencies: ['BTC'] }, { ...auth, 'idempotency-key': key });

    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ detail: { code: 'idempotency_key_invalid', message: expect.any(String) } });
  });

  it('accepts 255 printable ASCII characters', async () => {
    const answer = await create(
      { amount: '1', currencies: ['BTC'] },
      { ...auth, 'idempotency-key': `${'k'.repeat(250)} ~!@#` },
    );

    expect(answer.status).toBe(201);
  });

  it('is checked before the API key', async () => {
    const answer = await create({ amount: '1', currencies: ['BTC'] }, {});

    expect(answer.status).toBe(400);
    expect(answer.json.detail.code).toBe('idempotency_key_required');
  });
});

describe('authentication', () => {
  it.each([
    ['missing', {}],
    ['wrong', { authorization: 'Bearer sk_test_wrong' }],
    ['not a bearer', { authorization: `Basic ${API_KEY}` }],
  ])('refuses a %s API key on create', async (_case, authorization) => {
    const answer = await create(
      { amount: '1', currencies: ['BTC'] },
      { ...authorization, 'idempotency-key': freshKey() },
    );

    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ detail: 'Invalid or missing API key' });
    expect(emulator.stats).toEqual({ createRequests: 0, intentsCreated: 0, readRequests: 0 });
  });

  it('refuses a missing API key on GET before looking the id up', async () => {
    const answer = await call(`${intentsUrl()}/pi_unknown`);

    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ detail: 'Invalid or missing API key' });
  });
});

describe('request validation (422, every violation listed)', () => {
  const validBody = { amount: '5', currencies: ['BTC'] };
  const expectViolations = async (body: unknown, errors: unknown[]) => {
    const answer = await create(body);
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({ detail: errors });
    expect(emulator.stats.intentsCreated).toBe(0);
  };

  it('refuses a body that is not JSON', async () => {
    await expectViolations('{"amount": ', [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]);
  });

  it('refuses an empty body', async () => {
    await expectViolations('', [{ loc: ['body'], msg: 'Field required', type: 'missing' }]);
  });

  it('refuses a body that is not an object', async () => {
    await expectViolations(
      [validBody],
      [
        {
          loc: ['body'],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          type: 'model_attributes_type',
        },
      ],
    );
  });

  it('refuses unknown fields', async () => {
    await expectViolations({ ...validBody, currency: 'BTC' }, [
      { loc: ['body', 'currency'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' },
    ]);
  });

  it('requires amount and currencies', async () => {
    await expectViolations({}, [
      { loc: ['body', 'amount'], msg: 'Field required', type: 'missing' },
      { loc: ['body', 'currencies'], msg: 'Field required', type: 'missing' },
    ]);
  });

  it.each([
    ['zero', '0', 'greater_than'],
    ['negative', '-1.5', 'greater_than'],
    ['zero as a JSON number', 0, 'greater_than'],
    ['not a decimal', 'ten', 'decimal_parsing'],
    ['a boolean', true, 'decimal_type'],
  ])('refuses an amount that is %s', async (_case, amount, type) => {
    const answer = await create({ ...validBody, amount });
    expect(answer.status).toBe(422);
    expect(answer.json.detail).toEqual([{ loc: ['body', 'amount'], msg: expect.any(String), type }]);
  });

  it.each([
    ['empty', [], [{ loc: ['body', 'currencies'], type: 'too_short' }]],
    [
      'longer than 10',
      Array.from({ length: 11 }, (_, i) => `C${i}`),
      [{ loc: ['body', 'currencies'], type: 'too_long' }],
    ],
    ['holding an empty code', ['BTC', ''], [{ loc: ['body', 'currencies', 1], type: 'string_too_short' }]],
    ['holding a number', [7], [{ loc: ['body', 'currencies', 0], type: 'string_type' }]],
    ['not a list', 'BTC', [{ loc: ['body', 'currencies'], type: 'list_type' }]],
  ])('refuses currencies %s', async (_case, currencies, expected) => {
    const answer = await create({ ...validBody, currencies });
    expect(answer.status).toBe(422);
    expect(answer.json.detail).toEqual(expected.map((error) => ({ ...error, msg: expect.any(String) })));
  });

  it('accepts 10 currencies', async () => {
    const answer = await create({ ...validBody, currencies: Array.from({ length: 10 }, (_, i) => `C${i}`) });
    expect(answer.status).toBe(201);
  });

  it('limits external_ref to 255 and description to 500 code points', async () => {
    await expectViolations({ ...validBody, external_ref: 'r'.repeat(256), description: 'd'.repeat(501) }, [
      { loc: ['body', 'external_ref'], msg: 'String should have at most 255 characters', type: 'string_too_long' },
      { loc: ['body', 'description'], msg: 'String should have at most 500 characters', type: 'string_too_long' },
    ]);
  });

  it('counts code points, not UTF-16 units', async () => {
    // 255 emoji are 510 UTF-16 units but 255 characters for Python.
    const answer = await create({ ...validBody, external_ref: '💶'.repeat(255), description: '💶'.repeat(500) });
    expect(answer.status).toBe(201);
  });

  it('limits metadata to 50 keys', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await expectViolations({ ...validBody, metadata }, [
      { loc: ['body', 'metadata'], msg: expect.stringMatching(/^Value error, /), type: 'value_error' },
    ]);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect((await create({ ...validBody, metadata: fifty })).status).toBe(201);
  });

  it('limits metadata values to 500 characters, non-string values by their JSON text', async () => {
    await expectViolations(
      { ...validBody, metadata: { ok: 'v'.repeat(500), long: 'v'.repeat(501), list: ['x'.repeat(498)] } },
      [
        { loc: ['body', 'metadata', 'long'], msg: expect.stringMatching(/^Value error, /), type: 'value_error' },
        { loc: ['body', 'metadata', 'list'], msg: expect.stringMatching(/^Value error, /), type: 'value_error' },
      ],
    );
  });

  it('refuses metadata that is not an object', async () => {
    await expectViolations({ ...validBody, metadata: ['a'] }, [
      { loc: ['body', 'metadata'], msg: 'Input should be a valid dictionary', type: 'dict_type' },
    ]);
  });

  it('lists all violations at once', async () => {
    const answer = await create({ amount: '0', currencies: [], description: 5, extra: true });
    expect(answer.status).toBe(422);
    expect(answer.json.detail.map((error: { loc: unknown[] }) => error.loc)).toEqual([
      ['body', 'amount'],
      ['body', 'currencies'],
      ['body', 'description'],
      ['body', 'extra'],
    ]);
  });
});

describe('idempotency', () => {
  const body = JSON.stringify({ amount: '25.00', currencies: ['USDC'] });

  it('replays the stored answer verbatim without minting again', async () => {
    const headers = { ...auth, 'idempotency-key': 'order-1' };
    const first = await postJson(intentsUrl(), body, headers);
    nowMs += HOUR;
    const replay = await postJson(intentsUrl(), body, headers);

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(emulator.stats).toMatchObject({ createRequests: 2, intentsCreated: 1 });
  });

  it('replays a stored 422 too', async () => {
    const headers = { ...auth, 'idempotency-key': 'bad-order' };
    const first = await postJson(intentsUrl(), '{"amount": "0"}', headers);
    const replay = await postJson(intentsUrl(), '{"amount": "0"}', headers);

    expect(first.status).toBe(422);
    expect(replay.status).toBe(422);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers 409 idempotency_conflict for the same key with another body, even one differing only in bytes', async () => {
    const headers = { ...auth, 'idempotency-key': 'order-2' };
    await postJson(intentsUrl(), body, headers);
    const otherAmount = await postJson(intentsUrl(), { amount: '26.00', currencies: ['USDC'] }, headers);
    const otherSpacing = await postJson(intentsUrl(), body.replace(':', ': '), headers);

    for (const answer of [otherAmount, otherSpacing]) {
      expect(answer.status).toBe(409);
      expect(answer.json).toEqual({ detail: { code: 'idempotency_conflict', message: expect.any(String) } });
    }
    expect(emulator.stats).toMatchObject({ createRequests: 1, intentsCreated: 1 });
  });

  it('forgets a key after 24 hours', async () => {
    const headers = { ...auth, 'idempotency-key': 'order-3' };
    const first = await postJson(intentsUrl(), body, headers);
    nowMs += 24 * HOUR;
    const later = await postJson(intentsUrl(), body, headers);

    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.json.id).not.toBe(first.json.id);
    expect(emulator.stats.intentsCreated).toBe(2);
  });

  it('answers 409 idempotency_key_in_use while the first request with the key is still being handled', async () => {
    const headers = { ...auth, 'idempotency-key': 'order-4' };
    emulator.faults.push({ method: 'POST', delayMs: 400 });
    const slow = postJson(intentsUrl(), body, headers);
    // The fault is taken and the key claimed in the same tick: once the queue is empty the key is held.
    await expect.poll(() => emulator.faults.pending, { interval: 5 }).toBe(0);

    const concurrent = await postJson(intentsUrl(), body, headers);
    expect(concurrent.status).toBe(409);
    expect(concurrent.json).toEqual({ detail: { code: 'idempotency_key_in_use', message: expect.any(String) } });

    expect((await slow).status).toBe(201);
    const after = await postJson(intentsUrl(), body, headers);
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(emulator.stats.intentsCreated).toBe(1);
  });

  it('mints a fresh intent and ref_code for each new key: the create itself is not idempotent', async () => {
    const first = await create(JSON.parse(body));
    const second = await create(JSON.parse(body));

    expect(second.json.id).not.toBe(first.json.id);
    expect(second.json.ref_code).not.toBe(first.json.ref_code);
  });
});

describe('zopay idempotency and faults', () => {
  it('stores the handler answer behind an afterHandler fault, so a retry gets the minted intent', async () => {
    const headers = { ...auth, 'idempotency-key': 'lost-response' };
    const body = { amount: '10', currencies: ['USDT'] };
    emulator.faults.push({ afterHandler: true, status: 504 });

    expect((await postJson(intentsUrl(), body, headers)).status).toBe(504);
    const retry = await postJson(intentsUrl(), body, headers);

    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const listed = await call(emulatorAdminUrl(emulator.baseUrl, 'payment-intents'));
    expect(listed.json).toEqual([retry.json]);
    expect(emulator.stats).toMatchObject({ createRequests: 2, intentsCreated: 1 });
  });

  it('never stores an injected answer', async () => {
    const headers = { ...auth, 'idempotency-key': 'faulted-first' };
    const body = { amount: '10', currencies: ['USDT'] };
    emulator.faults.push({ status: 503 });

    expect((await postJson(intentsUrl(), body, headers)).status).toBe(503);
    const retry = await postJson(intentsUrl(), body, headers);

    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('GET /payment-intents/:id', () => {
  it('answers the created object and reflects setStatus', async () => {
    const created = await create({ amount: '3', currencies: ['SOL'], metadata: { a: 'b' } });
    const url = `${intentsUrl()}/${created.json.id}`;
    const readsBefore = emulator.stats.readRequests;

    const fetched = await call(url, { headers: auth });
    expect(fetched.status).toBe(200);
    expect(fetched.json).toEqual(created.json);
    expect(emulator.stats.readRequests).toBe(readsBefore + 1);

    expect(emulator.setStatus(created.json.id, 'some_future_status')).toBe(true);
    const updated = await call(url, { headers: auth });
    expect(updated.json).toEqual({ ...created.json, status: 'some_future_status' });
  });

  it('answers 404 not_found for an unknown id', async () => {
    const answer = await call(`${intentsUrl()}/pi_000000000000000000000000`, { headers: auth });

    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ detail: { code: 'not_found', message: 'Payment intent not found' } });
  });

  it('setStatus answers false for an unknown id', () => {
    expect(emulator.setStatus('pi_missing', 'paid')).toBe(false);
  });
});

describe('other routes', () => {
  it('answers FastAPI 404 and 405 bodies', async () => {
    const unknown = await call(`${emulator.baseUrl}/refunds`, { headers: auth });
    const wrongMethod = await call(intentsUrl(), { method: 'DELETE', headers: auth });

    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ detail: 'Not Found' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json).toEqual({ detail: 'Method Not Allowed' });
  });
});
