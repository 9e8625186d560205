import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartedEmulator } from '../../emulators/kit/emulator.ts';
import { startZiinaEmulator } from '../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator } from '../../emulators/zopay/zopay-emulator.ts';
import { ziinaOperationId } from '../../src/providers/ziina/ziina-operation-id.ts';
import { ziinaWebhook } from '../../src/providers/ziina/ziina-webhook.ts';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { emulatorIntents, providerIdOf } from '../support/emulator-admin.ts';
import { useStarted, useStoppedAfterEach } from '../support/lifecycle.ts';
import {
  CREATE_PAYMENT_INTENT,
  GET_PAYMENT_INTENT,
  LIST_PAYMENT_INTENTS,
  type CreatePayload,
} from '../support/operations.ts';
import { crash, startReplica, stop, type Replica } from '../support/replica.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
import {
  subscriptionClient,
  type SubscriptionClient,
  type WatchedSubscription,
} from '../support/subscription-client.ts';
import { createTestSchema } from '../support/test-database.ts';

// Several replicas behind the router share one PostgreSQL: a retried create may land on any of
// them, and the idempotency record they share is what keeps it to one payment.

// Each test starts two subgraph processes and, for crashes, waits out a lease.
const REPLICA_TEST_TIMEOUT_MS = 60_000;

const WEBHOOK_SECRET = 'replicas-test-webhook-secret-0123456789';

// The providers and the database every replica of this file shares, as production's would.
const zopay = useStarted(startZopayEmulator, (emulator) => emulator.close());
const ziina = useStarted(startZiinaEmulator, (emulator) => emulator.close());
const schema = useStarted(createTestSchema, (created) => created.drop());
afterEach(() => {
  zopay().faults.clear();
  ziina().faults.clear();
});
// Registered after the clearing above, so it runs before it: replicas stop first.
const stopAfterTest = useStoppedAfterEach((replica: Replica) => stop(replica));

const clients: SubscriptionClient[] = [];
// Registered after the replicas' stop, so it runs first: clients leave before their replicas do.
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

function replica(env: Record<string, string> = {}): Promise<Replica> {
  return stopAfterTest(
    startReplica({
      zopay: zopay(),
      ziina: ziina(),
      store: { DATABASE_URL: schema().databaseUrl },
      env: { ZIINA_WEBHOOK_SECRET: WEBHOOK_SECRET, ...env },
    }),
  );
}

/** Two replicas whose freshness window is `windowMs`. */
function twoReplicas({ windowMs }: { windowMs: number }): Promise<[Replica, Replica]> {
  const env = { INTENT_FRESHNESS_MS: String(windowMs) };
  return Promise.all([replica(env), replica(env)]);
}

const INPUTS = {
  zopay: (clientMutationId: string) => zopayCreateInput({ externalRef: 'replicas' }, clientMutationId),
  ziina: (clientMutationId: string) => ziinaCreateInput({ externalRef: 'replicas' }, clientMutationId),
};

async function createOn(target: Replica, input: object): Promise<CreatePayload> {
  const answer = await target.graphql(CREATE_PAYMENT_INTENT, { input });
  expect(answer.status).toBe(200);
  expect(answer.json.errors).toBeUndefined();
  return answer.json.data.createPaymentIntent as CreatePayload;
}

async function createdIdOn(target: Replica, input: object): Promise<string> {
  return (await createOn(target, input)).paymentIntent!.id;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('two replicas sharing PostgreSQL', () => {
  it.each(['zopay', 'ziina'] as const)(
    '%s: 50 concurrent identical creates spread over both replicas make one provider intent and 50 identical answers',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async (provider) => {
      const [first, second] = await Promise.all([replica(), replica()]);
      const emulator = provider === 'zopay' ? zopay() : ziina();
      const before = emulator.stats.intentsCreated;
      // Slow enough that the duplicates really overlap the first create.
      emulator.faults.push({ method: 'POST', delayMs: 300 });
      const input = INPUTS[provider](`replicas-${provider}-${randomUUID()}`);

      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, index) => createOn(index % 2 === 0 ? first : second, input)),
      );

      expect(emulator.stats.intentsCreated - before).toBe(1);
      const ids = new Set(answers.map((answer) => answer.paymentIntent?.id));
      expect(ids.size).toBe(1);
      expect([...ids][0]).toMatch(new RegExp(`^${provider}:`));
      for (const answer of answers) {
        expect(answer.userErrors).toEqual([]);
        expect({ ...answer, replayed: undefined }).toEqual({ ...answers[0], replayed: undefined });
      }
      expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
    },
  );
});

