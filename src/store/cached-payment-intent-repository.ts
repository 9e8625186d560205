import { LRUCache } from 'lru-cache';
import { isTerminalStatus, type PaymentIntent, type ProviderId } from '../payments/payment-intent.ts';
import type {
  PaymentIntentFilter,
  PaymentIntentPage,
  PaymentIntentRepository,
  StoredPaymentIntent,
} from '../payments/payment-intent-repository.ts';
import type { IntentChangeFeed } from './intent-change-feed.ts';

/** How one id of a read was answered: from memory, from the store, or from the store because the feed is down. */
export type CacheLookup = 'hit' | 'miss' | 'bypass';

export interface CachedPaymentIntentRepositoryOptions {
  /** Intents kept, least recently read evicted first. */
  readonly maxEntries: number;
  /** A non-terminal copy is served from memory only while it is younger than this (INTENT_FRESHNESS_MS). */
  readonly freshnessMs: number;
  readonly changes: Pick<IntentChangeFeed, 'subscribe' | 'listening'>;
  readonly onLookup?: (lookup: CacheLookup, count: number) => void;
}

interface CachedIntent {
  readonly intent: PaymentIntent;
  readonly terminal: boolean;
  /** performance.now() when the store last wrote it from the provider: its age keeps growing in memory. */
  readonly writtenAt: number;
}

/** A read from the store in flight: the ids it asked for, and those announced as changed meanwhile. */
interface PendingRead {
  readonly ids: ReadonlySet<string>;
  readonly changed: Set<string>;
  everything: boolean;
}

/**
 * The stored intents a replica read recently, in memory, so that a read of a known intent costs
 * no store round trip (docs/decisions/intent-cache.md). It never serves what the store would not:
 * - every change announced by the store's change feed, whichever replica wrote it, removes the
 *   intent at once; a read from the store that was in flight when a change of one of its ids was
 *   announced (or written here) keeps its answer out of memory, since it may predate the change;
 * - a non-terminal copy is served only within the freshness window, as from the store: once older,
 *   the store is asked (another replica may have refreshed it) and then, if need be, the provider;
 * - while the feed is interrupted, changes may go unheard: memory is emptied and bypassed until it
 *   resumes.
 * A terminal intent never changes again; it stays until evicted.
 */
export class CachedPaymentIntentRepository implements PaymentIntentRepository {
  readonly #store: PaymentIntentRepository;
  readonly #options: CachedPaymentIntentRepositoryOptions;
  readonly #entries: LRUCache<string, CachedIntent>;
  readonly #pending = new Set<PendingRead>();
  readonly #unsubscribe: () => void;

  constructor(store: PaymentIntentRepository, options: CachedPaymentIntentRepositoryOptions) {
    this.#store = store;
    this.#options = options;
    this.#entries = new LRUCache({ max: options.maxEntries });
    this.#unsubscribe = options.changes.subscribe({
      changed: ({ id }) => {
        this.#forget([id]);
      },
      interrupted: () => {
        this.#forgetAll();
      },
      resumed: () => {
        this.#forgetAll();
      },
    });
  }

  /** Stops hearing of changes (the feed outlives this cache in tests). */
  detach(): void {
    this.#unsubscribe();
    this.#forgetAll();
  }

  async getMany(ids: readonly string[]): Promise<Map<string, StoredPaymentIntent>> {
    if (!this.#options.changes.listening) {
      this.#options.onLookup?.('bypass', ids.length);
      return this.#store.getMany(ids);
    }
    const now = performance.now();
    const found = new Map<string, StoredPaymentIntent>();
    const missing: string[] = [];
    for (const id of ids) {
      const entry = this.#entries.get(id);
      const ageMs = entry === undefined ? 0 : now - entry.writtenAt;
      if (entry !== undefined && (entry.terminal || ageMs < this.#options.freshnessMs)) {
        found.set(id, { intent: entry.intent, ageMs });
      } else missing.push(id);
    }
    this.#options.onLookup?.('hit', found.size);
    if (missing.length === 0) return found;
    this.#options.onLookup?.('miss', missing.length);

    const read: PendingRead = { ids: new Set(missing), changed: new Set(), everything: false };
    this.#pending.add(read);
    try {
      const stored = await this.#store.getMany(missing);
      const readAt = performance.now();
      for (const [id, copy] of stored) {
        found.set(id, copy);
        if (overtaken(read, id)) continue;
        const terminal = isTerminalStatus(copy.intent.status);
        // A non-terminal copy already past the window would be read from the store again anyway.
        if (terminal || copy.ageMs < this.#options.freshnessMs) {
          this.#entries.set(id, { intent: copy.intent, terminal, writtenAt: readAt - copy.ageMs });
        }
      }
    } finally {
      this.#pending.delete(read);
    }
    return found;
  }

  async saveCreated(intent: PaymentIntent, clientMutationId: string): Promise<PaymentIntent> {
    try {
      return await this.#store.saveCreated(intent, clientMutationId);
    } finally {
      this.#forget([intent.id]);
    }
  }

  async saveReported(intents: readonly PaymentIntent[]): Promise<PaymentIntent[]> {
    try {
      return await this.#store.saveReported(intents);
    } finally {
      this.#forget(intents.map((intent) => intent.id));
    }
  }

  /** Nothing to forget: whether an intent was handed out, or superseded, is not part of what a read answers. */
  markHandedOut(intent: PaymentIntent): Promise<void> {
    return this.#store.markHandedOut(intent);
  }

  findByCreationMarker(provider: ProviderId, marker: string): Promise<PaymentIntent | null> {
    return this.#store.findByCreationMarker(provider, marker);
  }

  list(filter: PaymentIntentFilter, first: number, after: bigint | null): Promise<PaymentIntentPage> {
    return this.#store.list(filter, first, after);
  }

  /**
   * Written here or announced by the feed: out of memory, and out of every read in flight. A write
   * of this process is forgotten as soon as it completes, before the feed brings its announcement.
   */
  #forget(ids: readonly string[]): void {
    for (const id of ids) {
      this.#entries.delete(id);
      for (const read of this.#pending) if (read.ids.has(id)) read.changed.add(id);
    }
  }

  #forgetAll(): void {
    this.#entries.clear();
    for (const read of this.#pending) read.everything = true;
  }
}

/** Whether a change of the id was announced (or written here) while the read was in flight. */
function overtaken(read: PendingRead, id: string): boolean {
  return read.everything || read.changed.has(id);
}
