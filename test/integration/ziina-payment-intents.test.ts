import { setTimeout as sleep } from 'node:timers/promises';
import { v5 as uuidv5 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { uniqueId, ziinaCreateInput } from '../support/builders.ts';
import {
  createThroughGraphQL,
  GET_PAYMENT_INTENT,
  idempotencyConflictAt,
  type CreatePayload,
} from '../support/operations.ts';
import { useTestStack } from '../support/test-stack.ts';

const stack = useTestStack();
afterEach(() => stack().ziina.faults.clear());

const create = (input: object): Promise<CreatePayload> => createThroughGraphQL(stack(), input);

describe('createPaymentIntent at Ziina', () => {
  it('creates an intent with every field mapped to Ziina and back', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const input = ziinaCreateInput({
      amountMinor: 1050,
      currencyCode: 'AED',
      message: 'Order 7',
      successUrl: 'https://shop.example/ok',
      cancelUrl: 'https://shop.example/cancel',
      failureUrl: 'https://shop.example/failed',
      test: true,
      expiresAt,
      allowTips: true,
    });
    const payload = await create(input);

    expect(payload.userErrors).toEqual([]);
    const intent = payload.paymentIntent!;
    expect(intent).toMatchObject({
      id: `ziina:${intent.providerId}`,
      provider: 'ZIINA',
      status: 'REQUIRES_PAYMENT_INSTRUMENT',
      providerStatus: 'requires_payment_instrument',
      amount: { amount: '10.50', currency: 'AED' },
      checkoutUrl: `https://pay.ziina.com/payment_intent/${intent.providerId}`,
    });
    expect(intent.details).toMatchObject({
      __typename: 'ZiinaPaymentIntentDetails',
      amountMinor: 1050,
      tipAmountMinor: 0,
      currencyCode: 'AED',
      message: 'Order 7',
      successUrl: 'https://shop.example/ok',
      cancelUrl: 'https://shop.example/cancel',
      failureUrl: 'https://shop.example/failed',
      allowTips: true,
      latestError: null,
    });
    expect(intent.details.operationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ['JPY', 500, '500'],
    ['KWD', 2500, '2.500'],
    ['BHD', 2005, '2.005'],
    ['USD', 250, '2.50'],
  ])('converts %s minor units with the ISO-4217 exponent', async (currencyCode, amountMinor, amount) => {
    const payload = await create(ziinaCreateInput({ currencyCode, amountMinor }));
    expect(payload.userErrors).toEqual([]);
    expect(payload.paymentIntent!.amount).toEqual({ amount, currency: currencyCode });
  });

  it('sends a UUID clientMutationId as operation_id, lower-cased, and derives a stable UUIDv5 otherwise', async () => {
    const uuid = 'A3B1C2D4-0000-4000-8000-00000000ABCD';
    const fromUuid = await create(ziinaCreateInput({}, uuid));
    expect(fromUuid.paymentIntent!.details.operationId).toBe(uuid.toLowerCase());

    const text = uniqueId('ziina-derived');
    const derived = await create(ziinaCreateInput({}, text));
    expect(derived.paymentIntent!.details.operationId).not.toBe(text);
    // A retry after our record is gone must send the same operation_id: derivation is pure.
    const again = await create(ziinaCreateInput({ amountMinor: 999 }, text));
    expect(again.userErrors[0]?.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(derived.paymentIntent!.details.operationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(derived.paymentIntent!.details.operationId).not.toBe(uuidv5(text, uuidv5.URL));
  });

  it('replays an identical retry: Ziina, which has no idempotency, sees one create', async () => {
    const input = ziinaCreateInput();
    const first = await create(input);
    const minted = stack().ziina.stats.intentsCreated;
    const retry = await create(input);

    expect(retry.replayed).toBe(true);
    expect(retry.paymentIntent).toEqual(first.paymentIntent);
    expect(stack().ziina.stats.intentsCreated).toBe(minted);
  });

  it('replays an identical retry after its expiry has passed, and refuses that input under a new key', async () => {
    const expiresAt = Date.now() + 1_000;
    const input = ziinaCreateInput({ expiresAt: new Date(expiresAt).toISOString() });
    const first = await create(input);
    expect(first.userErrors).toEqual([]);
    const minted = stack().ziina.stats.intentsCreated;
    await sleep(expiresAt - Date.now() + 50);

    // The create was sent in time: its retry is answered with it, whatever the clock says now.
    const retry = await create(input);
    expect(retry.userErrors).toEqual([]);
    expect(retry.replayed).toBe(true);
    expect(retry.paymentIntent?.id).toBe(first.paymentIntent?.id);
    // The same input under a new key would be a new create, too late to send.
    const late = await create({ ...input, clientMutationId: uniqueId('ziina-late') });
    expect(late.userErrors.map((error) => [error.code, error.field])).toEqual([
      ['INVALID_INPUT', ['provider', 'ziina', 'expiresAt']],
    ]);
    expect(stack().ziina.stats.intentsCreated).toBe(minted);
  });

  it('answers IDEMPOTENCY_CONFLICT for the same clientMutationId with another input', async () => {
    const input = ziinaCreateInput();
    await create(input);
    const minted = stack().ziina.stats.intentsCreated;
    const payload = await create({ ...input, provider: { ziina: { ...input.provider.ziina, currencyCode: 'USD' } } });

    expect(payload.userErrors).toEqual(idempotencyConflictAt('ZIINA'));
    expect(stack().ziina.stats.intentsCreated).toBe(minted);
  });

  it('makes 20 concurrent duplicates create exactly one Ziina intent', async () => {
    const input = ziinaCreateInput();
    const minted = stack().ziina.stats.intentsCreated;
    stack().ziina.faults.push({ method: 'POST', delayMs: 300 });
    const payloads = await Promise.all(Array.from({ length: 20 }, () => create(input)));

    expect(stack().ziina.stats.intentsCreated - minted).toBe(1);
    expect(new Set(payloads.map((payload) => payload.paymentIntent?.id)).size).toBe(1);
  });

  it.each([
    [150, 'AED', 'TRANSFER_UNDER_MINIMUM'],
    [100_000_01, 'AED', 'TRANSFER_EXCEEDS_LIMIT'],
    [1000, 'CHF', 'CURRENCY_NOT_SUPPORTED'],
  ])(
    'maps Ziina business error for %i %s to PROVIDER_VALIDATION_FAILED %s',
    async (amountMinor, currencyCode, providerCode) => {
      const payload = await create(ziinaCreateInput({ amountMinor, currencyCode }));
      expect(payload.paymentIntent).toBeNull();
      expect(payload.userErrors).toEqual([
        expect.objectContaining({
          code: 'PROVIDER_VALIDATION_FAILED',
          provider: 'ZIINA',
          providerStatus: 400,
          providerCode,
          retryable: false,
        }),
      ]);
      expect(payload.userErrors[0]!.message).toBe(`Ziina rejected the payment intent (${providerCode})`);
    },
  );

  it('stores a business rejection as final: the identical retry is replayed, not resent', async () => {
    const input = ziinaCreateInput({ amountMinor: 100 });
    const first = await create(input);
    const faultsBefore = stack().ziina.faults.pending;
    // Any call reaching Ziina now would fail loudly.
    stack().ziina.faults.push({ method: 'POST', status: 500 });
    const retry = await create(input);

    expect(retry.replayed).toBe(true);
    expect(retry.userErrors).toEqual(first.userErrors);
    expect(stack().ziina.faults.pending).toBe(faultsBefore + 1);
  });

  it("maps Ziina's request-validation shape (NestJS) to PROVIDER_VALIDATION_FAILED, its messages in the log only", async () => {
    stack().ziina.faults.push({
      method: 'POST',
      status: 400,
      body: {
        statusCode: 400,
        message: ['expiry must be a future date', 'message must be a string'],
        error: 'Bad Request',
      },
    });
    const payload = await create(ziinaCreateInput());
    expect(payload.userErrors).toEqual([
      {
        code: 'PROVIDER_VALIDATION_FAILED',
        message: 'Ziina rejected the payment intent',
        field: null,
        provider: 'ZIINA',
        providerStatus: 400,
        providerCode: null,
        retryable: false,
      },
    ]);
    expect(stack().log.entries()).toContainEqual(
      expect.objectContaining({
        provider: 'ZIINA',
        providerStatus: 400,
        providerMessage: 'expiry must be a future date; message must be a string',
        msg: 'Ziina did not create the payment intent',
      }),
    );
  });

  it('never resends a create after a 503: Ziina could mint a second intent', async () => {
    const minted = stack().ziina.stats.intentsCreated;
    stack().ziina.faults.push({ method: 'POST', status: 503 }, { method: 'POST', status: 503 });
    const payload = await create(ziinaCreateInput());

    expect(payload.userErrors).toEqual([
      expect.objectContaining({
        code: 'PROVIDER_UNAVAILABLE',
        provider: 'ZIINA',
        providerStatus: 503,
        retryable: true,
      }),
    ]);
    expect(stack().ziina.faults.pending).toBe(1);
    expect(stack().ziina.stats.intentsCreated).toBe(minted);
  });

  it('answers RATE_LIMITED on a 429', async () => {
    stack().ziina.faults.push({ method: 'POST', status: 429, headers: { 'retry-after': '1' } });
    const payload = await create(ziinaCreateInput());
    expect(payload.userErrors).toEqual([
      expect.objectContaining({ code: 'RATE_LIMITED', provider: 'ZIINA', providerStatus: 429, retryable: true }),
    ]);
  });

  it('rejects invalid input with INVALID_INPUT and sends nothing', async () => {
    const minted = stack().ziina.stats.intentsCreated;
    const payload = await create(
      ziinaCreateInput({
        amountMinor: 0,
        expiresAt: new Date(Date.now() - 1000).toISOString(),
        successUrl: 'ftp://shop.example/ok',
      }),
    );
    expect(payload.userErrors.map((error) => [error.code, error.field])).toEqual([
      ['INVALID_INPUT', ['provider', 'ziina', 'amountMinor']],
      ['INVALID_INPUT', ['provider', 'ziina', 'successUrl']],
      ['INVALID_INPUT', ['provider', 'ziina', 'expiresAt']],
    ]);
    expect(stack().ziina.stats.intentsCreated).toBe(minted);
  });
});

describe('paymentIntent for Ziina ids', () => {
  it('reads an intent back, following status changes and the latest error', async () => {
    const created = (await create(ziinaCreateInput())).paymentIntent!;
    expect((await stack().graphql(GET_PAYMENT_INTENT, { id: created.id })).data!.paymentIntent).toEqual(created);

    stack().ziina.setStatus(created.providerId, 'failed');
    const failed = (await stack().graphql(GET_PAYMENT_INTENT, { id: created.id })).data!.paymentIntent;
    expect(failed).toMatchObject({ status: 'FAILED', providerStatus: 'failed' });
    expect(failed.details.latestError).toEqual({ message: 'Card declined', code: 'card_declined' });
  });

  it('answers null for an id Ziina does not know (its 400 PAYMENT_INTENT_NOT_FOUND)', async () => {
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id: 'ziina:00000000-0000-4000-8000-000000000000' });
    expect(read.errors).toBeUndefined();
    expect(read.data!.paymentIntent).toBeNull();
  });

  it('answers null for a malformed Ziina id without asking Ziina', async () => {
    stack().ziina.faults.push({ method: 'GET', status: 500 });
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id: 'ziina:not-a-uuid' });
    expect(read.data!.paymentIntent).toBeNull();
    expect(stack().ziina.faults.pending).toBe(1);
  });

  it('retries a failing read and succeeds within the deadline', async () => {
    const created = (await create(ziinaCreateInput())).paymentIntent!;
    stack().ziina.faults.push({ method: 'GET', status: 502 }, { method: 'GET', destroySocket: true });
    const read = await stack().graphql(GET_PAYMENT_INTENT, { id: created.id });
    expect(read.data!.paymentIntent.id).toBe(created.id);
  });
});

describe('what responses never contain', () => {
  it('has answered without the API key, the provider URL or a provider error body', () => {
    expect(stack().responses.length).toBeGreaterThan(10);
    for (const body of stack().responses) {
      expect(body).not.toContain(stack().ziina.apiKey);
      expect(body).not.toContain(stack().ziina.baseUrl);
      expect(body).not.toContain('127.0.0.1');
      expect(body).not.toContain('"statusCode"');
      expect(body).not.toContain('Bad Request');
    }
  });
});
