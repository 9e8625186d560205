import type { CreateOutcome } from '../payments/create-payment-intent-result.ts';
import type { PaymentProvider } from '../payments/payment-intent.ts';

/** A create is idempotent per provider and clientMutationId (ARCHITECTURE.md, "Idempotency"). */
export interface IdempotencyKey {
  readonly provider: PaymentProvider;
  readonly clientMutationId: string;
}

export type IdempotencyRecord =
  | { readonly state: 'in_flight'; readonly fingerprint: string; readonly claimedAt: number }
  | { readonly state: 'completed'; readonly fingerprint: string; readonly claimedAt: number; readonly outcome: CreateOutcome };

export type ClaimResult = { readonly claimed: true } | { readonly claimed: false; readonly record: IdempotencyRecord };

/**
 * Where idempotency records live. The in-process store serves one replica; a shared durable
 * store serves many. Implementations must make `claim` atomic: of any number of concurrent
 * claims of one key, across processes, exactly one gets `claimed: true`.
 */
export interface IdempotencyStore {
  /** Claims the key for a request with this fingerprint, or returns the record already there. */
  claim(key: IdempotencyKey, fingerprint: string): Promise<ClaimResult>;
  /** Stores the final outcome of the claimed request, to be replayed to identical retries. */
  complete(key: IdempotencyKey, fingerprint: string, outcome: CreateOutcome): Promise<void>;
  /** Drops the claim of a request whose outcome a retry could change (5xx, timeout, 429). */
  release(key: IdempotencyKey, fingerprint: string): Promise<void>;
  find(key: IdempotencyKey): Promise<IdempotencyRecord | null>;
  /** Deletes records older than the retention period; returns how many. */
  purgeExpired(): Promise<number>;
}
