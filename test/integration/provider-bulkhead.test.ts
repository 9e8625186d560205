import { describe, expect, it } from 'vitest';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { createBehindTheSubgraph } from '../support/emulator-admin.ts';
import { createThroughGraphQL, GET_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
import { useTestStack } from '../support/test-stack.ts';

// A slow provider (the emulator's delayMs faults) gets at most MAX_CONCURRENT calls at once and
// MAX_QUEUED more waiting; any call beyond fails at once without being sent, creates as a
// retryable PROVIDER_UNAVAILABLE, reads from the store or as the public PROVIDER_UNAVAILABLE error.
// The other provider has a bulkhead of its own.

const MAX_CONCURRENT = 2;
const MAX_QUEUED = 2;
const SLOW_MS = 1_500;

const stack = useTestStack({
  env: {
    PROVIDER_MAX_CONCURRENT_CALLS: String(MAX_CONCURRENT),
    PROVIDER_MAX_QUEUED_CALLS: String(MAX_QUEUED),
    PROVIDER_MAX_RETRIES: '0',
  },
});

const create = (input: object): Promise<CreatePayload> => createThroughGraphQL(stack(), input);

async function zopayCalls(state: 'running' | 'queued'): Promise<number> {
  return counterValue(await scrapeMetrics(stack()), 'payments_provider_calls', { provider: 'ZOPAY', state });
}

/** Fills Zopay's bulkhead with slow creates: MAX_CONCURRENT at Zopay, MAX_QUEUED waiting. */
async function fillZopayBulkhead(name: string): Promise<Promise<CreatePayload>[]> {
  const slowCalls = MAX_CONCURRENT + MAX_QUEUED;
  stack().zopay.faults.push(...Array.from({ length: slowCalls }, () => ({ method: 'POST', delayMs: SLOW_MS })));
  const slow = Array.from({ length: slowCalls }, (_, index) => create(zopayCreateInput({}, `${name}-${index}`)));
  await expect.poll(() => zopayCalls('running'), { interval: 20 }).toBe(MAX_CONCURRENT);
  await expect.poll(() => zopayCalls('queued'), { interval: 20 }).toBe(MAX_QUEUED);
  // Only the running ones reached Zopay.
  expect(stack().zopay.faults.pending).toBe(MAX_QUEUED);
  return slow;
}

describe('the bulkhead of a provider', () => {
  it('refuses a create beyond its queue at once, sends nothing, and leaves the other provider alone', async () => {
    const slow = await fillZopayBulkhead('bulkhead-slow');
    const createsBefore = stack().zopay.stats.createRequests;

    const refusedAt = performance.now();
    const refused = await create(zopayCreateInput({}, 'bulkhead-refused'));
    const refusedMs = performance.now() - refusedAt;
    expect(refused.paymentIntent).toBeNull();
    expect(refused.userErrors).toEqual([
      expect.objectContaining({
        code: 'PROVIDER_UNAVAILABLE',
        provider: 'ZOPAY',
        providerStatus: null,
        retryable: true,
        message: 'Zopay is handling too many calls at once; nothing was sent. Retry with the same clientMutationId.',
      }),
    ]);
    expect(refusedMs).toBeLessThan(SLOW_MS / 3);

    const ziinaAt = performance.now();
    expect((await create(ziinaCreateInput({}, 'bulkhead-ziina'))).userErrors).toEqual([]);
    const ziinaMs = performance.now() - ziinaAt;
    expect(ziinaMs).toBeLessThan(SLOW_MS / 3);

    // The queued calls ran once slots freed up.
    for (const payload of await Promise.all(slow)) expect(payload.userErrors).toEqual([]);
    expect(stack().zopay.stats.createRequests).toBe(createsBefore + MAX_CONCURRENT + MAX_QUEUED);
    // Nothing was sent, so the same clientMutationId simply creates now.
    const retried = await create(zopayCreateInput({}, 'bulkhead-refused'));
    expect([retried.userErrors, retried.replayed]).toEqual([[], false]);

    const metrics = await scrapeMetrics(stack());
    expect(
      counterValue(metrics, 'payments_provider_calls_refused_total', { provider: 'ZOPAY', reason: 'saturated' }),
    ).toBe(1);
    expect(counterValue(metrics, 'payments_provider_calls', { provider: 'ZOPAY' })).toBe(0);
    console.log(
      `[figures] bulkhead ${MAX_CONCURRENT}+${MAX_QUEUED} full behind a ${SLOW_MS} ms provider: ` +
        `create refused in ${refusedMs.toFixed(1)} ms; the other provider's create took ${ziinaMs.toFixed(1)} ms`,
    );
  });

  it('serves a refused read from the store, or answers PROVIDER_UNAVAILABLE when nothing is stored', async () => {
    const stored = (await create(zopayCreateInput({}, 'bulkhead-stored'))).paymentIntent!;
    const notStored = await createBehindTheSubgraph('ZOPAY', stack().zopay);
    const slow = await fillZopayBulkhead('bulkhead-read');
    const readsBefore = stack().zopay.stats.readRequests;

    const fromStore = await stack().graphql(GET_PAYMENT_INTENT, { id: stored.id });
    expect(fromStore.errors).toBeUndefined();
    expect(fromStore.data!.paymentIntent).toMatchObject({ id: stored.id, status: stored.status });

    const unavailable = await stack().graphql(GET_PAYMENT_INTENT, { id: notStored });
    expect(unavailable.data!.paymentIntent).toBeNull();
    expect(unavailable.errors?.[0]).toMatchObject({
      message: 'Zopay is unavailable (is handling too many calls at once); retry later',
      extensions: { code: 'PROVIDER_UNAVAILABLE', provider: 'ZOPAY', providerStatus: null, retryable: true },
    });
    expect(stack().zopay.stats.readRequests).toBe(readsBefore);
    await Promise.all(slow);
  });
});
