import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';
import {
  IntentChangeFeed,
  type IntentChange,
  type IntentChangeSubscriber,
  type IntentRefresh,
} from '../../../src/store/intent-change-feed.ts';
import { PostgresListener } from '../../../src/store/postgres-listener.ts';
import { SqlPaymentIntentRepository } from '../../../src/store/sql-payment-intent-repository.ts';
import { reportedAs, zopayIntent } from '../../support/builders.ts';
import { MemoryLog } from '../../support/memory-log.ts';
import {
  notificationListenerOf,
  openTestDatabase,
  STORE_ENGINES,
  testPostgresClient,
  type TestDatabase,
} from '../../support/test-database.ts';
import { useStarted } from '../../support/lifecycle.ts';
import { startTcpProxy } from '../../support/tcp-proxy.ts';

/** What a subscriber was told, in order. */
class RecordingSubscriber implements IntentChangeSubscriber {
  readonly events: (IntentChange | 'interrupted' | 'resumed')[] = [];
  readonly refreshes: IntentRefresh[] = [];
  changed(change: IntentChange): void {
    this.events.push(change);
  }
  refreshed(refresh: IntentRefresh): void {
    this.refreshes.push(refresh);
  }
  interrupted(): void {
    this.events.push('interrupted');
  }
  resumed(): void {
    this.events.push('resumed');
  }
  get changedIds(): string[] {
    return this.events.flatMap((event) => (typeof event === 'string' ? [] : [event.id]));
  }
}

