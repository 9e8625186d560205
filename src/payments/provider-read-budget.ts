/**
 * How many distinct intents one request may still read from providers. A request is one client's
 * (or one consumer subgraph's `_entities` batch): without a cap, a single 80 KB document of aliased
 * reads, or a page of stale references, could spend the company's provider quota.
 */
export class ProviderReadBudget {
  readonly limit: number;
  #remaining: number;

  constructor(limit: number) {
    this.limit = limit;
    this.#remaining = limit;
  }

  /** Grants up to `wanted` reads and returns how many were granted. */
  take(wanted: number): number {
    const granted = Math.min(wanted, this.#remaining);
    this.#remaining -= granted;
    return granted;
  }
}

/** An intent this request may not read from its provider any more, and of which no copy is stored. */
export class ProviderReadLimitError extends Error {
  override readonly name = 'ProviderReadLimitError';
  readonly limit: number;

  constructor(limit: number) {
    super(`one request may read at most ${limit} intents from providers`);
    this.limit = limit;
  }
}
