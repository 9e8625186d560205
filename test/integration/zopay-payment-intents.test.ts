import { afterEach, describe, expect, it } from 'vitest';
import { uniqueId, zopayCreateInput } from '../support/builders.ts';
import { createBehindTheSubgraph } from '../support/emulator-admin.ts';
import {
  createThroughGraphQL,
  GET_PAYMENT_INTENT,
  idempotencyConflictAt,
  type CreatePayload,
} from '../support/operations.ts';
import { useTestStack } from '../support/test-stack.ts';

const stack = useTestStack();
afterEach(() => stack().zopay.faults.clear());

const create = (input: object): Promise<CreatePayload> => createThroughGraphQL(stack(), input);

describe('createPaymentIntent at Zopay', () => {
  it('creates an intent with the exact decimal amount and every mapped field', async () => {
    const input = zopayCreateInput({
      amount: '10.50',
      currencies: ['USDT', 'USDC'],
      externalRef: 'user-42',
      description: 'Order 42',
      metadata: { orderId: '42', items: 3 },
    });
    const payload = await create(input);

    expect(payload.userErrors).toEqual([]);
    expect(payload.replayed).toBe(false);
    expect(payload.clientMutationId).toBe(input.clientMutationId);
    const intent = payload.paymentIntent!;
    expect(intent.id).toBe(`zopay:${intent.providerId}`);
    expect(intent).toMatchObject({
      provider: 'ZOPAY',
      status: 'REQUIRES_PAYMENT_INSTRUMENT',
      providerStatus: 'awaiting_payment',
      amount: { amount: '10.50', currency: 'USDT' },
    });
    expect(intent.details).toMatchObject({
      __typename: 'ZopayPaymentIntentDetails',
      amount: '10.50',
      currencies: ['USDT', 'USDC'],
      externalRef: 'user-42',
      description: 'Order 42',
      metadata: { orderId: '42', items: 3 },
    });
    expect(intent.details.refCode).toMatch(/^ZP[A-Z0-9]{8}$/);
    expect(intent.checkoutUrl).toMatch(/^https:\/\//);
    expect(new Date(intent.createdAt).getTime()).not.toBeNaN();
  });

  it('keeps the written digits of a Float literal all the way to Zopay and back', async () => {
    const answer = await stack().graphql<{ createPaymentIntent: CreatePayload }>(`
      mutation {
        createPaymentIntent(input: {
          clientMutationId: "${uniqueId('zopay-literal')}",
          provider: { zopay: { amount: 1234567890.123456789012, currencies: ["BTC"] } }
        }) { paymentIntent { amount { amount } details { ... on ZopayPaymentIntentDetails { amount } } } userErrors { code } }
      }`);
    const payload = answer.data!.createPaymentIntent;
    expect(payload.userErrors).toEqual([]);
    expect(payload.paymentIntent!.amount.amount).toBe('1234567890.123456789012');
    expect(payload.paymentIntent!.details.amount).toBe('1234567890.123456789012');
  });

  it('replays an identical retry without a second create at Zopay', async () => {
    const input = zopayCreateInput();
    const first = await create(input);
    const before = { ...stack().zopay.stats };
    const retry = await create(input);

    expect(retry.replayed).toBe(true);
    expect(retry.paymentIntent).toEqual(first.paymentIntent);
    expect(stack().zopay.stats).toEqual(before);
  });

  it('answers IDEMPOTENCY_CONFLICT for the same clientMutationId with another input, without calling Zopay', async () => {
    const input = zopayCreateInput();
    await create(input);
    const before = { ...stack().zopay.stats };
    const conflicting = await create({ ...input, provider: { zopay: { ...input.provider.zopay, amount: '11.00' } } });

    expect(conflicting.paymentIntent).toBeNull();
    expect(conflicting.userErrors).toEqual(idempotencyConflictAt('ZOPAY'));
    expect(stack().zopay.stats).toEqual(before);
  });

  it('makes concurrent duplicates share one provider call', async () => {
    const input = zopayCreateInput();
    const before = stack().zopay.stats.createRequests;
    // Slow the one real create down so every duplicate arrives while it is in flight.
    stack().zopay.faults.push({ method: 'POST', delayMs: 300 });
    const payloads = await Promise.all(Array.from({ length: 12 }, () => create(input)));

    expect(stack().zopay.stats.createRequests - before).toBe(1);
    const ids = new Set(payloads.map((payload) => payload.paymentIntent?.id));
    expect(ids.size).toBe(1);
    expect(payloads.filter((payload) => !payload.replayed)).toHaveLength(1);
  });

  it('retries after a 503 with the same Idempotency-Key, so a lost answer never becomes a second intent', async () => {
    const input = zopayCreateInput();
    const minted = stack().zopay.stats.intentsCreated;
    // Zopay creates the intent, then the answer is lost behind a 503: the retry must be replayed by Zopay.
    stack().zopay.faults.push({ method: 'POST', afterHandler: true, status: 503 });
    const payload = await create(input);

    expect(payload.userErrors).toEqual([]);
    expect(stack().zopay.faults.pending).toBe(0);
    expect(stack().zopay.stats.intentsCreated - minted).toBe(1);
    const attempts = stack()
      .log.entries()
      .filter((entry) => entry.msg === 'provider call attempt' && entry.operation === 'zopay.create')
      .slice(-2);
    expect(attempts.map(({ attempt, status }) => ({ attempt, status }))).toEqual([
      { attempt: 1, status: 503 },
      { attempt: 2, status: 201 },
    ]);
  });

  it('retries a 429 after its Retry-After, within the deadline', async () => {
    stack().zopay.faults.push({ method: 'POST', status: 429, headers: { 'retry-after': '1' } });
    const startedAt = performance.now();
    const payload = await create(zopayCreateInput());

    expect(payload.userErrors).toEqual([]);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(1000);
  });

  it('answers RATE_LIMITED when Zopay asks to wait longer than the deadline allows', async () => {
    stack().zopay.faults.push({ method: 'POST', status: 429, headers: { 'retry-after': '120' } });
    const payload = await create(zopayCreateInput());

    expect(payload.userErrors).toEqual([
      expect.objectContaining({ code: 'RATE_LIMITED', provider: 'ZOPAY', providerStatus: 429, retryable: true }),
    ]);
    expect(stack().zopay.faults.pending).toBe(0);
  });

  it('answers PROVIDER_UNAVAILABLE after the retries run out, and a later retry creates exactly one intent', async () => {
    const input = zopayCreateInput();
    const minted = stack().zopay.stats.intentsCreated;
    stack().zopay.faults.push(
      { method: 'POST', afterHandler: true, status: 502 },
      { method: 'POST', status: 503 },
      { method: 'POST', status: 504 },
    );
    const failed = await create(input);
    expect(failed.userErrors).toEqual([
      expect.objectContaining({
        code: 'PROVIDER_UNAVAILABLE',
        provider: 'ZOPAY',
        providerStatus: 504,
        retryable: true,
      }),
    ]);

    const retried = await create(input);
    expect(retried.userErrors).toEqual([]);
    expect(retried.replayed).toBe(false);
    expect(stack().zopay.stats.intentsCreated - minted).toBe(1);
  });

  it("passes Zopay's own 409 idempotency_conflict through with its status and code", async () => {
    const input = zopayCreateInput();
    // The first attempt reaches Zopay but every answer is lost: our record is released, Zopay's is not.
    stack().zopay.faults.push(
      { method: 'POST', afterHandler: true, status: 503 },
      { method: 'POST', afterHandler: true, status: 503 },
      { method: 'POST', afterHandler: true, status: 503 },
    );
    await create(input);
    const payload = await create({ ...input, provider: { zopay: { ...input.provider.zopay, amount: '99.99' } } });

    expect(payload.userErrors).toEqual([
      expect.objectContaining({
        code: 'IDEMPOTENCY_CONFLICT',
        provider: 'ZOPAY',
        providerStatus: 409,
        providerCode: 'idempotency_conflict',
        retryable: false,
      }),
    ]);
  });

  it.each([
    ['a structured detail', { detail: { code: 'idempotency_key_in_use', message: 'Still processing' } }],
    ['a plain-string detail', { detail: 'idempotency_key_in_use' }],
  ])('maps a Zopay 409 idempotency_key_in_use in %s to a retryable IDEMPOTENCY_KEY_IN_USE', async (_shape, body) => {
    stack().zopay.faults.push({ method: 'POST', status: 409, body });
    const payload = await create(zopayCreateInput());

    expect(payload.userErrors).toEqual([
      expect.objectContaining({
        code: 'IDEMPOTENCY_KEY_IN_USE',
        provider: 'ZOPAY',
        providerStatus: 409,
        providerCode: 'idempotency_key_in_use',
        retryable: true,
      }),
    ]);
  });

  it('maps a Zopay 422 to PROVIDER_VALIDATION_FAILED pointing at the input field', async () => {
    stack().zopay.faults.push({
      method: 'POST',
      status: 422,
      body: { detail: [{ loc: ['body', 'currencies', 0], msg: 'Unsupported asset', type: 'value_error' }] },
    });
    const payload = await create(zopayCreateInput({ currencies: ['DOGE2'] }));

    expect(payload.userErrors).toEqual([
      {
        code: 'PROVIDER_VALIDATION_FAILED',
        message: 'Zopay rejected the payment intent (value_error) because of its currencies.0',
        field: ['provider', 'zopay', 'currencies', '0'],
        provider: 'ZOPAY',
        providerStatus: 422,
        providerCode: 'value_error',
        retryable: false,
      },
    ]);
  });

  it('logs a Zopay error text quoting our key across its 1,000-character cut without any of the key', async () => {
    const { apiKey } = stack().zopay;
    // The key starts 20 characters before the 1,000 kept of a provider's text.
    const detail = `${'x'.repeat(980)}${apiKey} was rejected`;
    stack().zopay.faults.push({ method: 'POST', status: 400, body: { detail } });
    const payload = await create(zopayCreateInput());

    expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'PROVIDER_VALIDATION_FAILED' })]);
    const refusal = stack()
      .log.entries()
      .findLast((entry) => entry.msg === 'Zopay did not create the payment intent');
    expect(refusal?.providerMessage).toMatch(/^x{980}\[redacted\]/);
    expect(stack().log.text).not.toContain(apiKey.slice(0, 20));
  });

  it('answers PROVIDER_UNAVAILABLE when connections drop', async () => {
    stack().zopay.faults.push(
      { method: 'POST', destroySocket: true },
      { method: 'POST', destroySocket: true },
      { method: 'POST', destroySocket: true },
    );
    const payload = await create(zopayCreateInput());
    expect(payload.userErrors).toEqual([
      expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE', providerStatus: null, retryable: true }),
    ]);
  });

  it('rejects invalid input with INVALID_INPUT and sends nothing', async () => {
    const before = { ...stack().zopay.stats };
    const payload = await create(zopayCreateInput({ amount: '0', currencies: [], externalRef: 'x'.repeat(256) }));

    expect(payload.paymentIntent).toBeNull();
    expect(payload.userErrors.map((error) => [error.code, error.field])).toEqual([
      ['INVALID_INPUT', ['provider', 'zopay', 'amount']],
      ['INVALID_INPUT', ['provider', 'zopay', 'currencies']],
      ['INVALID_INPUT', ['provider', 'zopay', 'externalRef']],
    ]);
    expect(stack().zopay.stats).toEqual(before);
  });
});

