import pLimit from 'p-limit';
import type { Logger } from '../logging/logger.ts';
import { isTerminalStatus, type PaymentIntent } from './payment-intent.ts';
import { parsePaymentIntentId, type PaymentIntentReference } from './payment-intent-id.ts';
import type { PaymentIntentRepository, StoredPaymentIntent } from './payment-intent-repository.ts';
import { NotFoundMemory } from './not-found-memory.ts';
import type { ProviderPorts } from './provider-port.ts';
import { ProviderReadLimitError, type ProviderReadBudget } from './provider-read-budget.ts';

export interface PaymentIntentReaderOptions {
  readonly providers: ProviderPorts;
  readonly intents: PaymentIntentRepository;
  /** How long a stored intent in a non-terminal status is served without asking its provider. */
  readonly freshnessMs: number;
  /** Provider GETs in flight at once for one batch. */
  readonly fetchConcurrency: number;
  /** How long a provider's "not found" is remembered (0: never). */
  readonly notFoundTtlMs: number;
  readonly logger: Logger;
}

/** Per id: the intent, null when it does not exist, or the error that kept it from being read. */
export type ReadResult = PaymentIntent | null | Error;

/** A provider read of one intent in flight: when it was sent, and what it will answer. */
interface InFlightRead {
  readonly sentAt: number;
  readonly answer: Promise<ReadResult>;
}

/**
 * Reads intents by id, store first (docs/decisions/freshness-window.md): one query for the whole
 * batch; only ids that are missing, or stored in a non-terminal status for longer than the
 * freshness window, are fetched from their provider (bounded concurrency), and what the
 * providers answered is written back in one statement. When a provider cannot answer, the
 * stored copy is served; an id this service did not issue is null. Provider reads are bounded:
 * by the request's budget (beyond it, the stored copy or ProviderReadLimitError), by the memory
 * of recent "not found" answers (no second call for the same unknown id), and by the reads in
 * flight (concurrent reads of one intent share its provider GET within the window).
 */
export class PaymentIntentReader {
  readonly #options: PaymentIntentReaderOptions;
  readonly #notFound: NotFoundMemory;
  readonly #inFlight = new Map<string, InFlightRead>();

  constructor(options: PaymentIntentReaderOptions) {
    this.#options = options;
    this.#notFound = new NotFoundMemory(options.notFoundTtlMs);
  }

  async getMany(ids: readonly string[], budget: ProviderReadBudget): Promise<ReadResult[]> {
    const references = new Map<string, PaymentIntentReference>();
    for (const id of ids) {
      const reference = parsePaymentIntentId(id, this.#options.providers.ids);
      if (reference !== null) references.set(id, reference);
    }
    const stored = await this.#options.intents.getMany([...references.keys()]);
    const stale = [...references].filter(([id]) => this.#needsRefresh(stored.get(id)) && !this.#notFound.knows(id));
    // The usual read: every id known and fresh.
    if (stale.length === 0) return ids.map((id) => stored.get(id)?.intent ?? null);
    const granted = budget.take(stale.length);
    const refused = new Set(stale.slice(granted).map(([id]) => id));
    const fetched = await this.#fetch(stale.slice(0, granted), stored);
    for (const [id, answer] of fetched) if (answer === null) this.#notFound.remember(id);
    const saved = await this.#options.intents.saveReported([...fetched.values()].filter(isIntent));
    const savedById = new Map(saved.map((intent) => [intent.id, intent]));

    return ids.map((id) => {
      if (!references.has(id)) return null;
      const kept = stored.get(id)?.intent ?? null;
      if (refused.has(id)) return kept ?? new ProviderReadLimitError(budget.limit);
      const answer = fetched.get(id);
      if (answer === undefined) return kept;
      if (isIntent(answer)) return savedById.get(id) ?? answer;
      if (kept === null) return answer;
      if (answer === null)
        this.#options.logger.warn(
          { paymentIntentId: id },
          'provider does not know a stored intent: serving the stored copy',
        );
      else
        this.#options.logger.warn(
          { err: answer, paymentIntentId: id },
          'provider read failed: serving the stored copy',
        );
      return kept;
    });
  }

  /**
   * Reads these intents from their providers whatever the age of the stored copies (which fill what
   * an answer leaves out), and stores what they answer: for a caller that already decided a refresh
   * is due (a subscription's refresh lease, src/subscriptions/provider-refresh-poller.ts). Failures
   * leave the stored copies as they are.
   */
  async refresh(ids: readonly string[]): Promise<void> {
    const references = ids.flatMap((id) => {
      const reference = parsePaymentIntentId(id, this.#options.providers.ids);
      return reference === null ? [] : [[id, reference] as const];
    });
    const stored = await this.#options.intents.getMany(references.map(([id]) => id));
    const fetched = await this.#fetch(references, stored);
    for (const [id, answer] of fetched) {
      if (answer instanceof Error)
        this.#options.logger.warn(
          { err: answer, paymentIntentId: id },
          'provider refresh failed: keeping the stored copy',
        );
    }
    await this.#options.intents.saveReported([...fetched.values()].filter(isIntent));
  }

  #needsRefresh(stored: StoredPaymentIntent | undefined): boolean {
    if (stored === undefined) return true;
    return !isTerminalStatus(stored.intent.status) && stored.ageMs >= this.#options.freshnessMs;
  }

  async #fetch(
    references: readonly (readonly [string, PaymentIntentReference])[],
    stored: ReadonlyMap<string, StoredPaymentIntent>,
  ): Promise<Map<string, ReadResult>> {
    const read = (reference: readonly [string, PaymentIntentReference]) =>
      this.#read(reference, stored.get(reference[0])?.intent);
    // The usual refresh is of one id: a limiter only matters beyond the concurrency.
    if (references.length <= this.#options.fetchConcurrency) return new Map(await Promise.all(references.map(read)));
    const limit = pLimit(this.#options.fetchConcurrency);
    return new Map(await Promise.all(references.map((reference) => limit(() => read(reference)))));
  }

  /**
   * One provider read; its failure is the answer for its id, not the batch's. A read of the same
   * intent already sent less than the freshness window ago answers this one too: what it brings
   * back is no older than a stored copy inside the window, and a crowd of readers at the window's
   * end (every frontend polling one checkout) costs the provider one GET instead of one each. With
   * no window (0) every read sends its own.
   */
  async #read(
    [id, reference]: readonly [string, PaymentIntentReference],
    stored: PaymentIntent | undefined,
  ): Promise<[string, ReadResult]> {
    const now = performance.now();
    const sent = this.#inFlight.get(id);
    if (sent !== undefined && now - sent.sentAt < this.#options.freshnessMs) return [id, await sent.answer];
    const read: InFlightRead = { sentAt: now, answer: this.#askProvider(reference, stored) };
    this.#inFlight.set(id, read);
    try {
      return [id, await read.answer];
    } finally {
      if (this.#inFlight.get(id) === read) this.#inFlight.delete(id);
    }
  }

  async #askProvider(
    { provider, providerId }: PaymentIntentReference,
    stored: PaymentIntent | undefined,
  ): Promise<ReadResult> {
    try {
      return await this.#options.providers.port(provider).get(providerId, stored);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
}

function isIntent(result: ReadResult | undefined): result is PaymentIntent {
  return result !== null && result !== undefined && !(result instanceof Error);
}
