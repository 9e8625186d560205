import { circuitBreaker, ConsecutiveBreaker, handleWhen, isBrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import type { Logger } from '../../logging/logger.ts';
import { ProviderTransportError } from './provider-transport-error.ts';

export interface CircuitBreakerOptions {
  /** Consecutive failed calls (no answer, or a 5xx after the retries) that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before one probe call may test the provider. */
  readonly halfOpenAfterMs: number;
}

/**
 * One circuit breaker per provider (ARCHITECTURE.md, "health": "the breaker and typed errors
 * handle" a provider outage). While a provider keeps failing, calls fail at once instead of
 * each waiting out its deadline: requests answer PROVIDER_UNAVAILABLE in milliseconds, stored
 * intents are served from the store, and the provider is not hammered while it recovers. A 4xx
 * or a 429 is an answer, not an outage, and does not count.
 */
export class ProviderCircuitBreakers {
  readonly #options: CircuitBreakerOptions;
  readonly #logger: Logger;
  readonly #onStateChange: (provider: string, open: boolean) => void;
  readonly #breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(options: CircuitBreakerOptions, logger: Logger, onStateChange: (provider: string, open: boolean) => void = () => undefined) {
    this.#options = options;
    this.#logger = logger;
    this.#onStateChange = onStateChange;
  }

  /**
   * Runs one provider call through its provider's breaker. Throws a ProviderTransportError
   * 'circuit_open', without sending anything, while the circuit is open or while its one probe
   * call is in flight.
   */
  async call<T extends { readonly status: number }>(provider: string, send: () => Promise<T>): Promise<T> {
    try {
      return await this.#breakerOf(provider).execute(send);
    } catch (error) {
      if (isBrokenCircuitError(error)) throw new ProviderTransportError('circuit_open', false, { cause: error });
      throw error;
    }
  }

  #breakerOf(provider: string): CircuitBreakerPolicy {
    let breaker = this.#breakers.get(provider);
    if (breaker === undefined) {
      breaker = circuitBreaker(
        handleWhen((error) => error instanceof ProviderTransportError).orWhenResult((answer) => (answer as { status: number }).status >= 500),
        { halfOpenAfter: this.#options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.#options.failureThreshold) },
      );
      breaker.onBreak(() => {
        this.#logger.error({ provider, retryInMs: this.#options.halfOpenAfterMs }, 'provider circuit opened: calls fail fast until a probe succeeds');
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