describe('reads on one replica after a change on another', () => {
  it(
    'a Ziina webhook delivered to one replica reaches what the other serves from memory within a second, freshness window or not',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async () => {
      // A window long enough that only the store's announcement can make the reader's copy current.
      const [reader, receiver] = await twoReplicas({ windowMs: 600_000 });
      await ziinaWebhook.register(ziina(), `${receiver.origin}${ziinaWebhook.path}`, WEBHOOK_SECRET);
      const created = await createOn(reader, INPUTS.ziina(`cache-${randomUUID()}`));
      const id = created.paymentIntent!.id;
      const read = async () =>
        ((await reader.graphql(GET_PAYMENT_INTENT, { id })).json.data.paymentIntent as { status: string }).status;
      const hitsBefore = counterValue(await scrapeMetrics(reader.origin), 'payments_intent_cache_lookups_total', {
        result: 'hit',
      });
      expect([await read(), await read()]).toEqual(['REQUIRES_PAYMENT_INSTRUMENT', 'REQUIRES_PAYMENT_INSTRUMENT']);
      expect(
        counterValue(await scrapeMetrics(reader.origin), 'payments_intent_cache_lookups_total', { result: 'hit' }),
      ).toBeGreaterThan(hitsBefore);

      expect(ziina().setStatus(id.replace(/^ziina:/, ''), 'completed')).toBe(true);
      await ziina().webhooks.settled();
      const settledAt = performance.now();
      let status = await read();
      while (status !== 'COMPLETED' && performance.now() - settledAt < 1_000) status = await read();

      expect(status).toBe('COMPLETED');
      console.log(
        `[figures] webhook on one replica seen by the other's reads after ${(performance.now() - settledAt).toFixed(1)} ms`,
      );
    },
  );

  it(
    'a provider read that confirms an intent on one replica renews it on the other: no second provider read within the window',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async () => {
      const windowMs = 1_500;
      const [first, second] = await twoReplicas({ windowMs });
      const id = await createdIdOn(first, INPUTS.zopay(`renewed-${randomUUID()}`));
      const read = async (target: Replica) =>
        ((await target.graphql(GET_PAYMENT_INTENT, { id })).json.data.paymentIntent as { status: string }).status;
      // Both hold the copy in memory, then it grows older than the window.
      expect([await read(first), await read(second)]).toEqual([
        'REQUIRES_PAYMENT_INSTRUMENT',
        'REQUIRES_PAYMENT_INSTRUMENT',
      ]);
      await sleep(windowMs + 100);

      const readsBefore = zopay().stats.readRequests;
      expect(await read(first)).toBe('REQUIRES_PAYMENT_INSTRUMENT');
      expect(zopay().stats.readRequests - readsBefore).toBe(1);
      // Recorded behind (at most 100 ms), then announced to the other replica.
      await sleep(500);
      expect(await read(second)).toBe('REQUIRES_PAYMENT_INSTRUMENT');
      expect(zopay().stats.readRequests - readsBefore).toBe(1);

      // Past the renewed window, the other replica asks the provider itself, and sees a change at once.
      await sleep(windowMs);
      expect(zopay().setStatus(providerIdOf(id), 'completed')).toBe(true);
      expect(await read(second)).toBe('COMPLETED');
      expect(zopay().stats.readRequests - readsBefore).toBe(2);
    },
  );
});

