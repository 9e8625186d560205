import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';
import type { PaymentIntent } from '../../../src/payments/payment-intent.ts';
import type { PaymentIntentRepository, StoredPaymentIntent } from '../../../src/payments/payment-intent-repository.ts';
import { IntentChangeFeed, type IntentChangeSubscriber } from '../../../src/store/intent-change-feed.ts';
import { SqlPaymentIntentRepository } from '../../../src/store/sql-payment-intent-repository.ts';
import {
  IntentUpdateHub,
  SubscriptionLimitError,
  type IntentUpdate,
} from '../../../src/subscriptions/intent-update-hub.ts';
import { reportedAs, ziinaIntent } from '../../support/builders.ts';
import { useStarted } from '../../support/lifecycle.ts';
import { notificationListenerOf, openTestDatabase } from '../../support/test-database.ts';

/** A hub on a feed the test drives and a store whose reads it counts and may hold back. */
function hubOn(current: PaymentIntent, options: { maxSubscriptions?: number; bufferCapacity?: number } = {}) {
  let subscriber: IntentChangeSubscriber | undefined;
  const store = { stored: current, reads: 0, currentReads: 0, gate: Promise.resolve() };
  const hub = new IntentUpdateHub({
    changes: {
      subscribe: (feedSubscriber) => {
        subscriber = feedSubscriber;
        return () => undefined;
      },
    },
    store: {
      getMany: async (ids) => {
        store.reads += 1;
        await store.gate;
        return new Map<string, StoredPaymentIntent>(ids.map((id) => [id, { intent: store.stored, ageMs: 0 }]));
      },
    },
    readCurrent: (id) => {
      store.currentReads += 1;
      return Promise.resolve(id === current.id ? store.stored : null);
    },
    maxSubscriptions: options.maxSubscriptions ?? 100,
    bufferCapacity: options.bufferCapacity ?? 8,
    logger: createLogger({ level: 'silent', secrets: [] }),
  });
  const announce = (id: string) => subscriber!.changed({ id, lagMs: 0 });
  return { hub, store, announce, resumed: () => subscriber!.resumed() };
}

async function collect(events: AsyncIterableIterator<IntentUpdate>, count: number): Promise<IntentUpdate[]> {
  const received: IntentUpdate[] = [];
  while (received.length < count) {
    const next = await events.next();
    if (next.done === true) break;
    received.push(next.value);
  }
  return received;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('IntentUpdateHub', () => {
  it('reads a change once for all the subscribers of its intent, and sends each of them the new version', async () => {
    const intent = ziinaIntent('a');
    const { hub, store, announce } = hubOn(intent);
    const streams = Array.from({ length: 50 }, () => hub.watch(intent.id));
    expect((await Promise.all(streams.map((events) => collect(events, 1)))).flat()).toHaveLength(50);

    store.stored = { ...intent, status: 'PENDING' };
    announce(intent.id);
    const updates = await Promise.all(streams.map((events) => collect(events, 1)));
    expect(store.reads).toBe(1);
    expect(updates.flat().map((update) => update?.status)).toEqual(Array(50).fill('PENDING'));
  });

  it('gives a later subscriber of a watched intent what its topic holds, without reading it again', async () => {
    const intent = ziinaIntent('c');
    const { hub, store, announce } = hubOn(intent);
    await collect(hub.watch(intent.id), 1);
    store.stored = { ...intent, status: 'PENDING' };
    announce(intent.id);
    await settle();
    expect(store.currentReads).toBe(1);

    expect(await collect(hub.watch(intent.id), 1)).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    expect(store.currentReads).toBe(1);
  });

  it('folds the changes announced during a read into one more read', async () => {
    const intent = ziinaIntent('b');
    const { hub, store, announce } = hubOn(intent);
    const events = hub.watch(intent.id);
    await collect(events, 1);
    let open = () => undefined as unknown;
    store.gate = new Promise((resolve) => (open = resolve));
    for (let change = 0; change < 10; change += 1) announce(intent.id);
    store.stored = { ...intent, status: 'PENDING' };
    open();
    expect(await collect(events, 1)).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    await settle();
    expect(store.reads).toBe(2);
  });

  it('sends nothing for a read that finds the version already sent, and finishes after a terminal status', async () => {
    const intent = ziinaIntent('c');
    const { hub, store, announce, resumed } = hubOn(intent);
    const events = hub.watch(intent.id);
    await collect(events, 1);
    resumed();
    await settle();
    store.stored = { ...intent, status: 'COMPLETED' };
    announce(intent.id);
    expect(await collect(events, 5)).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);
    expect(hub.subscriptions).toBe(0);
  });

  it('ignores changes of intents nobody here watches', async () => {
    const intent = ziinaIntent('d');
    const { store, announce } = hubOn(intent);
    announce(intent.id);
    await settle();
    expect(store.reads).toBe(0);
  });

  it('sends null for an unknown intent and finishes', async () => {
    const { hub } = hubOn(ziinaIntent('e'));
    expect(await collect(hub.watch('ziina:unknown'), 5)).toEqual([null]);
  });

  it('refuses a subscription beyond the process limit until one ends', async () => {
    const intent = ziinaIntent('f');
    const { hub } = hubOn(intent, { maxSubscriptions: 2 });
    const first = hub.watch(intent.id);
    hub.watch(intent.id);
    expect(() => hub.watch(intent.id)).toThrow(SubscriptionLimitError);
    await first.return();
    expect(() => hub.watch(intent.id)).not.toThrow();
  });

  it('drops a subscriber that does not read, and goes on serving the others', async () => {
    const intent = ziinaIntent('g');
    const { hub, store, announce } = hubOn(intent, { bufferCapacity: 2 });
    const reader = hub.watch(intent.id);
    const stalled = hub.watch(intent.id);
    await collect(reader, 1);
    await settle();
    for (const status of ['REQUIRES_USER_ACTION', 'PENDING', 'UNKNOWN'] as const) {
      store.stored = { ...intent, status };
      announce(intent.id);
      expect(await collect(reader, 1)).toEqual([expect.objectContaining({ status })]);
    }
    expect(hub.subscriptions).toBe(1);
    await expect(collect(stalled, 5)).rejects.toThrow('fell more than 2 events behind');
  });
});

