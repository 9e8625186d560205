import { LRUCache } from 'lru-cache';

/** Bounded, so that a flood of made-up ids cannot grow the process. */
const MAX_REMEMBERED_IDS = 10_000;

/**
 * The ids a provider recently said it does not know, remembered for a while in this process:
 * stale references held by a consumer subgraph (or a client retrying an unknown id) then cost no
 * provider call, and cannot drain the provider's rate limit. A provider never reuses an id, so
 * the only cost of remembering is that an id the provider learns later is seen late.
 */
export class NotFoundMemory {
  readonly #ids: LRUCache<string, true> | null;

  constructor(ttlMs: number) {
    this.#ids = ttlMs === 0 ? null : new LRUCache<string, true>({ max: MAX_REMEMBERED_IDS, ttl: ttlMs });
  }

  remember(id: string): void {
    this.#ids?.set(id, true);
  }

  knows(id: string): boolean {
    return this.#ids?.has(id) ?? false;
  }
}
