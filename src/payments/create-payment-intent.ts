import type { CreatePaymentIntentInput } from '../graphql/generated/resolvers-types.ts';
import { requestFingerprint } from '../idempotency/request-fingerprint.ts';
import type { Logger } from '../logging/logger.ts';
import type { CreateAttempt, IdempotentCreate } from '../idempotency/idempotent-create.ts';
import type { ProviderCreateRequest } from './create-payment-intent-command.ts';
import { rejected, type CreateOutcome, type CreatePaymentIntentResult } from './create-payment-intent-result.ts';
import type { PaymentIntentRepository } from './payment-intent-repository.ts';
import { createAtProvider, providerPort, type ProviderRegistry } from './provider-registry.ts';
import { validateCreateInput } from './validation/validate-create-input.ts';

export interface CreatePaymentIntentDependencies {
  readonly providers: ProviderRegistry;
  readonly idempotentCreate: IdempotentCreate;
  readonly intents: PaymentIntentRepository;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * The createPaymentIntent use case: validate everything first (a bad input changes nothing
 * and reaches no provider), then create at the chosen provider at most once per
 * (provider, clientMutationId). A created intent is stored before the idempotency record
 * completes, so that a replay and a read of the intent agree.
 */
export class CreatePaymentIntent {
  readonly #deps: CreatePaymentIntentDependencies;
  readonly #now: () => number;

  constructor(deps: CreatePaymentIntentDependencies) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async execute(input: CreatePaymentIntentInput): Promise<CreatePaymentIntentResult> {
    const { clientMutationId } = input;
    const validation = validateCreateInput(input, this.#now());
    if (!validation.ok) return { clientMutationId, outcome: rejected(...validation.errors), replayed: false };

    const { request } = validation.value;
    const key = { provider: request.provider, clientMutationId };
    const { outcome, replayed } = await this.#deps.idempotentCreate.run(key, requestFingerprint(request), this.#attempt(request, clientMutationId));
    this.#deps.logger.info(
      {
        provider: request.provider,
        clientMutationId,
        replayed,
        ...(outcome.kind === 'created'
          ? { paymentIntentId: outcome.paymentIntent.id }
          : { errorCodes: outcome.userErrors.map((error) => error.code) }),
      },
      outcome.kind === 'created' ? 'payment intent created' : 'payment intent not created',
    );
    return { clientMutationId, outcome, replayed };
  }

  #attempt(request: ProviderCreateRequest, clientMutationId: string): CreateAttempt {
    const { providers, intents } = this.#deps;
    const port = providerPort(providers, request.provider);
    return {
      resendIsSafe: port.resendsCreatesSafely,
      perform: async (): Promise<CreateOutcome> => {
        const outcome = await createAtProvider(providers, request, clientMutationId);
        if (outcome.kind === 'rejected') return outcome;
        return { kind: 'created', paymentIntent: await intents.saveCreated(outcome.paymentIntent, clientMutationId) };
      },
      findCreated: async () => {
        const marker = port.creationMarker(clientMutationId);
        return marker === null ? null : intents.findByCreationMarker(request.provider, marker);
      },
    };
  }
}
