import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { providerIdOf } from '../support/emulator-admin.ts';
import { createdId, ENTITIES, type Entity } from '../support/operations.ts';
import { measureCost, type StoreAndProviderCost } from '../support/subgraph-metrics.ts';
import { useTestStack, type TestStack } from '../support/test-stack.ts';

// How many store statements and provider calls an `_entities` batch costs (docs/decisions/freshness-window.md): one store query for the batch, provider GETs only for ids missing or stale,
// one write-back statement for what the providers answered (after one that locks the creation markers
// of Ziina's intents among them, docs/decisions/store.md); no query at all when every id was read
// recently and is fresh or terminal (docs/decisions/intent-cache.md). Measured on the subgraph's own
// /metrics, and printed as `[figures]` lines to be quoted.

const BATCH = 100;

/** Creates `count` intents, half at each provider, ten at a time. */
async function createIntents(stack: TestStack, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 10) {
    const group = Array.from({ length: Math.min(10, count - start) }, (_, offset) =>
      createdId(stack, {
        provider: (start + offset) % 2 === 0 ? 'ZOPAY' : 'ZIINA',
        clientMutationId: `entities-${randomUUID()}`,
      }),
    );
    ids.push(...(await Promise.all(group)));
  }
  return ids;
}

/** One `_entities` request for these ids, as the router sends it; what it cost the subgraph. */
async function lookUp(stack: TestStack, ids: readonly string[]): Promise<StoreAndProviderCost<(Entity | null)[]>> {
  return measureCost(stack, async () => {
    const answer = await stack.graphql<{ _entities: (Entity | null)[] }>(ENTITIES, {
      representations: ids.map((id) => ({ __typename: 'PaymentIntent', id })),
    });
    expect(answer.errors, answer.text).toBeUndefined();
    return answer.data!._entities;
  });
}

function emulatorReads(stack: TestStack): number {
  return stack.zopay.stats.readRequests + stack.ziina.stats.readRequests;
}

// Counts, not timings: speed is for a benchmark, not for a test.
function report(what: string, { storeQueries, providerRequests }: StoreAndProviderCost<unknown>): void {
  console.log(`[figures] ${what}: store queries=${storeQueries}, provider calls=${providerRequests}`);
}

/** For the enclosing block: a stack with this freshness window, and the BATCH intents created through it. */
function stackWithIntents(freshnessMs: string): { readonly stack: () => TestStack; readonly ids: readonly string[] } {
  const ids: string[] = [];
  const stack = useTestStack({ env: { INTENT_FRESHNESS_MS: freshnessMs } }, async (started) => {
    ids.push(...(await createIntents(started, BATCH)));
  });
  return { stack, ids };
}

describe('entity lookups within the freshness window (INTENT_FRESHNESS_MS=600000)', () => {
  const subject = stackWithIntents('600000');

  it(`serves ${BATCH} stored intents with one store query and no provider call, then from memory`, async () => {
    const { ids } = subject;
    const stack = subject.stack();
    const reads = emulatorReads(stack);
    const cost = await lookUp(stack, ids);
    report(`entity lookup of ${BATCH} fresh ids`, cost);

    expect(cost.result.map((entity) => entity?.id)).toEqual(ids);
    expect(cost.result.every((entity) => entity?.status === 'REQUIRES_PAYMENT_INSTRUMENT')).toBe(true);
    expect(cost.storeQueries).toBe(1);
    expect(cost.providerRequests).toBe(0);
    expect(emulatorReads(stack)).toBe(reads);

    const again = await lookUp(stack, ids);
    report(`entity lookup of the same ${BATCH} fresh ids again`, again);
    expect(again.result).toEqual(cost.result);
    expect(again).toMatchObject({ storeQueries: 0, providerRequests: 0 });
  });

  it('serves the stored copy within the window, even after a change at the provider', async () => {
    const { ids } = subject;
    const stack = subject.stack();
    expect(stack.zopay.setStatus(providerIdOf(ids[0]!), 'completed')).toBe(true);
    const cost = await lookUp(stack, [ids[0]!]);
    expect(cost.result).toEqual([
      { id: ids[0], status: 'REQUIRES_PAYMENT_INSTRUMENT', providerStatus: 'awaiting_payment' },
    ]);
    expect(cost.providerRequests).toBe(0);
  });
});

