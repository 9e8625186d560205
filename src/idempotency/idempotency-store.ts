import type { CreateOutcome } from '../payments/create-payment-intent-result.ts';
import type { ProviderId } from '../payments/payment-intent.ts';

/** A create is idempotent per provider and clientMutationId (docs/decisions/idempotency.md). */
export interface IdempotencyKey {
  readonly provider: ProviderId;
  readonly clientMutationId: string;
}

export type IdempotencyRecord =
  | { readonly state: 'in_flight'; readonly fingerprint: string }
  | { readonly state: 'completed'; readonly fingerprint: string; readonly outcome: CreateOutcome };

/** The right to perform the create of a key, until the lease runs out. */
export interface Claim {
  /** Proves the claim on complete/release: a holder whose lease was taken over has lost it. */
  readonly token: string;
  /**
   * True when this claim was taken over from a holder that stopped (its lease ran out) after
   * the create may have reached the provider: resending is safe only where the provider
   * deduplicates creates itself.
   */
  readonly requestMayHaveBeenSent: boolean;
}

export type ClaimResult =
  { readonly claimed: true; readonly claim: Claim } | { readonly claimed: false; readonly record: IdempotencyRecord };

/**
 * Where idempotency records live: shared by every replica (PostgreSQL) or by one process
 * (PGlite). `claim` is atomic: of any number of concurrent claims of one key, across
 * processes, exactly one succeeds.
 */
export interface IdempotencyStore {
  /** Claims the key for a request with this fingerprint, or returns the record already there. */
  claim(key: IdempotencyKey, fingerprint: string): Promise<ClaimResult>;
  /**
   * Records that the create is about to leave for the provider (see Claim.requestMayHaveBeenSent).
   * False when the claim was lost: the create must not leave.
   */
  markRequestSent(key: IdempotencyKey, claim: Claim): Promise<boolean>;
  /** Stores the final outcome, to be replayed to identical retries. False when the claim was lost. */
  complete(key: IdempotencyKey, claim: Claim, outcome: CreateOutcome): Promise<boolean>;
  /** Drops the claim of a request whose outcome a retry could change (5xx, timeout, 429). */
  release(key: IdempotencyKey, claim: Claim): Promise<void>;
  /**
   * Gives up a claim whose create may have reached the provider: the record stays, and the next
   * identical request takes it over at once, told that the request may have been sent.
   */
  abandon(key: IdempotencyKey, claim: Claim): Promise<void>;
  find(key: IdempotencyKey): Promise<IdempotencyRecord | null>;
  /** Deletes records older than the retention period; returns how many. */
  purgeExpired(): Promise<number>;
}
