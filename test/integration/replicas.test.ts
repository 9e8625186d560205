import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartedEmulator } from '../../emulators/kit/emulator.ts';
import { startZiinaEmulator } from '../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator } from '../../emulators/zopay/zopay-emulator.ts';
import { ziinaOperationId } from '../../src/providers/ziina/ziina-operation-id.ts';
import { ziinaWebhook } from '../../src/providers/ziina/ziina-webhook.ts';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { emulatorIntents } from '../support/emulator-admin.ts';
import { useStarted, useStoppedAfterEach } from '../support/lifecycle.ts';
import {
  CREATE_PAYMENT_INTENT,
  GET_PAYMENT_INTENT,
  LIST_PAYMENT_INTENTS,
  type CreatePayload,
} from '../support/operations.ts';
import { crash, startReplica, stop, type Replica } from '../support/replica.ts';
import { counterValue, scrapeMetrics } from '../support/subgraph-metrics.ts';
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
      const env = { INTENT_FRESHNESS_MS: '600000' };
      const [reader, receiver] = await Promise.all([replica(env), replica(env)]);
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
