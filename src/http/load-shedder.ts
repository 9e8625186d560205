import type { ServerResponse } from 'node:http';
import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import type { Logger } from '../logging/logger.ts';

export interface LoadSheddingSettings {
  /** /graphql requests in progress at once; the next one is shed. */
  readonly maxInFlightRequests: number;
  /** The event loop's average lateness over the last window beyond which /graphql requests are shed. */
  readonly maxEventLoopDelayMs: number;
}

/** Why the process sheds requests now. */
export type OverloadReason = 'in_flight' | 'event_loop_delay';

export interface LoadShedderOptions extends LoadSheddingSettings {
  readonly logger: Logger;
  /** Told of every request shed. */
  readonly onShed?: (reason: OverloadReason) => void;
}

/** The window over which the event loop's delay is averaged, and how often it is looked at. */
const SAMPLE_WINDOW_MS = 500;
/** How often the delay histogram's own timer ticks; what it records beyond that is lateness. */
const RESOLUTION_MS = 10;

/**
 * Decides whether the process takes one more /graphql request (docs/decisions/overload-and-shutdown.md).
 * Two signals, because each misses what the other sees:
 * - requests in flight: a slow store or provider leaves the event loop idle while requests pile up,
 *   each holding memory and a client until every one of them times out;
 * - the event loop's delay: CPU saturation queues every callback behind the others, whatever the
 *   number of requests. It is the mean lateness of a 10 ms timer over the last 500 ms window: a
 *   pause shorter than the window barely moves it, work that never lets the loop rest does.
 * Shedding answers at once and costs nothing; readiness reports it, so that traffic goes elsewhere.
 */
export class LoadShedder {
  readonly #options: LoadShedderOptions;
  readonly #histogram: ELDHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  #sampler: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #eventLoopDelayMs = 0;
  #overloaded: OverloadReason | null = null;

  constructor(options: LoadShedderOptions) {
    this.#options = options;
  }

  /** Starts measuring the event loop: once listening, since start-up's own long tasks are not load. */
  start(): void {
    this.#histogram.enable();
    this.#sampler = setInterval(() => this.#sample(), SAMPLE_WINDOW_MS);
    this.#sampler.unref();
  }

  stop(): void {
    clearInterval(this.#sampler);
    this.#histogram.disable();
  }

  /** /graphql requests being served now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Why a request arriving now would be shed, or null. */
  overload(): OverloadReason | null {
    if (this.#inFlight >= this.#options.maxInFlightRequests) return 'in_flight';
    if (this.#eventLoopDelayMs > this.#options.maxEventLoopDelayMs) return 'event_loop_delay';
    return null;
  }

  /** Takes the request, counted until its response closes (answered or abandoned); or says why not. */
  admit(response: ServerResponse): OverloadReason | null {
    const overload = this.overload();
    if (overload !== null) {
      this.#options.onShed?.(overload);
      return overload;
    }
    this.#inFlight += 1;
    response.once('close', () => (this.#inFlight -= 1));
    return null;
  }

  #sample(): void {
    const { count, mean } = this.#histogram;
    this.#eventLoopDelayMs = count === 0 ? 0 : Math.max(0, mean / 1e6 - RESOLUTION_MS);
    this.#histogram.reset();
    const overload = this.overload();
    if (overload === this.#overloaded) return;
    this.#overloaded = overload;
    const state = { inFlight: this.#inFlight, eventLoopDelayMs: Math.round(this.#eventLoopDelayMs) };
    if (overload === null) this.#options.logger.info(state, 'load back to normal: serving every request');
    else this.#options.logger.warn({ ...state, reason: overload }, 'overloaded: shedding /graphql requests');
  }
}
