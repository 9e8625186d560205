import { describe, expect, it } from 'vitest';
import type { IdempotencyKey } from '../../../src/idempotency/idempotency-store.ts';
import { IdempotentCreate } from '../../../src/idempotency/idempotent-create.ts';
import { InMemoryIdempotencyStore } from '../../../src/idempotency/in-memory-idempotency-store.ts';
import { parseDecimal } from '../../../src/money/decimal.ts';
import { rejected, type CreateOutcome } from '../../../src/payments/create-payment-intent-result.ts';
import type { PaymentIntentUserError } from '../../../src/payments/payment-intent-user-error.ts';

const KEY: IdempotencyKey = { provider: 'ZOPAY', clientMutationId: 'order-1' };
const DAY = 24 * 60 * 60 * 1000;

function created(providerId: string): CreateOutcome {
  const amount = parseDecimal('10.50');
  return {
    kind: 'created',
    paymentIntent: {
      id: `zopay:${providerId}`,
      provider: 'ZOPAY',
      providerId,
      status: 'REQUIRES_PAYMENT_INSTRUMENT',
      providerStatus: 'awaiting_payment',
      amount: { amount, currency: 'USDT' },
      checkoutUrl: null,
      createdAt: null,
      details: {
        provider: 'ZOPAY',
        amount,
        currencies: ['USDT'],
        externalRef: null,
        description: null,
        metadata: null,
        refCode: null,
        expiresAt: null,
      },
    },
  };
}

