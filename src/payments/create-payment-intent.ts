import type { CreateAttempt, IdempotentCreate } from '../idempotency/idempotent-create.ts';
import { requestFingerprint } from '../idempotency/request-fingerprint.ts';
import type { CreatePaymentIntentCommand, ProviderCreateRequest } from './create-payment-intent-command.ts';
import type { CreateOutcome, CreatePaymentIntentResult } from './create-payment-intent-result.ts';
import type { PaymentIntentRepository } from './payment-intent-repository.ts';
import type { ProviderPort, ProviderPorts } from './provider-port.ts';
import { validateCreateCommand } from './validation/validate-create-command.ts';

export interface CreatePaymentIntentDependencies {
  readonly providers: ProviderPorts;
  readonly idempotentCreate: IdempotentCreate;
  readonly intents: PaymentIntentRepository;
  readonly now?: () => number;
}

/**
 * The createPaymentIntent use case: validate everything first (a bad input changes nothing and
 * reaches no provider), then create at the chosen provider at most once per (provider,
 * clientMutationId). An input refused only by the clock (an expiry now past) may not be sent, but
 * replays an identical create stored before (docs/decisions/idempotency.md). A created intent is
 * stored before the idempotency record completes, so that a replay and a read of the intent agree.
 * Its outcome is logged with the operation's line (src/observability/operation-observer-plugin.ts).
 */
export class CreatePaymentIntent {
  readonly #deps: CreatePaymentIntentDependencies;
  readonly #now: () => number;

  constructor(deps: CreatePaymentIntentDependencies) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async execute(command: CreatePaymentIntentCommand): Promise<CreatePaymentIntentResult> {
    const { clientMutationId, provider } = command;
    const port = this.#deps.providers.port(provider);
    const key = { provider, clientMutationId };
    const validation = validateCreateCommand(command, port, this.#now());
    if (!validation.ok) {
      // Too late to send (an expiry now past), but an identical create stored in time is replayed.
      const { lateRequest } = validation;
      const stored =
        lateRequest &&
        (await this.#deps.idempotentCreate.replayStored(
          key,
          requestFingerprint(lateRequest.request),
          this.#attempt(port, lateRequest.request, clientMutationId),
        ));
      return stored
        ? { clientMutationId, provider, ...stored }
        : { clientMutationId, provider, outcome: { kind: 'invalid', issues: validation.issues }, replayed: false };
    }

    const { request } = validation.value;
    const { outcome, replayed } = await this.#deps.idempotentCreate.run(
      key,
      requestFingerprint(request),
      this.#attempt(port, request, clientMutationId),
    );
    return { clientMutationId, provider, outcome, replayed };
  }

  #attempt(port: ProviderPort, request: ProviderCreateRequest, clientMutationId: string): CreateAttempt {
    const { intents } = this.#deps;
    return {
      resendIsSafe: port.resendsCreatesSafely,
      perform: async (): Promise<CreateOutcome> => {
        const outcome = await port.create(request, clientMutationId);
        if (outcome.kind === 'rejected') return outcome;
        return { kind: 'created', paymentIntent: await intents.saveCreated(outcome.paymentIntent, clientMutationId) };
      },
      findCreated: async () => {
        const marker = port.creationMarker(clientMutationId);
        return marker === null ? null : intents.findByCreationMarker(port.id, marker);
      },
      handedOut: (intent) => intents.markHandedOut(intent),
    };
  }
}
