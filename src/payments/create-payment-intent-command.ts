import type { ProviderId } from './payment-intent.ts';

/** A request to create a payment intent at one provider, before validation. */
export interface CreatePaymentIntentCommand {
  /** The client's id of this logical payment: the idempotency key. */
  readonly clientMutationId: string;
  readonly provider: ProviderId;
  /** The provider's part of the input as the client gave it; the provider's module validates it. */
  readonly providerInput: Readonly<Record<string, unknown>>;
}

/** Paths into the command, which errors carry and the GraphQL edge maps to input paths. */
export const CLIENT_MUTATION_ID_FIELD: readonly string[] = ['clientMutationId'];
export const PROVIDER_INPUT_FIELD: readonly string[] = ['providerInput'];

/**
 * A create validated by its provider, in that provider's terms. Its canonical JSON is the
 * idempotency fingerprint, so every field counts: two requests with equal fields send the same thing.
 */
export interface ProviderCreateRequest {
  readonly provider: ProviderId;
}