/** Notifications travel asynchronously: wait until `condition` holds, or fail after a second. */
async function eventually(condition: () => boolean, timeoutMs = 1_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/** The channel the feed of a test database on the server listens on. */
function channelOf(db: TestDatabase): string {
  return `${/search_path=(\w+)/.exec(decodeURIComponent(db.databaseUrl!))![1]!}.payment_intents`;
}

/** Ends the server sessions whose last statement was the LISTEN of the channel; returns how many. */
async function terminateListeners(db: TestDatabase, channel: string): Promise<number> {
  const terminated = await db.sql.query<{ terminated: boolean }>(
    `select pg_terminate_backend(pid) as terminated from pg_stat_activity where query = $1`,
    [`listen "${channel}"`],
  );
  return terminated.filter((row) => row.terminated).length;
}

describe.each(STORE_ENGINES)('IntentChangeFeed on %s', (engine) => {
  const log = new MemoryLog();
  const opened = useStarted(
    async () => {
      const db = await openTestDatabase(engine);
      const listener = notificationListenerOf(db);
      const feed = await IntentChangeFeed.open(
        db.sql,
        listener,
        createLogger({ level: 'info', secrets: [], destination: log }),
      );
      return { db, listener, feed };
    },
    async ({ db, listener }) => {
      await listener.close();
      await db.close();
    },
  );
  const unsubscribes: (() => void)[] = [];
  afterEach(() => {
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  });

  function subscribed(): RecordingSubscriber {
    const subscriber = new RecordingSubscriber();
    unsubscribes.push(opened().feed.subscribe(subscriber));
    return subscriber;
  }

  it('announces a stored intent when it is created, and again on each change of what a reader sees', async () => {
    const subscriber = subscribed();
    const repository = new SqlPaymentIntentRepository(opened().db.sql);
    const intent = zopayIntent('pi_feed_created');

    await repository.saveCreated(intent, 'feed-created-1');
    await eventually(() => subscriber.changedIds.length === 1);
    await repository.saveReported([reportedAs(intent, 'PENDING')]);
    await eventually(() => subscriber.changedIds.length === 2);

    expect(subscriber.changedIds).toEqual([intent.id, intent.id]);
    const [first] = subscriber.events as IntentChange[];
    expect(first!.lagMs).toBeGreaterThanOrEqual(0);
    expect(first!.lagMs).toBeLessThan(1_000);
  });

  it('announces a refresh that changes nothing, and a late report a terminal status keeps out, as refreshes only', async () => {
    const subscriber = subscribed();
    const repository = new SqlPaymentIntentRepository(opened().db.sql);
    const intent = zopayIntent('pi_feed_unchanged');
    await repository.saveCreated(reportedAs(intent, 'COMPLETED'), 'feed-unchanged-1');
    await eventually(() => subscriber.changedIds.length === 1);

    await repository.saveReported([reportedAs(intent, 'COMPLETED')]);
    await repository.saveReported([reportedAs(intent, 'PENDING')]);
    await eventually(() => subscriber.refreshes.length === 2);
    await settle();

    expect(subscriber.changedIds).toEqual([intent.id]);
    expect(subscriber.refreshes.map((refresh) => refresh.id)).toEqual([intent.id, intent.id]);
    for (const { ageMs } of subscriber.refreshes) {
      expect(ageMs).toBeGreaterThanOrEqual(0);
      expect(ageMs).toBeLessThan(1_000);
    }
  });

  it('announces a refresh recorded late with the age of the confirmation, and none for a copy changed since', async () => {
    const subscriber = subscribed();
    const repository = new SqlPaymentIntentRepository(opened().db.sql);
    const intent = zopayIntent('pi_feed_confirmed');
    await repository.saveCreated(intent, 'feed-confirmed-1');
    await eventually(() => subscriber.changedIds.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 400));

    // Confirmed 300 ms ago, recorded now: the copy is that old, not new.
    await repository.recordRefreshes([{ intent, confirmedAt: performance.now() - 300 }]);
    await eventually(() => subscriber.refreshes.length === 1);
    expect(subscriber.refreshes[0]!.ageMs).toBeGreaterThanOrEqual(290);
    expect(subscriber.refreshes[0]!.ageMs).toBeLessThan(1_000);
    // A confirmation of a copy the store no longer holds is not recorded.
    await repository.saveReported([reportedAs(intent, 'PENDING')]);
    await repository.recordRefreshes([{ intent, confirmedAt: performance.now() }]);
    await settle();

    expect(subscriber.refreshes).toHaveLength(1);
    expect(subscriber.changedIds).toEqual([intent.id, intent.id]);
  });

  it('announces one change per intent of a statement that writes several, and none to an unsubscribed listener', async () => {
    const subscriber = subscribed();
    const gone = new RecordingSubscriber();
    opened().feed.subscribe(gone)();
    const ids = ['pi_feed_batch_1', 'pi_feed_batch_2', 'pi_feed_batch_3'];

    await new SqlPaymentIntentRepository(opened().db.sql).saveReported(ids.map((id) => zopayIntent(id)));
    await eventually(() => subscriber.changedIds.length === 3);

    expect(subscriber.changedIds.sort()).toEqual(ids.map((id) => `zopay:${id}`).sort());
    expect(gone.events).toEqual([]);
  });

  it('keeps telling the other subscribers when one of them throws', async () => {
    unsubscribes.push(
      opened().feed.subscribe({
        changed: () => {
          throw new Error('a broken subscriber');
        },
        interrupted: () => undefined,
        resumed: () => undefined,
      }),
    );
    const subscriber = subscribed();

    await new SqlPaymentIntentRepository(opened().db.sql).saveCreated(zopayIntent('pi_feed_isolated'), 'feed-iso-1');

    await eventually(() => subscriber.changedIds.length === 1);
    expect(log.text).toContain('an intent change subscriber failed');
  });

  if (engine === 'postgres') {
    it('hears what another replica writes, and nothing of another schema on the same server', async () => {
      const subscriber = subscribed();
      const otherReplica = testPostgresClient(opened().db.databaseUrl!, 1);
      const otherSchema = await openTestDatabase('postgres');
      try {
        await new SqlPaymentIntentRepository(otherSchema.sql).saveCreated(zopayIntent('pi_feed_elsewhere'), 'feed-x-1');
        await new SqlPaymentIntentRepository(otherReplica).saveCreated(zopayIntent('pi_feed_replica'), 'feed-r-1');
        await eventually(() => subscriber.changedIds.length >= 1);
        await settle();
      } finally {
        await otherReplica.close();
        await otherSchema.close();
      }

      expect(subscriber.changedIds).toEqual(['zopay:pi_feed_replica']);
    });

    it('tells its subscribers when the listening connection is lost, listens again, and says so', async () => {
      const subscriber = subscribed();
      const { db, feed } = opened();

      expect(await terminateListeners(db, channelOf(db))).toBe(1);
      await eventually(() => subscriber.events.includes('interrupted'));
      expect(feed.listening).toBe(false);
      await eventually(() => subscriber.events.includes('resumed'), 6_000);
      expect(feed.listening).toBe(true);

      await new SqlPaymentIntentRepository(db.sql).saveCreated(zopayIntent('pi_feed_after_loss'), 'feed-after-1');
      await eventually(() => subscriber.changedIds.length === 1);
      expect(subscriber.events).toEqual([
        'interrupted',
        'resumed',
        expect.objectContaining({ id: 'zopay:pi_feed_after_loss' }),
      ]);
      expect(log.text).toContain('intent change feed interrupted');
    });
  }
});

