import type { PaymentIntent, PaymentIntentStatus, ProviderId } from './payment-intent.ts';

/** An intent as stored, with how old the stored copy is. */
export interface StoredPaymentIntent {
  readonly intent: PaymentIntent;
  /** Since it was last written from the provider (create, read or webhook), by the store's clock. */
  readonly ageMs: number;
}

/** A stored copy its provider has just confirmed unchanged. */
export interface ConfirmedCopy {
  readonly intent: PaymentIntent;
  /** performance.now() when the provider's answer arrived. */
  readonly confirmedAt: number;
}

export interface PaymentIntentFilter {
  readonly externalRef?: string | null;
  readonly provider?: ProviderId | null;
  readonly status?: PaymentIntentStatus | null;
}

export interface PaymentIntentPage {
  /** Newest first, each with its position: the stable cursor of a listing. */
  readonly items: readonly { readonly position: bigint; readonly id: string }[];
  readonly hasNextPage: boolean;
}

/**
 * The intents this service knows: created through it, read through it, or reported by a
 * provider's webhook. Writes merge what the provider says with what only this service knows
 * (the clientMutationId, an externalRef the provider does not keep), and never move a terminal status back.
 */
export interface PaymentIntentRepository {
  /** Stores an intent just created for this clientMutationId; returns it as stored. */
  saveCreated(intent: PaymentIntent, clientMutationId: string): Promise<PaymentIntent>;
  /** Stores intents as the provider reports them, in one statement; returns them as stored. */
  saveReported(intents: readonly PaymentIntent[]): Promise<PaymentIntent[]>;
  /**
   * Renews the age of stored copies their provider confirmed unchanged, in one statement: a write
   * that changes nothing a reader sees, so it may come a little after the confirmation.
   */
  recordRefreshes(confirmed: readonly ConfirmedCopy[]): Promise<void>;
  /** The stored intents among these ids, in one query. */
  getMany(ids: readonly string[]): Promise<Map<string, StoredPaymentIntent>>;
  /**
   * Records that this intent is the one handed out for its idempotency key: any other intent with its
   * creation marker that was never handed out (a create whose answer was lost) is superseded by it.
   * One handed out is never superseded: the same key used again after its retention is a new payment.
   */
  markHandedOut(intent: PaymentIntent): Promise<void>;
  /**
   * The intent that carries this creation marker (see PaymentIntent.creationMarker), neither
   * superseded nor handed out: the one a create whose answer was lost made. An intent handed out
   * belongs to a key's completed record, never to a create still in flight.
   */
  findByCreationMarker(provider: ProviderId, marker: string): Promise<PaymentIntent | null>;
  /** Ids matching the filter, newest first, after the given position. */
  list(filter: PaymentIntentFilter, first: number, after: bigint | null): Promise<PaymentIntentPage>;
}