describe('a replica killed in the middle of a create', () => {
  // The lease must outlast the provider deadline; short here so that the test takes seconds.
  const RECOVERY_ENV = { PROVIDER_DEADLINE_MS: '4000', IDEMPOTENCY_LEASE_MS: '5000', IDEMPOTENCY_WAIT_MS: '15000' };

  /** Sends the create to `victim`, lets the provider create the intent, and kills the victim before it hears back. */
  async function crashMidCreate(victim: Replica, emulator: StartedEmulator, input: object): Promise<void> {
    const before = emulator.stats.intentsCreated;
    // The provider creates the intent, then holds its answer: the victim is waiting when it dies.
    emulator.faults.push({ method: 'POST', afterHandler: true, delayMs: 3_000 });
    const lost = victim.graphql(CREATE_PAYMENT_INTENT, { input }).catch((error: unknown) => error);
    await until(() => emulator.stats.intentsCreated === before + 1, 'the provider to create the intent');
    await crash(victim);
    expect(await lost).toBeInstanceOf(Error);
  }

  it(
    'zopay: the retry on another replica sends the create again with the same Idempotency-Key, which Zopay replays: one intent',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async () => {
      const [victim, survivor] = await Promise.all([replica(RECOVERY_ENV), replica(RECOVERY_ENV)]);
      const input = INPUTS.zopay(`crash-zopay-${randomUUID()}`);
      const before = { ...zopay().stats };
      await crashMidCreate(victim, zopay(), input);

      const retried = await createOn(survivor, input);

      expect(retried.userErrors).toEqual([]);
      expect(retried.paymentIntent?.id).toMatch(/^zopay:/);
      // Sent twice, created once.
      expect(zopay().stats.createRequests - before.createRequests).toBe(2);
      expect(zopay().stats.intentsCreated - before.intentsCreated).toBe(1);
      const again = await createOn(survivor, input);
      expect(again).toEqual({ ...retried, replayed: true });
    },
  );

  /** The intent the victim created at Ziina: its operation_id is derived from the clientMutationId. */
  async function lostAtZiina(clientMutationId: string): Promise<{ id: string }> {
    const atZiina = (await emulatorIntents(ziina().baseUrl)) as { id: string; operation_id: string }[];
    const intent = atZiina.find((candidate) => candidate.operation_id === ziinaOperationId(clientMutationId));
    if (intent === undefined) throw new Error('the intent the victim created is not at Ziina');
    return intent;
  }

  it(
    'ziina: once the lost intent is known (its webhook arrived), the retry on another replica hands it out: one intent',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async () => {
      const [victim, survivor] = await Promise.all([replica(RECOVERY_ENV), replica(RECOVERY_ENV)]);
      await ziinaWebhook.register(ziina(), `${survivor.origin}${ziinaWebhook.path}`, WEBHOOK_SECRET);
      const input = INPUTS.ziina(`crash-ziina-known-${randomUUID()}`);
      const before = ziina().stats.intentsCreated;
      await crashMidCreate(victim, ziina(), input);

      // The payer acts at Ziina: its webhook tells the store about the intent and its operation_id.
      const intent = await lostAtZiina(input.clientMutationId);
      expect(ziina().setStatus(intent.id, 'pending')).toBe(true);
      await ziina().webhooks.settled();

      const recovered = await createOn(survivor, input);
      expect(recovered.userErrors).toEqual([]);
      expect(recovered.replayed).toBe(true);
      expect(recovered.paymentIntent).toMatchObject({ id: `ziina:${intent.id}`, status: 'PENDING' });
      expect(ziina().stats.intentsCreated - before).toBe(1);
      expect(await createOn(survivor, input)).toEqual(recovered);
    },
  );

  it(
    'ziina: while the lost intent is unknown, the retry creates again with the same operation_id; the lost one, surfacing later, is superseded',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async () => {
      const [victim, survivor] = await Promise.all([replica(RECOVERY_ENV), replica(RECOVERY_ENV)]);
      await ziinaWebhook.register(ziina(), `${survivor.origin}${ziinaWebhook.path}`, WEBHOOK_SECRET);
      const input = INPUTS.ziina(`crash-ziina-unknown-${randomUUID()}`);
      const before = ziina().stats.intentsCreated;
      await crashMidCreate(victim, ziina(), input);
      const lost = await lostAtZiina(input.clientMutationId);

      // No one was ever given the lost intent's URL, so no one can pay it: the client gets a payable one.
      const retried = await createOn(survivor, input);
      expect(retried.userErrors).toEqual([]);
      expect(retried.replayed).toBe(false);
      expect(retried.paymentIntent?.id).toMatch(/^ziina:/);
      expect(retried.paymentIntent?.id).not.toBe(`ziina:${lost.id}`);
      expect(ziina().stats.intentsCreated - before).toBe(2);

      // The lost intent surfaces (its status changes at Ziina): stored, but never for this key.
      expect(ziina().setStatus(lost.id, 'canceled')).toBe(true);
      await ziina().webhooks.settled();
      const superseded = await survivor.process.waitForLog(
        (entry) => entry.paymentIntentId === `ziina:${lost.id}` && entry.level === 40,
      );
      expect(superseded).toMatchObject({ provider: 'ZIINA', handedOut: retried.paymentIntent?.id });
      const metrics = await (await fetch(new URL('/metrics', survivor.origin))).text();
      expect(counterValue(metrics, 'payments_superseded_intents_total', { provider: 'ZIINA' })).toBe(1);

      expect(await createOn(survivor, input)).toEqual({ ...retried, replayed: true });
      const listed = await survivor.graphql(LIST_PAYMENT_INTENTS, { filter: { externalRef: 'replicas' }, first: 100 });
      const listedIds = (listed.json.data.paymentIntents.edges as { node: { id: string } }[]).map(
        (edge) => edge.node.id,
      );
      expect(listedIds).toContain(retried.paymentIntent?.id);
      expect(listedIds).not.toContain(`ziina:${lost.id}`);
    },
  );
});

