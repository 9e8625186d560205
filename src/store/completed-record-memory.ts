import { LRUCache } from 'lru-cache';
import type { IdempotencyKey, IdempotencyRecord } from '../idempotency/idempotency-store.ts';

type CompletedRecord = Extract<IdempotencyRecord, { state: 'completed' }>;

/**
 * Forgotten this long before the store's own retention ends: the store counts the time left when
 * it runs the statement, this process from when the answer arrives, and nothing may be replayed
 * here that the store would already hand to a new request.
 */
const EXPIRY_MARGIN_MS = 1_000;

/**
 * Completed idempotency records this process has read, so that a retry of a known create is
 * replayed without a statement (docs/decisions/idempotency.md). A completed record never changes
 * until its retention ends (no statement updates it, on any replica), so a copy is exact until then;
 * each copy is forgotten before that moment, measured by the store's clock.
 */
export class CompletedRecordMemory {
  readonly #records: LRUCache<string, CompletedRecord> | null;

  /** Remembers at most `maxEntries` records; 0 remembers none. */
  constructor(maxEntries: number) {
    this.#records = maxEntries === 0 ? null : new LRUCache({ max: maxEntries });
  }

  recall(key: IdempotencyKey): CompletedRecord | undefined {
    return this.#records?.get(keyText(key));
  }

  /** `replayableForMs`: how long the store still replays this record, by its own clock. */
  remember(key: IdempotencyKey, record: CompletedRecord, replayableForMs: number): void {
    const ttl = Math.floor(replayableForMs - EXPIRY_MARGIN_MS);
    if (ttl > 0) this.#records?.set(keyText(key), record, { ttl });
  }
}

function keyText(key: IdempotencyKey): string {
  return `${key.provider}\u0000${key.clientMutationId}`;
}