function userError(code: PaymentIntentUserError['code'], retryable: boolean): PaymentIntentUserError {
  return { code, retryable, message: code, field: null, provider: 'ZOPAY', providerStatus: null, providerCode: null };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A perform that counts its calls and answers what the test says, when the test says. */
function performer(outcome: () => Promise<CreateOutcome> | CreateOutcome) {
  const counter = {
    calls: 0,
    perform: async () => {
      counter.calls += 1;
      return outcome();
    },
  };
  return counter;
}

function setup(options: { waitForInFlightMs?: number; pollIntervalMs?: number; now?: () => number } = {}) {
  const store = new InMemoryIdempotencyStore({ retentionMs: DAY, ...(options.now ? { now: options.now } : {}) });
  const idempotent = new IdempotentCreate({ store, waitForInFlightMs: options.waitForInFlightMs ?? 2_000, pollIntervalMs: options.pollIntervalMs ?? 5 });
  return { store, idempotent };
}

function errorCodes(outcome: CreateOutcome): string[] {
  return outcome.kind === 'rejected' ? outcome.userErrors.map((error) => error.code) : [];
}

describe('IdempotentCreate in one process', () => {
  it('runs exactly one perform for 20 concurrent identical requests and replays it to the other 19', async () => {
    const { idempotent } = setup();
    const gate = deferred<CreateOutcome>();
    const counter = performer(() => gate.promise);
    const runs = Array.from({ length: 20 }, () => idempotent.run(KEY, 'fp-1', counter.perform));
    await new Promise((resolve) => setTimeout(resolve, 10));
    gate.resolve(created('pi_1'));
    const results = await Promise.all(runs);

    expect(counter.calls).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(results.filter((result) => result.replayed)).toHaveLength(19);
    expect(results[0]?.replayed).toBe(false);
    for (const result of results) {
      expect(result.outcome).toEqual(created('pi_1'));
    }
  });

  it('replays a completed create without a second perform', async () => {
    const { idempotent } = setup();
    const counter = performer(() => created('pi_1'));
    const first = await idempotent.run(KEY, 'fp-1', counter.perform);
    const second = await idempotent.run(KEY, 'fp-1', counter.perform);
    expect(counter.calls).toBe(1);
    expect(first).toEqual({ outcome: created('pi_1'), replayed: false });
    expect(second).toEqual({ outcome: created('pi_1'), replayed: true });
  });

  it('keeps keys apart by provider and by clientMutationId', async () => {
    const { idempotent } = setup();
    const counter = performer(() => created('pi_x'));
    await idempotent.run(KEY, 'fp-1', counter.perform);
    const otherProvider = await idempotent.run({ provider: 'ZIINA', clientMutationId: 'order-1' }, 'fp-2', counter.perform);
    const otherId = await idempotent.run({ provider: 'ZOPAY', clientMutationId: 'order-2' }, 'fp-3', counter.perform);
    expect(counter.calls).toBe(3);
    expect(otherProvider.replayed).toBe(false);
    expect(otherId.replayed).toBe(false);
  });

  it('answers IDEMPOTENCY_CONFLICT to a different fingerprint while the first is in flight', async () => {
    const { idempotent } = setup();
    const gate = deferred<CreateOutcome>();
    const first = performer(() => gate.promise);
    const second = performer(() => created('pi_2'));
    const running = idempotent.run(KEY, 'fp-1', first.perform);
    const conflicting = await idempotent.run(KEY, 'fp-2', second.perform);
    expect(second.calls).toBe(0);
    expect(conflicting.replayed).toBe(false);
    expect(errorCodes(conflicting.outcome)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(conflicting.outcome).toMatchObject({ userErrors: [{ retryable: false, field: ['clientMutationId'], provider: 'ZOPAY' }] });
    gate.resolve(created('pi_1'));
    expect((await running).outcome).toEqual(created('pi_1'));
  });

  it('answers IDEMPOTENCY_CONFLICT to a different fingerprint after completion', async () => {
    const { idempotent } = setup();
    await idempotent.run(KEY, 'fp-1', performer(() => created('pi_1')).perform);
    const second = performer(() => created('pi_2'));
    const conflicting = await idempotent.run(KEY, 'fp-2', second.perform);
    expect(second.calls).toBe(0);
    expect(errorCodes(conflicting.outcome)).toEqual(['IDEMPOTENCY_CONFLICT']);
    // The stored outcome is untouched: the original request still replays.
    expect((await idempotent.run(KEY, 'fp-1', second.perform)).outcome).toEqual(created('pi_1'));
  });

  it('does not store a retryable rejection: the next run performs again', async () => {
    const { idempotent, store } = setup();
    const outcomes = [rejected(userError('PROVIDER_UNAVAILABLE', true)), created('pi_1')];
    const counter = performer(() => outcomes[counter.calls - 1] ?? created('never'));
    const first = await idempotent.run(KEY, 'fp-1', counter.perform);
    expect(errorCodes(first.outcome)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await store.find(KEY)).toBeNull();
    const second = await idempotent.run(KEY, 'fp-1', counter.perform);
    expect(counter.calls).toBe(2);
    expect(second).toEqual({ outcome: created('pi_1'), replayed: false });
  });

  it('does not store a rejection when any of its errors is retryable', async () => {
    const { idempotent } = setup();
    const counter = performer(() => rejected(userError('PROVIDER_VALIDATION_FAILED', false), userError('RATE_LIMITED', true)));
    await idempotent.run(KEY, 'fp-1', counter.perform);
    await idempotent.run(KEY, 'fp-1', counter.perform);
    expect(counter.calls).toBe(2);
  });

  it('stores a non-retryable rejection and replays it', async () => {
    const { idempotent, store } = setup();
    const outcome = rejected(userError('PROVIDER_VALIDATION_FAILED', false));
    const counter = performer(() => outcome);
    await idempotent.run(KEY, 'fp-1', counter.perform);
    expect(await store.find(KEY)).toMatchObject({ state: 'completed', fingerprint: 'fp-1', outcome });
    const second = await idempotent.run(KEY, 'fp-1', counter.perform);
    expect(counter.calls).toBe(1);
    expect(second).toEqual({ outcome, replayed: true });
  });

  it('releases the key when perform throws, so the next run performs again', async () => {
    const { idempotent, store } = setup();
    const counter = performer(() => {
      if (counter.calls === 1) throw new Error('socket hang up');
      return created('pi_1');
    });
    await expect(idempotent.run(KEY, 'fp-1', counter.perform)).rejects.toThrow('socket hang up');
    expect(await store.find(KEY)).toBeNull();
    const second = await idempotent.run(KEY, 'fp-1', counter.perform);
    expect(counter.calls).toBe(2);
    expect(second).toEqual({ outcome: created('pi_1'), replayed: false });
  });

  it('gives a duplicate that waits longer than waitForInFlightMs IDEMPOTENCY_KEY_IN_USE, retryable', async () => {
    const { idempotent } = setup({ waitForInFlightMs: 30 });
    const gate = deferred<CreateOutcome>();
    const first = performer(() => gate.promise);
    const running = idempotent.run(KEY, 'fp-1', first.perform);
    const started = performance.now();
    const duplicate = await idempotent.run(KEY, 'fp-1', first.perform);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(first.calls).toBe(1);
    expect(duplicate.replayed).toBe(false);
    expect(errorCodes(duplicate.outcome)).toEqual(['IDEMPOTENCY_KEY_IN_USE']);
    expect(duplicate.outcome).toMatchObject({ userErrors: [{ retryable: true, field: ['clientMutationId'] }] });
    gate.resolve(created('pi_1'));
    expect((await running).outcome).toEqual(created('pi_1'));
    // Once the first is done, the same duplicate replays it.
    expect(await idempotent.run(KEY, 'fp-1', first.perform)).toEqual({ outcome: created('pi_1'), replayed: true });
  });
});

describe('IdempotentCreate across processes (two instances, one store)', () => {
  it('makes the second instance wait by polling and replay the first one outcome', async () => {
    const store = new InMemoryIdempotencyStore({ retentionMs: DAY });
    const processA = new IdempotentCreate({ store, waitForInFlightMs: 2_000, pollIntervalMs: 5 });
    const processB = new IdempotentCreate({ store, waitForInFlightMs: 2_000, pollIntervalMs: 5 });
    const gate = deferred<CreateOutcome>();
    const performA = performer(() => gate.promise);
    const performB = performer(() => created('pi_from_b'));

    const runA = processA.run(KEY, 'fp-1', performA.perform);
    const runB = processB.run(KEY, 'fp-1', performB.perform);
    let bSettled = false;
    void runB.then(() => {
      bSettled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(bSettled).toBe(false);
    gate.resolve(created('pi_from_a'));

    const [resultA, resultB] = await Promise.all([runA, runB]);
    expect(performA.calls).toBe(1);
    expect(performB.calls).toBe(0);
    expect(resultA).toEqual({ outcome: created('pi_from_a'), replayed: false });
    expect(resultB).toEqual({ outcome: created('pi_from_a'), replayed: true });
  });

  it('lets the second instance perform itself when the first releases the key', async () => {
    const store = new InMemoryIdempotencyStore({ retentionMs: DAY });
    const processA = new IdempotentCreate({ store, waitForInFlightMs: 2_000, pollIntervalMs: 5 });
    const processB = new IdempotentCreate({ store, waitForInFlightMs: 2_000, pollIntervalMs: 5 });
    const gate = deferred<CreateOutcome>();
    const performB = performer(() => created('pi_from_b'));

    const runA = processA.run(KEY, 'fp-1', performer(() => gate.promise).perform);
    const runB = processB.run(KEY, 'fp-1', performB.perform);
    await new Promise((resolve) => setTimeout(resolve, 20));
    gate.resolve(rejected(userError('PROVIDER_UNAVAILABLE', true)));

    expect(errorCodes((await runA).outcome)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await runB).toEqual({ outcome: created('pi_from_b'), replayed: false });
    expect(performB.calls).toBe(1);
  });

  it('answers IDEMPOTENCY_CONFLICT at once in the second instance for another fingerprint', async () => {
    const store = new InMemoryIdempotencyStore({ retentionMs: DAY });
    const processA = new IdempotentCreate({ store, waitForInFlightMs: 2_000, pollIntervalMs: 5 });
    const processB = new IdempotentCreate({ store, waitForInFlightMs: 2_000, pollIntervalMs: 5 });
    const gate = deferred<CreateOutcome>();
    const runA = processA.run(KEY, 'fp-1', performer(() => gate.promise).perform);
    const performB = performer(() => created('pi_b'));
    const resultB = await processB.run(KEY, 'fp-2', performB.perform);
    expect(errorCodes(resultB.outcome)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(performB.calls).toBe(0);
    gate.resolve(created('pi_a'));
    await runA;
  });

  it('gives the second instance IDEMPOTENCY_KEY_IN_USE when the first holds the key past the wait', async () => {
    const store = new InMemoryIdempotencyStore({ retentionMs: DAY });
    const processA = new IdempotentCreate({ store, waitForInFlightMs: 2_000, pollIntervalMs: 5 });
    const processB = new IdempotentCreate({ store, waitForInFlightMs: 40, pollIntervalMs: 5 });
    const gate = deferred<CreateOutcome>();
    const runA = processA.run(KEY, 'fp-1', performer(() => gate.promise).perform);
    const performB = performer(() => created('pi_b'));
    const resultB = await processB.run(KEY, 'fp-1', performB.perform);
    expect(performB.calls).toBe(0);
    expect(resultB.replayed).toBe(false);
    expect(errorCodes(resultB.outcome)).toEqual(['IDEMPOTENCY_KEY_IN_USE']);
    expect(resultB.outcome).toMatchObject({ userErrors: [{ retryable: true }] });
    gate.resolve(created('pi_a'));
    await runA;
  });
});

describe('InMemoryIdempotencyStore', () => {
  it('lets exactly one of several claims of a key win', async () => {
    const store = new InMemoryIdempotencyStore({ retentionMs: DAY });
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.claim(KEY, 'fp-1')));
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    for (const claim of claims.filter((claim) => !claim.claimed)) {
      expect(claim).toMatchObject({ claimed: false, record: { state: 'in_flight', fingerprint: 'fp-1' } });
    }
  });

  it('ignores complete and release with another fingerprint', async () => {
    const store = new InMemoryIdempotencyStore({ retentionMs: DAY });
    await store.claim(KEY, 'fp-1');
    await store.complete(KEY, 'fp-2', created('pi_x'));
    await store.release(KEY, 'fp-2');
    expect(await store.find(KEY)).toMatchObject({ state: 'in_flight', fingerprint: 'fp-1' });
  });

  it('does not release a completed record', async () => {
    const store = new InMemoryIdempotencyStore({ retentionMs: DAY });
    await store.claim(KEY, 'fp-1');
    await store.complete(KEY, 'fp-1', created('pi_1'));
    await store.release(KEY, 'fp-1');
    expect(await store.find(KEY)).toMatchObject({ state: 'completed', outcome: created('pi_1') });
  });

  it('expires records after the retention period, on the injected clock', async () => {
    let now = 1_000_000;
    const store = new InMemoryIdempotencyStore({ retentionMs: 60_000, now: () => now });
    await store.claim(KEY, 'fp-1');
    await store.complete(KEY, 'fp-1', created('pi_1'));
    expect(await store.find(KEY)).toMatchObject({ state: 'completed', claimedAt: 1_000_000 });

    now += 59_999;
    expect(await store.find(KEY)).not.toBeNull();
    expect(await store.claim(KEY, 'fp-2')).toMatchObject({ claimed: false });

    now += 1;
    expect(await store.find(KEY)).toBeNull();
    // An expired record no longer blocks the key, whatever the fingerprint.
    expect(await store.claim(KEY, 'fp-2')).toEqual({ claimed: true });
  });

  it('purgeExpired deletes only expired records and counts them', async () => {
    let now = 0;
    const store = new InMemoryIdempotencyStore({ retentionMs: 1_000, now: () => now });
    await store.claim({ provider: 'ZOPAY', clientMutationId: 'old-1' }, 'fp');
    await store.claim({ provider: 'ZIINA', clientMutationId: 'old-2' }, 'fp');
    now = 500;
    await store.claim({ provider: 'ZOPAY', clientMutationId: 'young' }, 'fp');
    now = 1_000;
    expect(await store.purgeExpired()).toBe(2);
    expect(await store.purgeExpired()).toBe(0);
    expect(await store.find({ provider: 'ZOPAY', clientMutationId: 'young' })).not.toBeNull();
    now = 1_500;
    expect(await store.purgeExpired()).toBe(1);
  });

  it('makes IdempotentCreate perform again once the stored outcome has expired', async () => {
    let now = 0;
    const { idempotent } = setup({ now: () => now });
    const counter = performer(() => created(`pi_${counter.calls}`));
    await idempotent.run(KEY, 'fp-1', counter.perform);
    now = DAY - 1;
    expect((await idempotent.run(KEY, 'fp-1', counter.perform)).replayed).toBe(true);
    now = DAY;
    const afterExpiry = await idempotent.run(KEY, 'fp-1', counter.perform);
    expect(counter.calls).toBe(2);
    expect(afterExpiry).toEqual({ outcome: created('pi_2'), replayed: false });
  });
});