describe('entity lookups with no freshness window (INTENT_FRESHNESS_MS=0)', () => {
  const subject = stackWithIntents('0');

  it(`asks the provider for each of ${BATCH} non-terminal ids: one read query, ${BATCH} GETs, then only the GETs`, async () => {
    const { ids } = subject;
    const stack = subject.stack();
    const reads = emulatorReads(stack);
    const cost = await lookUp(stack, ids);
    report(`entity lookup of ${BATCH} stale non-terminal ids`, cost);

    expect(cost.result.map((entity) => entity?.id)).toEqual(ids);
    // Every provider confirms its stored copy: nothing to write, and no window to renew.
    expect(cost.storeQueries).toBe(1);
    expect(cost.providerRequests).toBe(BATCH);
    expect(emulatorReads(stack) - reads).toBe(BATCH);

    // The copies are in memory now, with their content and age: the provider is asked without a store read.
    const again = await lookUp(stack, ids);
    report(`entity lookup of the same ${BATCH} stale non-terminal ids again`, again);
    expect(again.result).toEqual(cost.result);
    expect(again).toMatchObject({ storeQueries: 0, providerRequests: BATCH });
  });

  it('never asks again for an intent stored in a terminal status', async () => {
    const { ids } = subject;
    const stack = subject.stack();
    const terminal = ids.slice(0, 20);
    for (const id of terminal) {
      const emulator = id.startsWith('zopay:') ? stack.zopay : stack.ziina;
      expect(emulator.setStatus(providerIdOf(id), 'completed')).toBe(true);
    }
    // The read that brings the terminal status in: every copy from memory, the 20 changes written back
    // in one statement, after the lock of the Ziina intents' creation markers among them.
    const first = await lookUp(stack, ids);
    report(`entity lookup of ${BATCH} ids, 20 of them just turned terminal`, first);
    expect(first.result.slice(0, 20).every((entity) => entity?.status === 'COMPLETED')).toBe(true);
    expect(first.result.slice(20).every((entity) => entity?.status === 'REQUIRES_PAYMENT_INSTRUMENT')).toBe(true);
    expect(first).toMatchObject({ storeQueries: 2, providerRequests: BATCH });

    // The 20 written are read from the store again (and kept: terminal); the others are asked for.
    const again = await lookUp(stack, ids);
    report(`entity lookup of ${BATCH} ids, 20 stored terminal`, again);
    expect(again.result).toEqual(first.result);
    expect(again).toMatchObject({ storeQueries: 1, providerRequests: BATCH - terminal.length });

    const onlyTerminal = await lookUp(stack, terminal);
    report('entity lookup of 20 ids stored terminal', onlyTerminal);
    expect(onlyTerminal.result).toEqual(first.result.slice(0, 20));
    // Read from the store by the lookup before, and terminal: from memory.
    expect(onlyTerminal).toMatchObject({ storeQueries: 0, providerRequests: 0 });
  });

  it('reads a duplicated id once, asks the provider about unknown well-formed ids (null), and nothing about malformed ones', async () => {
    const { ids } = subject;
    const stack = subject.stack();
    const [a, b] = [ids[40]!, ids[41]!];
    const unknownZopay = 'zopay:pi_000000000000000000000000';
    const unknownZiina = `ziina:${randomUUID()}`;
    const malformed = ['ziina:not-a-uuid', 'zopay:has a space', 'stripe:pi_1', 'nonsense', 'zopay:', ':pi_1'];
    const batch = [a, a, b, unknownZopay, ...malformed, b, unknownZiina, a];

    const cost = await lookUp(stack, batch);
    report(
      `entity lookup of ${batch.length} representations (2 distinct stored, 2 duplicates, 2 unknown, ${malformed.length} malformed)`,
      cost,
    );

    const byId = (id: string) => cost.result[batch.indexOf(id)];
    expect(cost.result).toHaveLength(batch.length);
    batch.forEach((id, index) => {
      if (id === a || id === b) expect(cost.result[index]).toEqual(byId(id));
      else expect(cost.result[index]).toBeNull();
    });
    expect(byId(a)).toMatchObject({ id: a, status: 'REQUIRES_PAYMENT_INSTRUMENT' });
    // a and b (stale, in memory), and the two unknown well-formed ids (read from the store): four GETs;
    // a and b are confirmed unchanged, so nothing is written back.
    expect(cost).toMatchObject({ storeQueries: 1, providerRequests: 4 });

    // Ids of no provider cost nothing at all; a provider id of the wrong shape, only its share of the batch's query.
    const notOurs = malformed.slice(2);
    const notOursCost = await lookUp(stack, notOurs);
    report(`entity lookup of ${notOurs.length} ids of no provider`, notOursCost);
    expect(notOursCost.result).toEqual(notOurs.map(() => null));
    expect(notOursCost).toMatchObject({ storeQueries: 0, providerRequests: 0 });

    const badShapes = malformed.slice(0, 2);
    const badShapesCost = await lookUp(stack, badShapes);
    report(`entity lookup of ${badShapes.length} provider ids of an impossible shape`, badShapesCost);
    expect(badShapesCost.result).toEqual([null, null]);
    expect(badShapesCost).toMatchObject({ storeQueries: 1, providerRequests: 0 });
  });
});
