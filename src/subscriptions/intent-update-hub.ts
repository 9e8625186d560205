import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logging/logger.ts';
import { canonicalJson } from '../lib/canonical-json.ts';
import { isTerminalStatus, type PaymentIntent } from '../payments/payment-intent.ts';
import type { PaymentIntentRepository, StoredPaymentIntent } from '../payments/payment-intent-repository.ts';
import type { IntentChange, IntentChangeFeed } from '../store/intent-change-feed.ts';
import { BoundedEventStream, type StreamEnd } from './bounded-event-stream.ts';

/** A re-read of a changed intent that failed is tried again after this, doubled each time up to max. */
const REREAD_RETRY_DELAY_MS = { first: 100, max: 5_000 } as const;

/** What a subscriber is sent: the intent, or null when no such intent exists. */
export type IntentUpdate = PaymentIntent | null;

/** The process already serves SUBSCRIPTIONS_MAX_PER_PROCESS subscriptions. */
export class SubscriptionLimitError extends Error {
  override readonly name = 'SubscriptionLimitError';
  readonly limit: number;

  constructor(limit: number) {
    super(`this replica already serves its limit of ${limit} subscriptions`);
    this.limit = limit;
  }
}

export interface IntentUpdateHubOptions {
  readonly changes: Pick<IntentChangeFeed, 'subscribe'>;
  /** Where a change is read again: the store itself, so that every process reads what was announced. */
  readonly store: Pick<PaymentIntentRepository, 'getMany'>;
  /** The intent as it is now, for a subscriber's first event (null: no such intent). */
  readonly readCurrent: (id: string) => Promise<IntentUpdate>;
  readonly maxSubscriptions: number;
  /** Events one subscriber may fall behind before it is dropped. */
  readonly bufferCapacity: number;
  readonly logger: Logger;
  /** Told of every event sent, with the seconds from the store's write to the push when a change caused it. */
  readonly onPushed?: (lagSeconds: number | null) => void;
  readonly onDropped?: () => void;
}

interface Subscriber {
  readonly stream: BoundedEventStream<IntentUpdate>;
  /** performance.now() when it subscribed, for its end's log line. */
  readonly openedAt: number;
  events: number;
  /** The last event sent, as canonical JSON: a read that finds the same intent sends nothing. */
  lastSent: string | null;
  /** False until its first event is sent: changes before it are in that first event. */
  started: boolean;
}

/** The subscribers of one intent in this process, and the reads of it that feed them. */
interface Topic {
  readonly id: string;
  readonly subscribers: Set<Subscriber>;
  /** Reads of the intent started so far; an answer is applied only if no later read's already was. */
  readsStarted: number;
  /** The newest answer applied, with its canonical JSON: one copy shared by every subscriber. */
  latest: { readonly read: number; readonly intent: IntentUpdate; readonly text: string } | null;
  /** The read of a new topic's intent, shared by every subscriber that joins before it answers. */
  firstRead: Promise<void> | null;
  rereading: boolean;
  /** A change was heard while a read was running: read once more after it. */
  rereadAgain: boolean;
  /** performance.now() at the store's write of the oldest change not yet read, for the lag. */
  changedAt: number | null;
}

/**
 * The fan-out of intent changes to this process's subscriptions (docs/decisions/subscriptions.md).
 * Subscribers of one intent share one topic: each change the store announces (whichever replica
 * wrote it) is read from the store once for all of them, not once per subscriber, and changes
 * announced while that read runs are folded into one more read; a read that fails is tried again
 * until it answers or the topic has no subscribers. Each subscriber gets the intent as it is now
 * first (one read for all who join a new topic together), then every different version, and its
 * stream finishes after a terminal status (or after null: no such intent). When the feed resumes
 * after an interruption, every watched intent is read again, since changes may have been missed.
 */
export class IntentUpdateHub {
  readonly #options: IntentUpdateHubOptions;
  readonly #topics = new Map<string, Topic>();
  readonly #unsubscribe: () => void;
  #subscriptions = 0;