describe('IntentUpdateHub on the store and its change feed', () => {
  const opened = useStarted(
    async () => {
      const db = await openTestDatabase('postgres');
      const listener = notificationListenerOf(db);
      const feed = await IntentChangeFeed.open(db.sql, listener, createLogger({ level: 'silent', secrets: [] }));
      return { db, listener, feed, repository: new SqlPaymentIntentRepository(db.sql) };
    },
    async ({ db, listener }) => {
      await listener.close();
      await db.close();
    },
  );

  /** A hub reading the store through `store`, for a subscriber's first event too. */
  function hubReading(store: Pick<PaymentIntentRepository, 'getMany'>): IntentUpdateHub {
    return new IntentUpdateHub({
      changes: opened().feed,
      store,
      readCurrent: async (id) => (await store.getMany([id])).get(id)?.intent ?? null,
      maxSubscriptions: 100,
      bufferCapacity: 8,
      logger: createLogger({ level: 'silent', secrets: [] }),
    });
  }

  /** Stores the intent and waits until the feed announced it: no change is left to reach a hub made after. */
  async function stored(intent: PaymentIntent, clientMutationId: string): Promise<void> {
    const heard = Promise.withResolvers<undefined>();
    const unsubscribe = opened().feed.subscribe({
      changed: ({ id }) => {
        if (id === intent.id) heard.resolve(undefined);
      },
      interrupted: () => undefined,
      resumed: () => undefined,
    });
    try {
      await opened().repository.saveCreated(intent, clientMutationId);
      await heard.promise;
    } finally {
      unsubscribe();
    }
  }

  it('reads a change again when its read failed, and sends the terminal status it found', async () => {
    const { repository } = opened();
    const intent = ziinaIntent('reread-after-failure');
    await stored(intent, 'hub-reread-1');
    // The store as it is, but for the one read the test makes fail (a statement timeout, say).
    const store = {
      failNextRead: false,
      getMany: (ids: readonly string[]) => {
        if (!store.failNextRead) return repository.getMany(ids);
        store.failNextRead = false;
        return Promise.reject(new Error('canceling statement due to statement timeout'));
      },
    };
    const hub = hubReading(store);
    try {
      const events = hub.watch(intent.id);
      expect(await collect(events, 1)).toEqual([expect.objectContaining({ status: 'REQUIRES_PAYMENT_INSTRUMENT' })]);

      store.failNextRead = true;
      await repository.saveReported([reportedAs(intent, 'COMPLETED')]);

      expect(await collect(events, 5)).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);
      expect(store.failNextRead).toBe(false);
    } finally {
      hub.close();
    }
  });

  it('reads a new intent once for all the subscribers that join it together', async () => {
    const { db, repository } = opened();
    const intent = ziinaIntent('joined-together');
    await stored(intent, 'hub-joined-1');
    const hub = hubReading(repository);
    try {
      const readsBefore = db.queries.count;
      const streams = Array.from({ length: 20 }, () => hub.watch(intent.id));

      const firstEvents = await Promise.all(streams.map((events) => collect(events, 1)));
      expect(firstEvents.flat()).toEqual(Array(20).fill(expect.objectContaining({ id: intent.id })));
      expect(db.queries.count - readsBefore).toBe(1);
    } finally {
      hub.close();
    }
  });
});
