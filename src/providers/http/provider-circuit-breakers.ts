import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  isBrokenCircuitError,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { ProviderHttpSettings } from '../../config/environment.ts';
import type { Logger } from '../../logging/logger.ts';
import { ProviderUnavailableError, type ProviderIdentity } from '../provider-errors.ts';

type CircuitBreakerOptions = ProviderHttpSettings['circuitBreaker'];

/** A circuit's state, as log lines name it. */
export type BreakerState = 'closed' | 'open' | 'half_open' | 'isolated';

const STATE_NAMES: Readonly<Record<CircuitState, BreakerState>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * One circuit breaker per provider (docs/decisions/provider-http.md): a provider outage is handled
 * by the breaker and typed errors, never by making the subgraph unready. While a provider keeps
 * failing, calls fail at once instead of each waiting out its deadline: requests answer
 * PROVIDER_UNAVAILABLE in milliseconds, stored intents are served from the store, and the provider
 * is not hammered while it recovers. A 4xx or a 429 is an answer, not an outage, and does not count.
 */
export class ProviderCircuitBreakers {
  readonly #options: CircuitBreakerOptions;
  readonly #logger: Logger;
  readonly #onStateChange: (provider: string, open: boolean) => void;
  readonly #breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(
    options: CircuitBreakerOptions,
    logger: Logger,
    onStateChange: (provider: string, open: boolean) => void = () => undefined,
  ) {
    this.#options = options;
    this.#logger = logger;
    this.#onStateChange = onStateChange;
  }

  /**
   * Runs one provider call through its provider's breaker. Throws ProviderUnavailableError
   * 'circuit_open', without sending anything, while the circuit is open or while its one probe
   * call is in flight.
   */
  async call<T extends { readonly status: number }>(provider: ProviderIdentity, send: () => Promise<T>): Promise<T> {
    try {
      return await this.#breakerOf(provider.id).execute(send);
    } catch (error) {
      if (isBrokenCircuitError(error))
        throw new ProviderUnavailableError(provider, 'circuit_open', false, null, { cause: error });
      throw error;
    }
  }

  /** A provider not called yet has a closed circuit. */
  stateOf(provider: string): BreakerState {
    const breaker = this.#breakers.get(provider);
    return breaker === undefined ? 'closed' : STATE_NAMES[breaker.state];
  }

  #breakerOf(provider: string): CircuitBreakerPolicy {
    let breaker = this.#breakers.get(provider);
    if (breaker === undefined) {
      breaker = circuitBreaker(
        handleWhen((error) => error instanceof ProviderUnavailableError).orWhenResult(
          (answer) => (answer as { status: number }).status >= 500,
        ),
        {
          halfOpenAfter: this.#options.halfOpenAfterMs,
          breaker: new ConsecutiveBreaker(this.#options.failureThreshold),
        },
      );
      breaker.onBreak(() => {
        this.#logger.error(
          { provider, retryInMs: this.#options.halfOpenAfterMs },
          'provider circuit opened: calls fail fast until a probe succeeds',
        );
        this.#onStateChange(provider, true);
      });
      breaker.onReset(() => {
        this.#logger.info({ provider }, 'provider circuit closed: the provider answers again');
        this.#onStateChange(provider, false);
      });
      this.#breakers.set(provider, breaker);
    }
    return breaker;
  }
}
