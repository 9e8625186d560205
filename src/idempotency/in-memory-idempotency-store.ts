import type { CreateOutcome } from '../payments/create-payment-intent-result.ts';
import type { ClaimResult, IdempotencyKey, IdempotencyRecord, IdempotencyStore } from './idempotency-store.ts';

export interface InMemoryIdempotencyStoreOptions {
  /** How long a record is kept and replayed, in ms (Zopay replays for 24 h; so do we). */
  readonly retentionMs: number;
  readonly now?: () => number;
}

function storageKey(key: IdempotencyKey): string {
  return `${key.provider}\u0000${key.clientMutationId}`;
}

/**
 * Records in this process's memory: correct for a single replica (JavaScript runs one claim
 * at a time, so check-and-set is atomic), lost on restart.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly #records = new Map<string, IdempotencyRecord>();
  readonly #retentionMs: number;
  readonly #now: () => number;

  constructor(options: InMemoryIdempotencyStoreOptions) {
    this.#retentionMs = options.retentionMs;
    this.#now = options.now ?? Date.now;
  }

  async claim(key: IdempotencyKey, fingerprint: string): Promise<ClaimResult> {
    const existing = this.#live(storageKey(key));
    if (existing) return { claimed: false, record: existing };
    this.#records.set(storageKey(key), { state: 'in_flight', fingerprint, claimedAt: this.#now() });
    return { claimed: true };
  }

  async complete(key: IdempotencyKey, fingerprint: string, outcome: CreateOutcome): Promise<void> {
    const record = this.#records.get(storageKey(key));
    if (record?.state !== 'in_flight' || record.fingerprint !== fingerprint) return;
    this.#records.set(storageKey(key), { state: 'completed', fingerprint, claimedAt: record.claimedAt, outcome });
  }

  async release(key: IdempotencyKey, fingerprint: string): Promise<void> {
    const record = this.#records.get(storageKey(key));
    if (record?.state === 'in_flight' && record.fingerprint === fingerprint) this.#records.delete(storageKey(key));
  }

  async find(key: IdempotencyKey): Promise<IdempotencyRecord | null> {
    return this.#live(storageKey(key)) ?? null;
  }

  async purgeExpired(): Promise<number> {
    let purged = 0;
    for (const [key, record] of this.#records) {
      if (this.#isExpired(record)) {
        this.#records.delete(key);
        purged += 1;
      }
    }
    return purged;
  }

  #live(key: string): IdempotencyRecord | undefined {
    const record = this.#records.get(key);
    return record && !this.#isExpired(record) ? record : undefined;
  }

  #isExpired(record: IdempotencyRecord): boolean {
    return this.#now() - record.claimedAt >= this.#retentionMs;
  }
}
