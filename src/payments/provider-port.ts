import type { CreateOutcome } from './create-payment-intent-result.ts';
import type { ProviderCreateRequest } from './create-payment-intent-command.ts';
import type { PaymentIntent, ProviderId } from './payment-intent.ts';
import type { Validation, ValidationIssue } from './validation/validation.ts';

/**
 * What the use cases need of one provider; src/providers/ implements it once per provider.
 * Provider business errors come back as values (a rejected outcome with user errors); a provider
 * that cannot answer throws ProviderUnavailableError, and integration faults (credentials refused,
 * an answer that breaks the provider's contract) throw ProviderIntegrationError, which is masked.
 */
export interface ProviderPort<Request extends ProviderCreateRequest = ProviderCreateRequest> {
  readonly id: ProviderId;
  /** The provider's input, by the provider's own rules; issue paths are relative to that input. */
  validateInput(input: Readonly<Record<string, unknown>>): Validation<Request>;
  /**
   * The rules of that input that hold only until a moment (Ziina: an expiry in the future), judged
   * against `nowMs` apart from the rest: they refuse a create about to be sent, not the replay of
   * an identical create stored before that moment (docs/decisions/idempotency.md).
   */
  issuesAtSending(input: Readonly<Record<string, unknown>>, nowMs: number): ValidationIssue[];
  /**
   * True when sending the same create twice yields one intent (the provider deduplicates by the
   * idempotency key): then a create whose outcome was lost may simply be sent again.
   */
  readonly resendsCreatesSafely: boolean;
  /** The creation marker (see PaymentIntent.creationMarker) a create with this key leaves on its intent. */
  creationMarker(clientMutationId: string): string | null;
  /** `clientMutationId` is the idempotency key; each provider carries it its own way. */
  create(request: Request, clientMutationId: string): Promise<CreateOutcome>;
  /**
   * Null when the provider does not know the id. `stored` is this service's copy of the intent, when
   * it has one: what a provider's answer may leave out of a read (its status is what a read is for)
   * is known from it.
   */
  get(providerId: string, stored?: PaymentIntent): Promise<PaymentIntent | null>;
}

/** The registered providers, as the use cases see them. */
export interface ProviderPorts {
  readonly ids: readonly ProviderId[];
  /** Throws for an id that is not registered: callers only pass ids that came from the registry. */
  port(id: ProviderId): ProviderPort;
}