  constructor(options: IntentUpdateHubOptions) {
    this.#options = options;
    this.#unsubscribe = options.changes.subscribe({
      changed: (change) => {
        this.#changed(change);
      },
      interrupted: () => undefined,
      resumed: () => {
        for (const topic of this.#topics.values()) this.#reread(topic);
      },
    });
  }

  /** Subscriptions open in this process. */
  get subscriptions(): number {
    return this.#subscriptions;
  }

  /** The intents with subscribers here, each with what was last read of it (undefined: nothing yet). */
  *watched(): Generator<{ readonly id: string; readonly intent: IntentUpdate | undefined }> {
    for (const topic of this.#topics.values()) yield { id: topic.id, intent: topic.latest?.intent };
  }

  /** A subscription to one intent; throws SubscriptionLimitError when the process is full. */
  watch(id: string): BoundedEventStream<IntentUpdate> {
    if (this.#subscriptions >= this.#options.maxSubscriptions) {
      throw new SubscriptionLimitError(this.#options.maxSubscriptions);
    }
    const topic = this.#topicOf(id);
    const subscriber: Subscriber = {
      stream: new BoundedEventStream<IntentUpdate>(this.#options.bufferCapacity, (reason) => {
        this.#leave(topic, subscriber, reason);
      }),
      openedAt: performance.now(),
      events: 0,
      lastSent: null,
      started: false,
    };
    topic.subscribers.add(subscriber);
    this.#subscriptions += 1;
    this.#options.logger.info({ paymentIntentId: id, subscriptions: this.#subscriptions }, 'subscription started');
    void this.#start(topic, subscriber);
    return subscriber.stream;
  }

  /** Stops hearing of changes and ends every subscription (shutdown). */
  close(): void {
    this.#unsubscribe();
    for (const topic of [...this.#topics.values()]) {
      for (const subscriber of [...topic.subscribers]) void subscriber.stream.return();
    }
  }

  #topicOf(id: string): Topic {
    let topic = this.#topics.get(id);
    if (topic === undefined) {
      topic = {
        id,
        subscribers: new Set(),
        readsStarted: 0,
        latest: null,
        firstRead: null,
        rereading: false,
        rereadAgain: false,
        changedAt: null,
      };
      this.#topics.set(id, topic);
    }
    return topic;
  }

  async #start(topic: Topic, subscriber: Subscriber): Promise<void> {
    // A topic that has read its intent already holds it as of the last change announced (a change
    // being read now reaches this subscriber too, once it has started): only a new topic reads, once
    // for all who join it before the answer. A failed read fails them all; the next joiner reads anew.
    if (topic.latest === null) {
      try {
        await (topic.firstRead ??= this.#readFirst(topic).finally(() => (topic.firstRead = null)));
      } catch (error) {
        subscriber.stream.fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
    }
    subscriber.started = true;
    const { latest } = topic;
    if (latest !== null) this.#send(subscriber, latest.intent, latest.text, null);
  }

  async #readFirst(topic: Topic): Promise<void> {
    const read = ++topic.readsStarted;
    const intent = await this.#options.readCurrent(topic.id);
    // A change read meanwhile is newer than this answer.
    if (isNewest(topic, read)) topic.latest = { read, intent, text: textOf(intent) };
  }

  #changed(change: IntentChange): void {
    const topic = this.#topics.get(change.id);
    if (topic === undefined) return;
    topic.changedAt ??= performance.now() - change.lagMs;
    this.#reread(topic);
  }

  #reread(topic: Topic): void {
    if (topic.rereading) {
      topic.rereadAgain = true;
      return;
    }
    topic.rereading = true;
    void this.#readAndPush(topic).finally(() => {
      topic.rereading = false;
      if (topic.rereadAgain && this.#isWatched(topic)) {
        topic.rereadAgain = false;
        this.#reread(topic);
      }
    });
  }

  /**
   * Reads the intent until a read answers: a change may be the last one ever announced (a Ziina
   * intent's terminal status), and its subscribers must not miss it for one failed read. Each try
   * is a read of its own, numbered when it starts, so that an older answer never replaces a newer.
   * Changes announced meanwhile are read once more after it (see #reread).
   */
  async #readAndPush(topic: Topic): Promise<void> {
    const changedAt = topic.changedAt;
    topic.changedAt = null;
    let retryDelayMs: number = REREAD_RETRY_DELAY_MS.first;
    while (this.#isWatched(topic)) {
      const read = ++topic.readsStarted;
      let stored: Map<string, StoredPaymentIntent>;
      try {
        stored = await this.#options.store.getMany([topic.id]);
      } catch (error) {
        this.#options.logger.warn({ err: error, paymentIntentId: topic.id }, 'reading a changed intent failed');
        // Full jitter: the topics of a store that failed them all together do not read again in step.
        await sleep(Math.random() * retryDelayMs, undefined, { ref: false });
        retryDelayMs = Math.min(retryDelayMs * 2, REREAD_RETRY_DELAY_MS.max);
        continue;
      }
      this.#push(topic, read, stored.get(topic.id)?.intent, changedAt);
      return;
    }
  }

  #push(topic: Topic, read: number, intent: PaymentIntent | undefined, changedAt: number | null): void {
    if (intent === undefined || !isNewest(topic, read)) return;
    const text = textOf(intent);
    topic.latest = { read, intent, text };
    const lagSeconds = changedAt === null ? null : (performance.now() - changedAt) / 1000;
    for (const subscriber of topic.subscribers) {
      if (subscriber.started) this.#send(subscriber, intent, text, lagSeconds);
    }
  }

  /** Whether the topic still has subscribers: a topic left by its last one is gone from the map. */
  #isWatched(topic: Topic): boolean {
    return this.#topics.get(topic.id) === topic;
  }

  #send(subscriber: Subscriber, intent: IntentUpdate, text: string, lagSeconds: number | null): void {
    if (text === subscriber.lastSent) return;
    subscriber.lastSent = text;
    subscriber.events += 1;
    subscriber.stream.push(intent);
    if (subscriber.stream.ended) return;
    this.#options.onPushed?.(lagSeconds);
    if (intent === null || isTerminalStatus(intent.status)) subscriber.stream.finish();
  }

  #leave(topic: Topic, subscriber: Subscriber, reason: StreamEnd): void {
    if (!topic.subscribers.delete(subscriber)) return;
    this.#subscriptions -= 1;
    if (topic.subscribers.size === 0) this.#topics.delete(topic.id);
    if (reason === 'dropped') this.#options.onDropped?.();
    this.#options.logger.info(
      {
        paymentIntentId: topic.id,
        reason,
        events: subscriber.events,
        durationMs: Math.round(performance.now() - subscriber.openedAt),
        subscriptions: this.#subscriptions,
      },
      'subscription ended',
    );
  }
}

/** Whether the answer of read number `read` is newer than what the topic holds. */
function isNewest(topic: Topic, read: number): boolean {
  return topic.latest === null || topic.latest.read < read;
}

/** An event as canonical JSON, to tell whether a subscriber already has it. */
function textOf(intent: IntentUpdate): string {
  return intent === null ? 'null' : canonicalJson(intent);
}
