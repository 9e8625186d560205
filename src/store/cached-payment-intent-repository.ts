import { LRUCache } from 'lru-cache';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../logging/logger.ts';
import { isTerminalStatus, type PaymentIntent, type ProviderId } from '../payments/payment-intent.ts';
import type {
  ConfirmedCopy,
  PaymentIntentFilter,
  PaymentIntentPage,
  PaymentIntentRepository,
  StoredPaymentIntent,
} from '../payments/payment-intent-repository.ts';
import type { IntentChangeFeed } from './intent-change-feed.ts';
import { RefreshWriteBehind } from './refresh-write-behind.ts';

/** How one id of a read was answered: from memory, from the store, or from the store because the feed is down. */
export type CacheLookup = 'hit' | 'miss' | 'bypass';

export interface CachedPaymentIntentRepositoryOptions {
  /** Intents kept, least recently read evicted first. */
  readonly maxEntries: number;
  /**
   * The freshness window (INTENT_FRESHNESS_MS), which the reader applies to the ages given here; with
   * none (0) ages serve nothing, and refreshes are not recorded.
   */
  readonly freshnessMs: number;
  readonly changes: Pick<IntentChangeFeed, 'subscribe' | 'listening'>;
  /** How long a refresh that changed nothing waits to be recorded with others. */
  readonly refreshRecordDelayMs: number;
  readonly logger: Logger;
  readonly onLookup?: (lookup: CacheLookup, count: number) => void;
}

interface CachedIntent {
  readonly intent: PaymentIntent;
  readonly terminal: boolean;
  /**
   * performance.now() when the store last wrote it from the provider, or last recorded that the
   * provider confirmed it: its age keeps growing in memory, and is renewed by a refresh.
   */
  writtenAt: number;
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
 * - every refresh the feed announces (a provider confirmed a copy unchanged, on any replica)
 *   renews the copy's age, so that memory knows each copy's age as the store does: a copy past the
 *   freshness window is handed to the reader, which asks its provider, without a store read first;
 * - a refresh here that changes nothing is not written at once: its record is written behind,
 *   with others, a moment later (RefreshWriteBehind); with no window (INTENT_FRESHNESS_MS=0) ages
 *   serve nothing, and it is not written at all;
 * - while the feed is interrupted, changes may go unheard: memory is emptied and bypassed until it
 *   resumes.
 * A terminal intent never changes again; it stays until evicted.
 */
export class CachedPaymentIntentRepository implements PaymentIntentRepository {
  readonly #store: PaymentIntentRepository;
  readonly #options: CachedPaymentIntentRepositoryOptions;
  readonly #entries: LRUCache<string, CachedIntent>;
  readonly #pending = new Set<PendingRead>();
  readonly #refreshes: RefreshWriteBehind | null;
  readonly #unsubscribe: () => void;

  constructor(store: PaymentIntentRepository, options: CachedPaymentIntentRepositoryOptions) {
    this.#store = store;
    this.#options = options;
    this.#entries = new LRUCache({ max: options.maxEntries });
    this.#refreshes =
      options.freshnessMs === 0 ? null : new RefreshWriteBehind(store, options.refreshRecordDelayMs, options.logger);
    this.#unsubscribe = options.changes.subscribe({
      changed: ({ id }) => {
        this.#forget([id]);
      },
      refreshed: ({ id, ageMs }) => {
        this.#renew(id, performance.now() - ageMs);
      },
      interrupted: () => {
        this.#forgetAll();
      },
      resumed: () => {
        this.#forgetAll();
      },
    });
  }

  /** Writes the refreshes still to be recorded, and stops hearing of changes (the feed outlives this cache in tests). */
  async close(): Promise<void> {
    await this.#refreshes?.flush();
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
      // Fresh or not: memory knows this copy's content and age as the store does.
      if (entry !== undefined) found.set(id, { intent: entry.intent, ageMs: now - entry.writtenAt });
      else missing.push(id);
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
        this.#entries.set(id, { intent: copy.intent, terminal, writtenAt: readAt - copy.ageMs });
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

  /**
   * What memory holds unchanged (by content, the externalRef this service keeps included) is only
   * a refresh: its age is renewed here and recorded behind. Anything else is written at once.
   */
  async saveReported(intents: readonly PaymentIntent[]): Promise<PaymentIntent[]> {
    const unchanged = new Map<string, PaymentIntent>();
    const written: PaymentIntent[] = [];
    for (const intent of intents) {
      const held = this.#options.changes.listening ? this.#entries.peek(intent.id) : undefined;
      if (held !== undefined && confirms(intent, held.intent)) unchanged.set(intent.id, held.intent);
      else written.push(intent);
    }
    for (const intent of unchanged.values()) {
      this.#renew(intent.id, performance.now());
      this.#refreshes?.confirmed(intent);
    }
    let saved;
    try {
      saved = await this.#store.saveReported(written);
    } finally {
      this.#forget(written.map((intent) => intent.id));
    }
    const savedById = new Map(saved.map((intent) => [intent.id, intent]));
    return intents.map((intent) => unchanged.get(intent.id) ?? savedById.get(intent.id) ?? intent);
  }

  recordRefreshes(confirmed: readonly ConfirmedCopy[]): Promise<void> {
    return this.#store.recordRefreshes(confirmed);
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

  /** A refresh of a copy held here, recorded at `writtenAt`: never makes the copy look older. */
  #renew(id: string, writtenAt: number): void {
    const entry = this.#entries.peek(id);
    if (entry !== undefined && writtenAt > entry.writtenAt) entry.writtenAt = writtenAt;
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

/**
 * Whether a provider's report says nothing the held copy does not: stored, it would change no
 * field (the store keeps the externalRef it knows when the provider reports none).
 */
function confirms(report: PaymentIntent, held: PaymentIntent): boolean {
  const merged = report.externalRef === null ? { ...report, externalRef: held.externalRef } : report;
  // Key order aside, as jsonb compares them; a field present as undefined on one side only counts as
  // a difference, which costs a write, never a wrong answer.
  return isDeepStrictEqual(merged, held);
}
