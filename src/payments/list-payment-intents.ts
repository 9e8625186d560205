import { decodeListingCursor, encodeListingCursor } from './listing-cursor.ts';
import type { PaymentIntentFilter, PaymentIntentRepository } from './payment-intent-repository.ts';

/** Largest page: a listing is a store query plus a read of each node (docs/decisions/freshness-window.md). */
export const MAX_PAGE_SIZE = 100;

export interface ListingRequest {
  readonly filter: PaymentIntentFilter;
  readonly first: number;
  readonly after: string | null;
}

export interface ListingEdge {
  readonly cursor: string;
  readonly id: string;
}

/** A page of ids; the nodes are read through the request's loader (store, then provider if stale). */
export interface ListingPage {
  readonly edges: readonly ListingEdge[];
  readonly hasNextPage: boolean;
}

export class InvalidListingArgumentError extends Error {
  override readonly name = 'InvalidListingArgumentError';
  readonly argument: 'first' | 'after';
  constructor(argument: 'first' | 'after', message: string) {
    super(message);
    this.argument = argument;
  }
}

/**
 * The paymentIntents query: providers cannot be relied on to list intents (some have no list endpoint at
 * all), so the listing is of what this service stored, newest first, in a Relay connection.
 */
export class ListPaymentIntents {
  readonly #intents: PaymentIntentRepository;

  constructor(intents: PaymentIntentRepository) {
    this.#intents = intents;
  }

  async execute({ filter, first, after }: ListingRequest): Promise<ListingPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new InvalidListingArgumentError('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
    }
    const position = after === null ? null : decodeListingCursor(after);
    if (after !== null && position === null) {
      throw new InvalidListingArgumentError('after', 'after is not a cursor of this listing');
    }
    const page = await this.#intents.list(filter, first, position);
    return {
      edges: page.items.map((item) => ({ cursor: encodeListingCursor(item.position), id: item.id })),
      hasNextPage: page.hasNextPage,
    };
  }
}
