import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startZiinaEmulator } from '../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator } from '../../emulators/zopay/zopay-emulator.ts';
import { ziinaWebhook } from '../../src/providers/ziina/ziina-webhook.ts';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { providerIdOf } from '../support/emulator-admin.ts';
import { useStarted, useStoppedAfterEach } from '../support/lifecycle.ts';
import { CREATE_PAYMENT_INTENT, type CreatePayload } from '../support/operations.ts';
import { startReplica, stop, type Replica } from '../support/replica.ts';
import {
  subscriptionClient,
  type SubscriptionClient,
  type WatchedSubscription,
} from '../support/subscription-client.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
import { createTestSchema } from '../support/test-database.ts';

// Subscriptions across replicas that share PostgreSQL: a change written by one replica (a webhook,
// a provider refresh) reaches the subscribers of every replica through the store's announcements.

const REPLICA_TEST_TIMEOUT_MS = 60_000;
const WEBHOOK_SECRET = 'subscription-replicas-webhook-secret-0123456789';

const zopay = useStarted(startZopayEmulator, (emulator) => emulator.close());
const ziina = useStarted(startZiinaEmulator, (emulator) => emulator.close());
const schema = useStarted(createTestSchema, (created) => created.drop());
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

function connect(target: Replica): SubscriptionClient {
  const client = subscriptionClient(target.graphqlUrl);
  clients.push(client);
  return client;
}

async function createdId(target: Replica, input: object): Promise<string> {
  const answer = await target.graphql(CREATE_PAYMENT_INTENT, { input });
  expect(answer.json.errors).toBeUndefined();
  return (answer.json.data.createPaymentIntent as CreatePayload).paymentIntent!.id;
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

describe('subscriptions on two replicas sharing PostgreSQL', () => {
  it(
    'a Ziina webhook delivered to one replica reaches a subscriber of the other in under a second',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async () => {
      const [subscribed, receiver] = await Promise.all([replica(), replica()]);
      await ziinaWebhook.register(ziina(), `${receiver.origin}${ziinaWebhook.path}`, WEBHOOK_SECRET);
      const id = await createdId(subscribed, ziinaCreateInput({}, `replicas-${randomUUID()}`));
      const watched = connect(subscribed).watch(id);
      await watched.eventCount(1);

      expect(ziina().setStatus(providerIdOf(id), 'completed')).toBe(true);
      await ziina().webhooks.settled();
      const deliveredAt = performance.now();
      await watched.done;

      expect(watched.events.map((event) => event?.status)).toEqual(['REQUIRES_PAYMENT_INSTRUMENT', 'COMPLETED']);
      const latencyMs = watched.arrivals[1]! - deliveredAt;
      expect(latencyMs).toBeLessThan(1_000);
      console.log(`[figures] webhook answered on replica B to the event on replica A: ${latencyMs.toFixed(1)} ms`);
    },
  );

  it(
    'Zopay (no webhooks): 200 subscribers over two replicas cost at most one provider GET per freshness window, and all see the change within the window plus a second',
    { timeout: REPLICA_TEST_TIMEOUT_MS },
    async () => {
      const windowMs = 2_000;
      const env = { INTENT_FRESHNESS_MS: String(windowMs) };
      const [first, second] = await Promise.all([replica(env), replica(env)]);
      const id = await createdId(first, zopayCreateInput({}, `replicas-${randomUUID()}`));
      const readTimes: number[] = [];
      let reads = zopay().stats.readRequests;
      const sampler = setInterval(() => {
        for (; reads < zopay().stats.readRequests; reads += 1) readTimes.push(performance.now());
      }, 5);
      try {
        const watched = [...watchMany(first, id, 100), ...watchMany(second, id, 100)];
        await Promise.all(watched.map((subscription) => subscription.eventCount(1)));
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
        expect(quietReads).toBeLessThanOrEqual(Math.ceil(quietMs / windowMs));
        const gaps = readTimes.slice(1).map((at, index) => at - readTimes[index]!);
        expect(Math.min(...gaps)).toBeGreaterThan(windowMs - 200);
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
      Array.from({ length: 10 }, () => createdId(target, ziinaCreateInput({}, `idle-${randomUUID()}`))),
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
    await Promise.all(idle.map((subscription) => subscription.eventCount(1)));
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
