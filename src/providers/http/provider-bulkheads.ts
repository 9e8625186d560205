import { AsyncLocalStorage } from 'node:async_hooks';
import { bulkhead, isBulkheadRejectedError, isTaskCancelledError, type BulkheadPolicy } from 'cockatiel';
import type { ProviderHttpSettings } from '../../config/environment.ts';
import { ProviderUnavailableError, type ProviderIdentity } from '../provider-errors.ts';

type BulkheadOptions = ProviderHttpSettings['bulkhead'];

/** How many calls to one provider are running and waiting, for /metrics. */
export interface ProviderCallLoad {
  readonly provider: string;
  readonly running: number;
  readonly queued: number;
}

/**
 * One bulkhead per provider (docs/decisions/provider-http.md): at most `maxConcurrentCalls` calls to
 * a provider at once, at most `maxQueuedCalls` more waiting for a slot, and any call beyond those
 * fails at once with ProviderUnavailableError 'saturated', nothing sent. A slow provider then holds a
 * bounded share of the process (connections, memory, requests waiting on it) instead of all of it,
 * and the other providers' calls never wait behind its. A queued call's wait is part of its
 * deadline: one that is still waiting when the deadline passes fails 'saturated' too.
 */
export class ProviderBulkheads {
  readonly #options: BulkheadOptions;
  readonly #bulkheads = new Map<string, BulkheadPolicy>();

  constructor(options: BulkheadOptions) {
    this.#options = options;
  }

  async call<T>(provider: ProviderIdentity, deadline: AbortSignal, send: () => Promise<T>): Promise<T> {
    const saturated = (cause: unknown) => new ProviderUnavailableError(provider, 'saturated', false, null, { cause });
    let started = false;
    // cockatiel looks at the signal only when a slot frees up; the caller must not wait that long.
    const outwaited = Promise.withResolvers<never>();
    const onDeadline = () => {
      if (!started) outwaited.reject(saturated(deadline.reason));
    };
    deadline.addEventListener('abort', onDeadline, { once: true });
    // A queued call is started by whichever call frees its slot: bound to its own request's async
    // context, its log lines and its span name its own request, not that one.
    const start = AsyncLocalStorage.bind(() => {
      started = true;
      return send();
    });
    try {
      const running = this.#bulkheadOf(provider.id).execute(start, deadline);
      return await Promise.race([running, outwaited.promise]);
    } catch (error) {
      if (isBulkheadRejectedError(error) || isTaskCancelledError(error)) throw saturated(error);
      throw error;
    } finally {
      deadline.removeEventListener('abort', onDeadline);
    }
  }

  /** Every provider called so far, with its calls running and waiting now. */
  load(): ProviderCallLoad[] {
    return [...this.#bulkheads].map(([provider, policy]) => ({
      provider,
      running: this.#options.maxConcurrentCalls - policy.executionSlots,
      queued: this.#options.maxQueuedCalls - policy.queueSlots,
    }));
  }

  #bulkheadOf(provider: string): BulkheadPolicy {
    let policy = this.#bulkheads.get(provider);
    if (policy === undefined) {
      policy = bulkhead(this.#options.maxConcurrentCalls, this.#options.maxQueuedCalls);
      this.#bulkheads.set(provider, policy);
    }
    return policy;
  }
}
