import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';
import type { PaymentIntent } from '../../../src/payments/payment-intent.ts';
import type { PaymentIntentRepository } from '../../../src/payments/payment-intent-repository.ts';
import {
  CachedPaymentIntentRepository,
  type CacheLookup,
} from '../../../src/store/cached-payment-intent-repository.ts';
import { IntentChangeFeed } from '../../../src/store/intent-change-feed.ts';
import type { SqlClient } from '../../../src/store/sql-client.ts';
import { SqlPaymentIntentRepository } from '../../../src/store/sql-payment-intent-repository.ts';
import { reportedAs, zopayIntent } from '../../support/builders.ts';
import { useStarted } from '../../support/lifecycle.ts';
import {
  notificationListenerOf,
  openTestDatabase,
  STORE_ENGINES,
  testPostgresClient,
  type TestDatabase,
} from '../../support/test-database.ts';

const FRESHNESS_MS = 60_000;

/** The store as another replica writes it: on PostgreSQL another pool, on PGlite (one process) the same client. */
function otherReplicaOf(db: TestDatabase): SqlClient {
  return db.databaseUrl === null ? db.sql : testPostgresClient(db.databaseUrl, 1);
}

async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 1_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.each(STORE_ENGINES)('CachedPaymentIntentRepository on %s', (engine) => {
  const opened = useStarted(
    async () => {
      const db = await openTestDatabase(engine);
      const listener = notificationListenerOf(db);
      const feed = await IntentChangeFeed.open(db.sql, listener, createLogger({ level: 'silent', secrets: [] }));
      const otherReplica = otherReplicaOf(db);
      return { db, listener, feed, otherReplica };
    },
    async ({ db, listener, otherReplica }) => {
      if (otherReplica !== db.sql) await otherReplica.close();
      await listener.close();
      await db.close();
    },
  );
  const caches: CachedPaymentIntentRepository[] = [];
  afterEach(async () => {
    for (const cache of caches.splice(0)) cache.detach();
    await opened().db.sql.query('truncate payment_intents');
  });

  function cacheOver(store: PaymentIntentRepository = new SqlPaymentIntentRepository(opened().db.sql)) {
    const lookups: Record<CacheLookup, number> = { hit: 0, miss: 0, bypass: 0 };
    const cache = new CachedPaymentIntentRepository(store, {
      maxEntries: 100,
      freshnessMs: FRESHNESS_MS,
      changes: opened().feed,
      onLookup: (lookup, count) => (lookups[lookup] += count),
    });
    caches.push(cache);
    return { cache, lookups };
  }

  /** Statements sent through the test database's own client while `work` runs. */
  async function statementsOf(work: () => Promise<unknown>): Promise<number> {
    const before = opened().db.queries.count;
    await work();
    return opened().db.queries.count - before;
  }

  /** Resolves once the feed has told this process of a change of each id (its subscribers before this one). */
  function heardOf(ids: readonly string[]): Promise<void> {
    const waiting = new Set(ids);
    return new Promise((resolve) => {
      const unsubscribe = opened().feed.subscribe({
        changed: ({ id }) => {
          waiting.delete(id);
          if (waiting.size > 0) return;
          unsubscribe();
          resolve();
        },
        interrupted: () => undefined,
        resumed: () => undefined,
      });
    });
  }

  /** Written by another replica, and announced here (so no announcement is still on its way). */
  async function storedElsewhere(...intents: PaymentIntent[]): Promise<void> {
    const heard = heardOf(intents.map((intent) => intent.id));
    await new SqlPaymentIntentRepository(opened().otherReplica).saveReported(intents);
    await heard;
  }

  it('answers a second read of a stored intent from memory, with an age that keeps growing', async () => {
    const { cache, lookups } = cacheOver();
    const intent = zopayIntent('pi_cache_hit');
    await storedElsewhere(intent);

    const first = (await cache.getMany([intent.id])).get(intent.id)!;
    await new Promise((resolve) => setTimeout(resolve, 20));
    let second;
    expect(
      await statementsOf(async () => {
        second = (await cache.getMany([intent.id])).get(intent.id)!;
      }),
    ).toBe(0);

    expect(second!.intent).toEqual(first.intent);
    expect(second!.ageMs).toBeGreaterThanOrEqual(first.ageMs + 15);
    expect(lookups).toEqual({ hit: 1, miss: 1, bypass: 0 });
  });

  it('hears a change another replica writes and reads it from the store next', async () => {
    const { cache } = cacheOver();
    const intent = zopayIntent('pi_cache_changed');
    await storedElsewhere(intent);
    await cache.getMany([intent.id]);

    await storedElsewhere(reportedAs(intent, 'COMPLETED'));

    expect((await cache.getMany([intent.id])).get(intent.id)?.intent.status).toBe('COMPLETED');
  });

  it('forgets what it writes itself at once, before the store announces it', async () => {
    const { cache } = cacheOver();
    const intent = zopayIntent('pi_cache_own_write');
    await cache.saveCreated(intent, 'cache-own-1');
    await cache.getMany([intent.id]);

    await cache.saveReported([reportedAs(intent, 'PENDING')]);

    expect((await cache.getMany([intent.id])).get(intent.id)?.intent.status).toBe('PENDING');
  });

  it('keeps a copy in memory when its intent is handed out: a hand-out changes nothing a read answers', async () => {
    const { cache } = cacheOver();
    const intent = zopayIntent('pi_cache_handed_out');
    await storedElsewhere(intent);
    await cache.getMany([intent.id]);

    await cache.markHandedOut(intent);

    expect(await statementsOf(() => cache.getMany([intent.id]))).toBe(0);
    expect((await cache.getMany([intent.id])).get(intent.id)?.intent).toEqual(intent);
  });

  it('serves a non-terminal copy only within the freshness window, and a terminal one beyond it', async () => {
    const store = new SqlPaymentIntentRepository(opened().db.sql);
    const cache = new CachedPaymentIntentRepository(store, {
      maxEntries: 100,
      freshnessMs: 40,
      changes: opened().feed,
    });
    caches.push(cache);
    const open = zopayIntent('pi_cache_open');
    const done = reportedAs(zopayIntent('pi_cache_done'), 'COMPLETED');
    await storedElsewhere(open, done);
    await cache.getMany([open.id, done.id]);
    await new Promise((resolve) => setTimeout(resolve, 60));

    expect(await statementsOf(() => cache.getMany([done.id]))).toBe(0);
    expect(await statementsOf(() => cache.getMany([open.id]))).toBe(1);
  });

  it('keeps the answer of a read that a change overtook out of memory', async () => {
    const store = new SqlPaymentIntentRepository(opened().db.sql);
    const intent = zopayIntent('pi_cache_overtaken');
    await storedElsewhere(intent);
    const gate = Promise.withResolvers<undefined>();
    const queried = Promise.withResolvers<undefined>();
    let reads = 0;
    // The first answer arrives late: read from the store before the change, handed over after it was announced.
    const slowStore: PaymentIntentRepository = Object.assign(Object.create(store) as PaymentIntentRepository, {
      getMany: async (ids: readonly string[]) => {
        const answer = await store.getMany(ids);
        reads += 1;
        if (reads === 1) {
          queried.resolve(undefined);
          await gate.promise;
        }
        return answer;
      },
    });
    const { cache } = cacheOver(slowStore);

    const reading = cache.getMany([intent.id]);
    await queried.promise;
    await storedElsewhere(reportedAs(intent, 'CANCELED'));
    gate.resolve(undefined);

    expect((await reading).get(intent.id)?.intent.status).toBe('REQUIRES_PAYMENT_INSTRUMENT');
    expect((await cache.getMany([intent.id])).get(intent.id)?.intent.status).toBe('CANCELED');
    expect(reads).toBe(2);
  });

  it('evicts the least recently read intent beyond its size', async () => {
    const store = new SqlPaymentIntentRepository(opened().db.sql);
    const cache = new CachedPaymentIntentRepository(store, {
      maxEntries: 2,
      freshnessMs: FRESHNESS_MS,
      changes: opened().feed,
    });
    caches.push(cache);
    const intents = ['pi_lru_1', 'pi_lru_2', 'pi_lru_3'].map((providerId) => zopayIntent(providerId));
    const ids = intents.map((intent) => intent.id);
    await storedElsewhere(...intents);
    for (const id of ids) await cache.getMany([id]);

    expect(await statementsOf(() => cache.getMany(ids.slice(1)))).toBe(0);
    expect(await statementsOf(() => cache.getMany(ids.slice(0, 1)))).toBe(1);
  });

  if (engine === 'postgres') {
    it('bypasses memory while the change feed is interrupted, and is empty when it resumes', async () => {
      const { cache, lookups } = cacheOver();
      const intent = zopayIntent('pi_cache_interrupted');
      await storedElsewhere(intent);
      await cache.getMany([intent.id]);
      const channel = `${/search_path=(\w+)/.exec(decodeURIComponent(opened().db.databaseUrl!))![1]!}.payment_intents`;

      await opened().db.sql.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = $1`, [
        `listen "${channel}"`,
      ]);
      await eventually(() => !opened().feed.listening);
      // Unheard while interrupted: only the store knows.
      await new SqlPaymentIntentRepository(opened().otherReplica).saveReported([reportedAs(intent, 'FAILED')]);
      expect((await cache.getMany([intent.id])).get(intent.id)?.intent.status).toBe('FAILED');
      expect(lookups.bypass).toBe(1);
      await eventually(() => opened().feed.listening, 6_000);

      expect(await statementsOf(() => cache.getMany([intent.id]))).toBe(1);
      expect(await statementsOf(() => cache.getMany([intent.id]))).toBe(0);
    });
  }
});
