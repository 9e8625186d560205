import { describe, expect, it } from 'vitest';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { createBehindTheSubgraph } from '../support/emulator-admin.ts';
import { createThroughGraphQL, GET_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
import { useTestStack } from '../support/test-stack.ts';

// A provider that keeps failing opens its circuit: calls fail fast (nothing is sent), reads of
// stored intents are served from the store, the other provider is untouched, and one probe
// after the cooldown closes the circuit again.

const FAILURES_TO_OPEN = 3;
const COOLDOWN_MS = 600;

const stack = useTestStack({
  env: {
    PROVIDER_BREAKER_FAILURES: String(FAILURES_TO_OPEN),
    PROVIDER_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
    PROVIDER_MAX_RETRIES: '0',
  },
});

const create = (input: object): Promise<CreatePayload> => createThroughGraphQL(stack(), input);

async function circuitOpen(provider: string): Promise<number> {
  return counterValue(await scrapeMetrics(stack()), 'payments_provider_circuit_open', { provider });
}

describe('the circuit breaker of a provider', () => {
  it('stays closed on answers that are not outages (4xx)', async () => {
    for (let index = 0; index < FAILURES_TO_OPEN + 2; index += 1) {
      stack().zopay.faults.push({ method: 'POST', status: 422 });
      expect((await create(zopayCreateInput({}, `breaker-422-${index}`))).userErrors[0]?.code).toBe(
        'PROVIDER_VALIDATION_FAILED',
      );
    }
    expect(await circuitOpen('ZOPAY')).toBe(0);
  });

  it('opens after consecutive failures, fails fast without sending, serves the store, and closes after a successful probe', async () => {
    const stored = (await create(zopayCreateInput({}, 'breaker-stored'))).paymentIntent!;
    const notStored = await createBehindTheSubgraph('ZOPAY', stack().zopay);

    stack().zopay.faults.push(...Array.from({ length: FAILURES_TO_OPEN }, () => ({ method: 'GET', status: 503 })));
    for (let index = 0; index < FAILURES_TO_OPEN; index += 1) {
      const read = await stack().graphql(GET_PAYMENT_INTENT, { id: notStored });
      expect(read.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', providerStatus: 503 });
    }
    expect(await circuitOpen('ZOPAY')).toBe(1);

    // Open: this fault would answer the next request that reaches Zopay. None does.
    stack().zopay.faults.push({ status: 500 });
    const createsBefore = stack().zopay.stats.createRequests;
    const failedFast = await stack().graphql(GET_PAYMENT_INTENT, { id: notStored });
    expect(failedFast.errors?.[0]?.extensions).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      provider: 'ZOPAY',
      providerStatus: null,
      retryable: true,
    });
    const fromStore = await stack().graphql(GET_PAYMENT_INTENT, { id: stored.id });
    expect(fromStore.errors).toBeUndefined();
    expect(fromStore.data!.paymentIntent).toMatchObject({ id: stored.id, status: stored.status });
    const refused = await create(zopayCreateInput({}, 'breaker-during'));
    expect(refused.userErrors).toEqual([
      expect.objectContaining({
        code: 'PROVIDER_UNAVAILABLE',
        retryable: true,
        message:
          'Zopay is failing repeatedly; calls are paused for a few seconds; nothing was sent. Retry with the same clientMutationId.',
      }),
    ]);
    expect(stack().zopay.faults.pending).toBe(1);
    expect(stack().zopay.stats.createRequests).toBe(createsBefore);
    stack().zopay.faults.clear();

    // The other provider has its own circuit.
    const ziina = await create(ziinaCreateInput({}, 'breaker-ziina'));
    expect(ziina.userErrors).toEqual([]);
    expect(await circuitOpen('ZIINA')).toBe(0);

    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 100));
    const probe = await stack().graphql(GET_PAYMENT_INTENT, { id: notStored });
    expect(probe.errors).toBeUndefined();
    expect(await circuitOpen('ZOPAY')).toBe(0);
    // Nothing was sent while open, so the same clientMutationId simply creates now.
    const retried = await create(zopayCreateInput({}, 'breaker-during'));
    expect(retried.userErrors).toEqual([]);
    expect(retried.replayed).toBe(false);
    expect(
      stack()
        .log.entries()
        .filter((entry) => entry.msg === 'provider circuit opened: calls fail fast until a probe succeeds'),
    ).toHaveLength(1);
  });
});
