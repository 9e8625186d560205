import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';
import type { PaymentIntent } from '../../../src/payments/payment-intent.ts';
import type { StoredPaymentIntent } from '../../../src/payments/payment-intent-repository.ts';
import type { IntentChangeSubscriber } from '../../../src/store/intent-change-feed.ts';
import {
  IntentUpdateHub,
  SubscriptionLimitError,
  type IntentUpdate,
} from '../../../src/subscriptions/intent-update-hub.ts';
import { ziinaIntent } from '../../support/builders.ts';

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