describe('paymentIntent for Zopay ids', () => {
  it('reads an intent back from Zopay, with its current status', async () => {
    const created = (await create(zopayCreateInput())).paymentIntent!;
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id: created.id });
    expect(read.data!.paymentIntent).toEqual(created);

    stack().zopay.setStatus(created.providerId, 'completed');
    const completed = await stack().graphql(GET_PAYMENT_INTENT, { id: created.id });
    expect(completed.data!.paymentIntent).toMatchObject({ status: 'COMPLETED', providerStatus: 'completed' });
  });

  it("takes a stored intent's new status from an answer that carries no amount, the rest from the stored copy", async () => {
    const created = (await create(zopayCreateInput())).paymentIntent!;
    stack().zopay.faults.push({
      method: 'GET',
      pathIncludes: created.providerId,
      status: 200,
      body: { id: created.providerId, status: 'completed' },
    });
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id: created.id });

    expect(read.errors).toBeUndefined();
    expect(read.data!.paymentIntent).toEqual({ ...created, status: 'COMPLETED', providerStatus: 'completed' });
    expect(stack().zopay.faults.pending).toBe(0);
  });

  it('maps a status Zopay never documented to UNKNOWN and keeps the raw string', async () => {
    const created = (await create(zopayCreateInput())).paymentIntent!;
    stack().zopay.setStatus(created.providerId, 'partially_refunded_v2');
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id: created.id });
    expect(read.data!.paymentIntent).toMatchObject({ status: 'UNKNOWN', providerStatus: 'partially_refunded_v2' });
  });

  it.each(['zopay:pi_doesnotexist', 'zopay:../../admin', 'stripe:pi_123', 'no-prefix', 'ZOPAY:pi_1', 'zopay:'])(
    'answers null for %s',
    async (id) => {
      const read = await stack().graphql(GET_PAYMENT_INTENT, { id });
      expect(read.errors).toBeUndefined();
      expect(read.data!.paymentIntent).toBeNull();
    },
  );

  it('answers a typed PROVIDER_UNAVAILABLE error when Zopay keeps failing a read of an intent not stored here', async () => {
    const id = await createBehindTheSubgraph('ZOPAY', stack().zopay);
    stack().zopay.faults.push(...Array.from({ length: 3 }, () => ({ method: 'GET', status: 503 })));
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id });

    expect(read.status).toBe(200);
    expect(read.data!.paymentIntent).toBeNull();
    expect(read.errors).toEqual([
      expect.objectContaining({
        path: ['paymentIntent'],
        extensions: { code: 'PROVIDER_UNAVAILABLE', provider: 'ZOPAY', providerStatus: 503, retryable: true },
      }),
    ]);
  });

  it('serves the stored copy, without an error, when Zopay fails a read of an intent stored here', async () => {
    const created = (await create(zopayCreateInput())).paymentIntent!;
    stack().zopay.faults.push(...Array.from({ length: 3 }, () => ({ method: 'GET', status: 503 })));
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id: created.id });

    expect(read.errors).toBeUndefined();
    expect(read.data!.paymentIntent).toMatchObject({ id: created.id, status: created.status, amount: created.amount });
    expect(stack().zopay.faults.pending).toBe(0);
    expect(
      stack()
        .log.entries()
        .some((entry) => entry.msg === 'provider read failed: serving the stored copy'),
    ).toBe(true);
  });
});

describe('what responses never contain', () => {
  it('has answered without the API key, the provider URL or a provider error body', () => {
    expect(stack().responses.length).toBeGreaterThan(10);
    for (const body of stack().responses) {
      expect(body).not.toContain(stack().zopay.apiKey);
      expect(body).not.toContain(stack().zopay.baseUrl);
      expect(body).not.toContain('127.0.0.1');
      // The pieces of a FastAPI error body: its text may be quoted, its body never passed on.
      for (const rawKey of ['"detail"', '"loc"', '"msg"']) expect(body).not.toContain(rawKey);
    }
  });
});
