import type { Logger } from '../logging/logger.ts';
import type { ChannelEvents, NotificationListener } from './notification-listener.ts';
import type { SqlClient } from './sql-client.ts';

/** A stored intent changed (migrations/0003_intent_change_notifications.sql). */
export interface IntentChange {
  readonly id: string;
  /** From the write to this process hearing of it, by the two clocks (the store's and this one). */
  readonly lagMs: number;
}

/**
 * A provider confirmed a stored copy unchanged, and that was recorded (migrations/0005): what a
 * reader sees is the same, only the copy's age was renewed.
 */
export interface IntentRefresh {
  readonly id: string;
  /** The copy's age when announced, by the store's clock, plus the announcement's lag. */
  readonly ageMs: number;
}

/** Told of every change of a stored intent, written by any process on the store. */
export interface IntentChangeSubscriber {
  changed(change: IntentChange): void;
  /** Only those who keep copies' ages need to hear of refreshes. */
  refreshed?(refresh: IntentRefresh): void;
  /** Changes may be missed from now until `resumed`: what was learnt before may be out of date. */
  interrupted(): void;
  /** Hearing of changes again; any intent may have changed while interrupted. */
  resumed(): void;
}

/**
 * The store's change feed: every write that changes an intent, by a create, a provider read or a
 * webhook on any replica, announces the intent's id through the store itself (PostgreSQL
 * LISTEN/NOTIFY; PGlite's in process), and this process's subscribers hear of it; so does every
 * recorded refresh that changed nothing, with the copy's age. No other broker.
 * Subscribers are told when the feed is interrupted (the listening connection was lost) and when it
 * resumes, so that they never trust what they may have missed (docs/decisions/intent-change-feed.md).
 */
export class IntentChangeFeed {
  readonly #subscribers = new Set<IntentChangeSubscriber>();
  readonly #logger: Logger;
  #listening = true;

  private constructor(logger: Logger) {
    this.#logger = logger;
  }

  static async open(sql: SqlClient, listener: NotificationListener, logger: Logger): Promise<IntentChangeFeed> {
    const feed = new IntentChangeFeed(logger);
    // The trigger names the channel after the table's schema: replicas on one schema share it,
    // and databases on other schemas of the same server (tests) stay apart.
    const [row] = await sql.query<{ channel: string }>(
      `select left(current_schema() || '.payment_intents', 63) as channel`,
    );
    if (row === undefined) throw new Error('the store named no schema for the change feed');
    await listener.listen(row.channel, feed.#channelEvents());
    return feed;
  }

  /** Whether changes are being heard now; while not, nothing may be trusted to be current. */
  get listening(): boolean {
    return this.#listening;
  }

  /** Returns the unsubscribe function. */
  subscribe(subscriber: IntentChangeSubscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  #channelEvents(): ChannelEvents {
    return {
      notification: (payload) => {
        const change = parseAnnouncement(payload);
        if (change === null) {
          // Only the trigger writes here; should it ever write something else, an unknown change
          // is treated as missed changes, which every subscriber handles safely.
          this.#logger.error({ payload: payload.slice(0, 200) }, 'unreadable intent change notification');
          this.#notify((subscriber) => subscriber.interrupted());
          this.#notify((subscriber) => subscriber.resumed());
          return;
        }
        if ('ageMs' in change) this.#notify((subscriber) => subscriber.refreshed?.(change));
        else this.#notify((subscriber) => subscriber.changed(change));
      },
      interrupted: () => {
        this.#listening = false;
        this.#logger.warn('intent change feed interrupted: caches bypassed until it resumes');
        this.#notify((subscriber) => subscriber.interrupted());
      },
      resumed: () => {
        this.#listening = true;
        this.#logger.info('intent change feed resumed');
        this.#notify((subscriber) => subscriber.resumed());
      },
    };
  }

  /** One subscriber's failure must not keep the others from hearing of a change. */
  #notify(tell: (subscriber: IntentChangeSubscriber) => void): void {
    for (const subscriber of this.#subscribers) {
      try {
        tell(subscriber);
      } catch (error) {
        this.#logger.error({ err: error }, 'an intent change subscriber failed');
      }
    }
  }
}

function parseAnnouncement(payload: string): IntentChange | IntentRefresh | null {
  try {
    const { id, at, refreshed, ageMs } = JSON.parse(payload) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof at !== 'number') return null;
    const lagMs = Math.max(0, Date.now() - at);
    // `refreshed` false, or absent (a store not yet migrated to 0005): a change.
    if (refreshed !== true) return { id, lagMs };
    return typeof ageMs === 'number' ? { id, ageMs: Math.max(0, ageMs) + lagMs } : null;
  } catch {
    return null;
  }
}
