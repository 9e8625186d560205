import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { Agent } from 'undici';
import { composedLinesLogger, type Logger } from '../../logging/logger.ts';
import { firstHeader } from '../../lib/first-header.ts';
import { parseRetryAfterMs } from './retry-after.ts';
import type { ProviderHttpSettings } from '../../config/environment.ts';
import { ProviderBulkheads, type ProviderCallLoad } from './provider-bulkheads.ts';
import { ProviderCircuitBreakers } from './provider-circuit-breakers.ts';
import { ProviderUnavailableError, type ProviderIdentity } from '../provider-errors.ts';
import { Deadline } from './deadline.ts';
import { transportFailure } from './transport-failure.ts';

/** One HTTP attempt to a provider, as /metrics counts it. */
export interface ProviderAttempt {
  /** The provider's id, e.g. ZOPAY. */
  readonly provider: string;
  /** e.g. "zopay.create" */
  readonly operation: string;
  /** The HTTP status, or "timeout" / "connection". */
  readonly outcome: string;
  readonly seconds: number;
}

export interface ProviderHttpClientOptions extends ProviderHttpSettings {
  /** Told of every attempt (each also has a log line). */
  readonly onAttempt?: (attempt: ProviderAttempt) => void;
  /** Told when a provider's circuit opens (true) or closes again (false). */
  readonly onCircuitChange?: (provider: string, open: boolean) => void;
  /** Told of every call refused before anything was sent: by the open circuit, or by a full bulkhead. */
  readonly onRefused?: (provider: string, reason: RefusalReason) => void;
}

/** Why a call was refused without being sent. */
export type RefusalReason = 'circuit_open' | 'saturated';

/**
 * - `idempotent`: sending twice has the effect of sending once (GETs, and creates that carry the
 *   provider's idempotency key); retried on connection failures, timeouts, 5xx and 429.
 * - `unsafe`: a second send could create a second payment; retried only when the first one
 *   provably never left this process (the connection was not established).
 */
export type RetryPolicy = 'idempotent' | 'unsafe';

export interface ProviderRequest {
  /** Whose circuit breaker the call goes through, and whom errors name. */
  readonly provider: ProviderIdentity;
  /** For logs, e.g. "zopay.create". Never a URL: log lines stay free of hosts and keys. */
  readonly operation: string;
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly retryPolicy: RetryPolicy;
}

export interface ProviderResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Always read in full, so the connection goes back to the pool. */
  readonly body: string;
  readonly attempts: number;
}

/** Thrown inside the retry loop for an answer worth another attempt; unwrapped when retries run out. */
class RetryableAnswer extends Error {
  readonly response: Omit<ProviderResponse, 'attempts'>;
  constructor(response: Omit<ProviderResponse, 'attempts'>) {
    super(`provider answered ${response.status}`);
    this.response = response;
  }
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * The one place that talks HTTP to providers (after stripe-node's RequestSender): pooled
 * keep-alive connections per origin, timeouts at every stage, one deadline per call, and
 * retries with exponential backoff and jitter that honour Retry-After and never outlive the
 * deadline, behind one circuit breaker per provider, itself behind one bulkhead per provider.
 * A provider's answer is returned whatever its status; only the absence of an answer is thrown
 * (ProviderUnavailableError).
 */
export class ProviderHttpClient {
  readonly #options: ProviderHttpClientOptions;
  readonly #logger: Logger;
  readonly #agent: Agent;
  readonly #breakers: ProviderCircuitBreakers;
  readonly #bulkheads: ProviderBulkheads;

  constructor(options: ProviderHttpClientOptions, logger: Logger) {
    this.#options = options;
    // Its only lines are the attempts', made of fields it composes (see #attempted).
    this.#logger = composedLinesLogger(logger);
    // An Agent keeps one Pool per origin, so each provider gets its own capped pool.
    this.#agent = new Agent({
      connections: options.maxConnectionsPerOrigin,
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      // Provider answers are small JSON documents; anything bigger is an attack or a bug.
      maxResponseSize: 1024 * 1024,
    });
    this.#breakers = new ProviderCircuitBreakers(options.circuitBreaker, logger, options.onCircuitChange);
    this.#bulkheads = new ProviderBulkheads(options.bulkhead);
  }