function connect(target: Replica): SubscriptionClient {
  const client = subscriptionClient(target.graphqlUrl);
  clients.push(client);
  return client;
}

/** `count` subscriptions to the intent on the replica, spread over connections of 25. */
function watchMany(target: Replica, id: string, count: number): WatchedSubscription[] {
  const watched: WatchedSubscription[] = [];
  let client = connect(target);
  for (let index = 0; index < count; index += 1) {
    if (index > 0 && index % 25 === 0) client = connect(target);
    watched.push(client.watch(id));
  }
  return watched;
}

describe('subscriptions on two replicas: a change written by one reaches the subscribers of both', () => {
  it(
    'a Ziina webhook delivered to one replica reaches a subscriber of the other in under a second',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async () => {
      const [subscribed, receiver] = await Promise.all([replica(), replica()]);
      await ziinaWebhook.register(ziina(), `${receiver.origin}${ziinaWebhook.path}`, WEBHOOK_SECRET);
      const id = await createdIdOn(subscribed, ziinaCreateInput({}, `replicas-${randomUUID()}`));
      const watched = connect(subscribed).watch(id);
      await watched.eventCount(1);

      // From the moment the emulator sends the signed webhook: its delivery, the store, the announcement, the push.
      const sentAt = performance.now();
      expect(ziina().setStatus(providerIdOf(id), 'completed')).toBe(true);
      await watched.done;

      expect(watched.events.map((event) => event?.status)).toEqual(['REQUIRES_PAYMENT_INSTRUMENT', 'COMPLETED']);
      const latencyMs = watched.arrivals[1]! - sentAt;
      expect(latencyMs).toBeLessThan(1_000);
      console.log(`[figures] Ziina webhook sent to replica B → event on replica A: ${latencyMs.toFixed(1)} ms`);
    },
  );

  it(
    'Zopay (no webhooks): 200 subscribers over two replicas cost at most one provider GET per freshness window, and all see the change within the window plus a second',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async () => {
      const windowMs = 2_000;
      const [first, second] = await twoReplicas({ windowMs });
      const id = await createdIdOn(first, zopayCreateInput({}, `replicas-${randomUUID()}`));
      const readTimes: number[] = [];
      let reads = zopay().stats.readRequests;
      const sampler = setInterval(() => {
        for (; reads < zopay().stats.readRequests; reads += 1) readTimes.push(performance.now());
      }, 5);
      try {
        const watched = [...watchMany(first, id, 100), ...watchMany(second, id, 100)];
        await Promise.all(watched.map((subscription) => subscription.eventCount(1, 30_000)));
        const quietFrom = performance.now();
        await sleep(3 * windowMs);
        const quietMs = performance.now() - quietFrom;
        const quietReads = readTimes.filter((at) => at >= quietFrom).length;

        expect(zopay().setStatus(providerIdOf(id), 'completed')).toBe(true);
        const changedAt = performance.now();
        await Promise.all(watched.map((subscription) => subscription.done));
        const slowestMs = Math.max(...watched.map((subscription) => subscription.arrivals.at(-1)!)) - changedAt;

        for (const subscription of watched) {
          expect(subscription.errors).toEqual([]);
          expect(subscription.events.at(-1)).toMatchObject({ id, status: 'COMPLETED' });
        }
        expect(slowestMs).toBeLessThan(windowMs + 1_000);
        // Polling happens, and never twice in one window, whichever replica holds the lease.
        expect(quietReads).toBeGreaterThanOrEqual(1);
        // Reads at least a window apart: one at each end of the wait is possible, hence the + 1.
        expect(quietReads).toBeLessThanOrEqual(Math.floor(quietMs / windowMs) + 1);
        // Leases start a window apart by the store's clock; each GET follows its claim after a
        // claim and a request whose latency varies on a busy machine (seen: 370 ms), so the gaps
        // seen here are a window give or take that. Two replicas polling in one window would
        // show gaps of a tick (at most 400 ms) or less.
        const gaps = readTimes.slice(1).map((at, index) => at - readTimes[index]!);
        expect(Math.min(...gaps)).toBeGreaterThan(windowMs / 2);
        const [metricsOfFirst, metricsOfSecond] = await Promise.all([
          scrapeMetrics(first.origin),
          scrapeMetrics(second.origin),
        ]);
        const acquired = [metricsOfFirst, metricsOfSecond].map((text) =>
          counterValue(text, 'payments_refresh_lease_claims_total', { result: 'acquired' }),
        );
        // Each lease won is one refresh, and nothing else reads the intent from Zopay.
        expect(acquired[0]! + acquired[1]!).toBe(readTimes.length);
        console.log(
          `[figures] Zopay, 200 subscribers on 2 replicas: ${quietReads} provider GETs in ${(quietMs / 1000).toFixed(1)} s ` +
            `(window ${windowMs} ms; leases won by replica A/B: ${acquired.join('/')}); ` +
            `change seen by the last subscriber after ${slowestMs.toFixed(0)} ms`,
        );
      } finally {
        clearInterval(sampler);
      }
    },
  );

  it('memory of 1,000 idle subscriptions on one replica', { timeout: REPLICA_TEST_TIMEOUT_MS }, async () => {
    const target = await replica({ INTENT_FRESHNESS_MS: '600000' });
    const ids = await Promise.all(
      Array.from({ length: 10 }, () => createdIdOn(target, ziinaCreateInput({}, `idle-${randomUUID()}`))),
    );
    const memory = async () => {
      const text = await scrapeMetrics(target.origin);
      return {
        heap: counterValue(text, 'payments_nodejs_heap_size_used_bytes'),
        rss: counterValue(text, 'payments_process_resident_memory_bytes'),
      };
    };
    // Warm: the code paths of a subscription loaded and compiled before the baseline.
    const warm = watchMany(target, ids[0]!, 10);
    await Promise.all(warm.map((subscription) => subscription.eventCount(1)));
    await sleep(500);
    const before = await memory();
    const idle = ids.flatMap((id) => watchMany(target, id, 100));
    // Generous: a thousand subscribes on a loaded machine take seconds.
    await Promise.all(idle.map((subscription) => subscription.eventCount(1, 30_000)));
    // The lowest of a few samples: garbage of the subscribing work is collected meanwhile.
    let after = await memory();
    for (let sample = 0; sample < 6; sample += 1) {
      await sleep(500);
      const now = await memory();
      if (now.heap < after.heap) after = now;
    }
    const active = counterValue(await scrapeMetrics(target.origin), 'payments_subscriptions_active');

    expect(active).toBe(1_010);
    const heapPerSubscription = (after.heap - before.heap) / 1_000;
    // Generous: the figure is what matters; this only catches a leak of a different order.
    expect(heapPerSubscription).toBeLessThan(100_000);
    console.log(
      `[figures] 1,000 idle subscriptions (40 connections): heap +${((after.heap - before.heap) / 1e6).toFixed(1)} MB, ` +
        `RSS +${((after.rss - before.rss) / 1e6).toFixed(1)} MB, about ${(heapPerSubscription / 1024).toFixed(1)} KiB of heap each`,
    );
  });
});
