import type { Logger } from '../logging/logger.ts';
import type { PaymentIntent } from '../payments/payment-intent.ts';
import type { ConfirmedCopy, PaymentIntentRepository } from '../payments/payment-intent-repository.ts';

/**
 * Records the refreshes that changed nothing a short while after they happen, all of them in one
 * statement, off the path of the read that made them (docs/decisions/intent-cache.md). Such a
 * record only renews a copy's age, so that other replicas need not ask the provider again within
 * the window: losing it (the process dies first, or the statement fails) costs at most one more
 * provider read per replica, never a wrong answer.
 */
export class RefreshWriteBehind {
  readonly #store: Pick<PaymentIntentRepository, 'recordRefreshes'>;
  readonly #delayMs: number;
  readonly #logger: Logger;
  /** By intent id: the latest confirmation of each is the one worth recording. */
  readonly #pending = new Map<string, ConfirmedCopy>();
  #timer: NodeJS.Timeout | null = null;
  #written: Promise<void> = Promise.resolve();

  constructor(store: Pick<PaymentIntentRepository, 'recordRefreshes'>, delayMs: number, logger: Logger) {
    this.#store = store;
    this.#delayMs = delayMs;
    this.#logger = logger;
  }

  /** Its provider has just confirmed this stored copy unchanged. */
  confirmed(intent: PaymentIntent): void {
    this.#pending.set(intent.id, { intent, confirmedAt: performance.now() });
    if (this.#timer === null) {
      this.#timer = setTimeout(() => void this.flush(), this.#delayMs);
      // A pending record does not keep the process alive: close() writes it.
      this.#timer.unref();
    }
  }

  /** Writes what is pending now; resolves once every record asked for so far is written (or failed). */
  flush(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.size > 0) {
      const batch = [...this.#pending.values()];
      this.#pending.clear();
      // One statement at a time, in order: a later record of an id never lands before an earlier one.
      this.#written = this.#written.then(() =>
        this.#store.recordRefreshes(batch).catch((error: unknown) => {
          this.#logger.warn({ err: error, intents: batch.length }, 'recording refreshed intents failed');
        }),
      );
    }
    return this.#written;
  }
}