  /**
   * The bulkhead comes first: a refusal there is this process's congestion, not the provider's
   * failure, so the breaker never sees it (in its half-open state cockatiel would even count it as a
   * successful probe). While a circuit is open, calls pass the bulkhead and fail at the breaker at
   * once. The deadline starts here: a wait for a bulkhead slot is part of the call's budget.
   */
  async send(request: ProviderRequest): Promise<ProviderResponse> {
    const deadline = new Deadline(this.#options.deadlineMs);
    const startedAt = performance.now();
    try {
      return await this.#bulkheads.call(request.provider, deadline.signal, () =>
        this.#breakers.call(request.provider, () => this.#sendWithRetries(request, deadline.signal, startedAt)),
      );
    } catch (error) {
      if (
        error instanceof ProviderUnavailableError &&
        (error.reason === 'circuit_open' || error.reason === 'saturated')
      )
        this.#options.onRefused?.(request.provider.id, error.reason);
      throw error;
    } finally {
      deadline.clear();
    }
  }

  /** Calls running and waiting per provider now, for /metrics. */
  load(): ProviderCallLoad[] {
    return this.#bulkheads.load();
  }

  async #sendWithRetries(
    request: ProviderRequest,
    deadline: AbortSignal,
    startedAt: number,
  ): Promise<ProviderResponse> {
    let attempts = 0;
    let notBefore = 0;

    const attempt = async (): Promise<ProviderResponse> => {
      const wait = notBefore - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal: deadline });
      attempts += 1;
      const response = await this.#sendOnce(request, deadline, attempts);
      if (isRetryableStatus(response.status)) throw new RetryableAnswer(response);
      return { ...response, attempts };
    };

    const shouldRetry = (error: Error): boolean => {
      if (error instanceof ProviderUnavailableError) {
        return request.retryPolicy === 'idempotent' || !error.requestSent;
      }
      if (!(error instanceof RetryableAnswer) || request.retryPolicy !== 'idempotent') return false;
      const retryAfterMs = parseRetryAfterMs(firstHeader(error.response.headers['retry-after']), Date.now()) ?? 0;
      const remainingMs = this.#options.deadlineMs - (performance.now() - startedAt);
      if (retryAfterMs >= remainingMs) return false;
      notBefore = performance.now() + retryAfterMs;
      return true;
    };

    try {
      return await pRetry(attempt, {
        retries: this.#options.maxRetries,
        factor: 2,
        minTimeout: this.#options.retryBaseDelayMs,
        randomize: true,
        maxRetryTime: this.#options.deadlineMs,
        signal: deadline,
        shouldRetry: ({ error }) => shouldRetry(error),
      });
    } catch (error) {
      if (error instanceof RetryableAnswer) return { ...error.response, attempts };
      if (error instanceof ProviderUnavailableError) throw error;
      // The deadline fired while waiting between attempts.
      if (deadline.aborted)
        throw new ProviderUnavailableError(request.provider, 'timeout', attempts > 0, null, { cause: error });
      throw error;
    }
  }

  async #sendOnce(
    request: ProviderRequest,
    signal: AbortSignal,
    attempt: number,
  ): Promise<Omit<ProviderResponse, 'attempts'>> {
    const startedAt = performance.now();
    try {
      const response = await this.#agent.request({
        origin: request.url.origin,
        path: `${request.url.pathname}${request.url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal,
      });
      const body = await response.body.text();
      this.#attempted(request, attempt, startedAt, { status: response.statusCode });
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      const failure = transportFailure(request.provider, error);
      this.#attempted(request, attempt, startedAt, { failure: failure.reason });
      throw failure;
    }
  }

  /**
   * One log line and one count per attempt. The line names the call by its operation, never by its
   * URL (which could carry a query), and holds no header or body: keys and provider texts stay out.
   */
  #attempted(
    request: ProviderRequest,
    attempt: number,
    startedAt: number,
    result: { readonly status: number } | { readonly failure: string },
  ): void {
    const milliseconds = performance.now() - startedAt;
    const provider = request.provider.id;
    const outcome = 'status' in result ? String(result.status) : result.failure;
    this.#options.onAttempt?.({ provider, operation: request.operation, outcome, seconds: milliseconds / 1000 });
    const line = {
      provider,
      operation: request.operation,
      method: request.method,
      ...result,
      attempt,
      durationMs: Math.round(milliseconds * 10) / 10,
      breaker: this.#breakers.stateOf(provider),
    };
    if ('status' in result && !isRetryableStatus(result.status)) this.#logger.info(line, 'provider call attempt');
    else this.#logger.warn(line, 'provider call attempt');
  }

  /** Closes the pools once in-flight calls are done. */
  async close(): Promise<void> {
    await this.#agent.close();
  }
}