describe('PostgresListener', () => {
  it('notices a connection that went silent by its heartbeat, and listens again on a new one', async () => {
    const db = await openTestDatabase('postgres');
    const server = new URL(db.databaseUrl!);
    const proxy = await startTcpProxy(server.hostname, Number(server.port));
    server.port = String(proxy.port);
    const listener = new PostgresListener({
      connectionString: server.toString(),
      connectTimeoutMs: 300,
      heartbeatMs: 100,
      onConnectionError: () => undefined,
    });
    const subscriber = new RecordingSubscriber();
    // Heartbeats fall due while one hangs on the silent connection: none may be sent over it.
    const warnings: string[] = [];
    const recordWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', recordWarning);
    try {
      const feed = await IntentChangeFeed.open(db.sql, listener, createLogger({ level: 'silent', secrets: [] }));
      feed.subscribe(subscriber);
      proxy.stallOpenConnections();
      await eventually(() => subscriber.events.includes('resumed'), 3_000);
      expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([]);

      await new SqlPaymentIntentRepository(db.sql).saveCreated(zopayIntent('pi_feed_after_silence'), 'feed-s-1');
      await eventually(() => subscriber.changedIds.length === 1);
      expect(subscriber.events).toEqual([
        'interrupted',
        'resumed',
        expect.objectContaining({ id: 'zopay:pi_feed_after_silence' }),
      ]);
    } finally {
      process.off('warning', recordWarning);
      await listener.close();
      await proxy.close();
      await db.close();
    }
  });

  it('reconnects once when the new connection is lost while it listens: one session listens, each change is told once', async () => {
    const db = await openTestDatabase('postgres');
    const server = new URL(db.databaseUrl!);
    const proxy = await startTcpProxy(server.hostname, Number(server.port));
    server.port = String(proxy.port);
    const connectionErrors: Error[] = [];
    const listener = new PostgresListener({
      connectionString: server.toString(),
      connectTimeoutMs: 2_000,
      heartbeatMs: 60_000,
      onConnectionError: (error) => connectionErrors.push(error),
    });
    const subscriber = new RecordingSubscriber();
    try {
      const feed = await IntentChangeFeed.open(db.sql, listener, createLogger({ level: 'silent', secrets: [] }));
      feed.subscribe(subscriber);
      const channel = channelOf(db);
      // pg tells of the loss of the connection first, then fails the LISTEN that was running on it.
      proxy.cutNextConnectionSending(`listen "${channel}"`);

      expect(await terminateListeners(db, channel)).toBe(1);
      await eventually(() => subscriber.events.includes('resumed'), 6_000);
      // A second reconnection, were one under way, would be back by now (its delays are below 1 s).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const sessions = await db.sql.query<{ listening: number }>(
        `select count(*)::int as listening from pg_stat_activity where query = $1`,
        [`listen "${channel}"`],
      );
      expect(sessions).toEqual([{ listening: 1 }]);
      // The terminated session, then the reconnection whose LISTEN was cut.
      expect(connectionErrors).toHaveLength(2);
      expect(feed.listening).toBe(true);

      await new SqlPaymentIntentRepository(db.sql).saveCreated(zopayIntent('pi_feed_after_flap'), 'feed-f-1');
      await eventually(() => subscriber.changedIds.length === 1);
      await settle();
      expect(subscriber.events).toEqual([
        'interrupted',
        'resumed',
        expect.objectContaining({ id: 'zopay:pi_feed_after_flap' }),
      ]);
    } finally {
      await listener.close();
      await proxy.close();
      await db.close();
    }
  });

  it('fails the start when the server cannot be reached', async () => {
    const listener = new PostgresListener({
      connectionString: 'postgres://postgres@127.0.0.1:1/test',
      connectTimeoutMs: 500,
      heartbeatMs: 60_000,
      onConnectionError: () => undefined,
    });
    await expect(listener.listen('public.payment_intents', new RecordingSubscriber() as never)).rejects.toThrow();
    await listener.close();
  });
});
