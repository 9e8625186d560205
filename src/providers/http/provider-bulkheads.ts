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
    const policy = this.#bulkheadOf(provider.id);
    try {
      // A call that finds a free slot runs at once, in its own request's async context: what the
      // queued call below needs costs a provider read several microseconds, so only it pays.
      if (policy.executionSlots > 0) return await policy.execute(send, deadline);
      return await waitForSlot(policy, provider, deadline, send);
    } catch (error) {
      if (isBulkheadRejectedError(error) || isTaskCancelledError(error)) throw saturated(provider, error);
      throw error;
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

function saturated(provider: ProviderIdentity, cause: unknown): ProviderUnavailableError {
  return new ProviderUnavailableError(provider, 'saturated', false, null, { cause });
}

/**
 * A call queued for a slot. It is started by whichever call frees its slot: bound to its own
 * request's async context, so that its log lines and its span name its own request, not that one.
 * cockatiel looks at the deadline only when a slot frees up; the caller must not wait that long,
 * so a call still queued at its deadline fails at once.
 */
async function waitForSlot<T>(
  policy: BulkheadPolicy,
  provider: ProviderIdentity,
  deadline: AbortSignal,
  send: () => Promise<T>,
): Promise<T> {
  let started = false;
  const outwaited = Promise.withResolvers<never>();
  const onDeadline = () => {
    if (!started) outwaited.reject(saturated(provider, deadline.reason));
  };
  deadline.addEventListener('abort', onDeadline, { once: true });
  const start = AsyncLocalStorage.bind(() => {
    started = true;
    return send();
  });
  try {
    return await Promise.race([policy.execute(start, deadline), outwaited.promise]);
  } finally {
    deadline.removeEventListener('abort', onDeadline);
  }
}
