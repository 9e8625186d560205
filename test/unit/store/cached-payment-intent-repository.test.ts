import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';
import type { PaymentIntent } from '../../../src/payments/payment-intent.ts';
import type { PaymentIntentRepository, StoredPaymentIntent } from '../../../src/payments/payment-intent-repository.ts';
import {
  CachedPaymentIntentRepository,
  type CachedPaymentIntentRepositoryOptions,
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
const REFRESH_RECORD_DELAY_MS = 20;

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
    for (const cache of caches.splice(0)) await cache.close();
    await opened().db.sql.query('truncate payment_intents');
  });

  function cacheOver(
    store: PaymentIntentRepository = new SqlPaymentIntentRepository(opened().db.sql),
    options: Partial<Pick<CachedPaymentIntentRepositoryOptions, 'maxEntries' | 'freshnessMs'>> = {},
  ) {
    const lookups: Record<CacheLookup, number> = { hit: 0, miss: 0, bypass: 0 };
    const cache = new CachedPaymentIntentRepository(store, {
      maxEntries: 100,
      freshnessMs: FRESHNESS_MS,
      changes: opened().feed,
      refreshRecordDelayMs: REFRESH_RECORD_DELAY_MS,
      logger: createLogger({ level: 'silent', secrets: [] }),
      onLookup: (lookup, count) => (lookups[lookup] += count),
      ...options,
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

  /** Resolves once the feed has told this process of a refresh of the id. */
  function heardOfRefresh(id: string): Promise<void> {
    return new Promise((resolve) => {
      const unsubscribe = opened().feed.subscribe({
        changed: () => undefined,
        refreshed: (refresh) => {
          if (refresh.id !== id) return;
          unsubscribe();
          resolve();
        },
        interrupted: () => undefined,
        resumed: () => undefined,
      });
    });
  }

  async function refreshedAt(ids: readonly string[]): Promise<number[]> {
    const rows = await opened().db.sql.query<{ id: string; at: number }>(
      `select id, (extract(epoch from refreshed_at) * 1000)::float8 as at from payment_intents where id = any($1::text[])`,
      [ids],
    );
    return ids.map((id) => rows.find((row) => row.id === id)!.at);
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

  it('knows the age of a copy past the window as the store does, and hands it over without a store read', async () => {
    const { cache } = cacheOver(undefined, { freshnessMs: 40 });
    const open = zopayIntent('pi_cache_open');
    const done = reportedAs(zopayIntent('pi_cache_done'), 'COMPLETED');
    await storedElsewhere(open, done);
    await cache.getMany([open.id, done.id]);
    await new Promise((resolve) => setTimeout(resolve, 60));

    let copies = new Map<string, StoredPaymentIntent>();
    expect(
      await statementsOf(async () => {
        copies = await cache.getMany([open.id, done.id]);
      }),
    ).toBe(0);
    expect(copies.get(open.id)?.intent).toEqual(open);
    // Past the window: the reader asks the provider (payment-intent-reader.ts).
    expect(copies.get(open.id)!.ageMs).toBeGreaterThanOrEqual(60);
    expect(copies.get(done.id)?.intent.status).toBe('COMPLETED');
  });

  it("hears a refresh another replica records, and renews the copy's age without forgetting it", async () => {
    const { cache } = cacheOver(undefined, { freshnessMs: 40 });
    const intent = zopayIntent('pi_cache_refreshed_elsewhere');
    await storedElsewhere(intent);
    await cache.getMany([intent.id]);
    await new Promise((resolve) => setTimeout(resolve, 60));

    const heard = heardOfRefresh(intent.id);
    await new SqlPaymentIntentRepository(opened().otherReplica).recordRefreshes([
      { intent, confirmedAt: performance.now() },
    ]);
    await heard;

    let copy: StoredPaymentIntent | undefined;
    expect(
      await statementsOf(async () => {
        copy = (await cache.getMany([intent.id])).get(intent.id);
      }),
    ).toBe(0);
    expect(copy!.ageMs).toBeLessThan(40);
  });

  it('records a refresh that changed nothing behind, with others, and writes a change at once', async () => {
    const { cache } = cacheOver();
    const first = zopayIntent('pi_cache_confirmed_1');
    const second = zopayIntent('pi_cache_confirmed_2', { externalRef: 'order-kept' });
    await storedElsewhere(first, second);
    await cache.getMany([first.id, second.id]);
    const before = await refreshedAt([first.id, second.id]);
    // The provider does not keep the externalRef: its answer without one confirms the stored copy.
    const answers = [first, { ...second, externalRef: null }];

    let saved: PaymentIntent[] = [];
    expect(
      await statementsOf(async () => {
        saved = await cache.saveReported(answers);
      }),
    ).toBe(0);
    expect(saved).toEqual([first, second]);
    await eventually(async () => {
      const after = await refreshedAt([first.id, second.id]);
      return after.every((at, index) => at > before[index]!);
    });
    expect(await statementsOf(() => cache.getMany([first.id, second.id]))).toBe(0);

    const changed = reportedAs(first, 'PENDING');
    expect(await statementsOf(() => cache.saveReported([changed]))).toBe(1);
    expect((await cache.getMany([first.id])).get(first.id)?.intent.status).toBe('PENDING');
  });

  it('with no freshness window, records no refresh at all: ages serve nothing', async () => {
    const { cache } = cacheOver(undefined, { freshnessMs: 0 });
    const intent = zopayIntent('pi_cache_no_window');
    await storedElsewhere(intent);
    await cache.getMany([intent.id]);

    expect(await statementsOf(() => cache.saveReported([intent]))).toBe(0);
    expect(await statementsOf(() => cache.close())).toBe(0);
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
    const { cache } = cacheOver(undefined, { maxEntries: 2 });
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
