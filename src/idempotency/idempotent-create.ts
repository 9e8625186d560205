import { setTimeout as sleep } from 'node:timers/promises';
import { rejected, type CreateOutcome } from '../payments/create-payment-intent-result.ts';
import type { PaymentIntentUserError } from '../payments/payment-intent-user-error.ts';
import type { IdempotencyKey, IdempotencyRecord, IdempotencyStore } from './idempotency-store.ts';

export interface IdempotentCreateOptions {
  readonly store: IdempotencyStore;
  /** How long a duplicate waits for the first request's outcome before IDEMPOTENCY_KEY_IN_USE. */
  readonly waitForInFlightMs: number;
  /** How often a duplicate re-reads a record held by another process. */
  readonly pollIntervalMs: number;
}

export interface IdempotentResult {
  readonly outcome: CreateOutcome;
  /** True when the outcome is another request's: nothing was sent to the provider for this one. */
  readonly replayed: boolean;
}

interface Execution {
  readonly fingerprint: string;
  readonly result: Promise<IdempotentResult>;
}

/**
 * Runs a provider create at most once per idempotency key:
 * - the first request claims the key, calls the provider and stores a final outcome;
 * - an identical retry replays the stored outcome; a different input is IDEMPOTENCY_CONFLICT;
 * - concurrent duplicates share the first request's call (in this process) or wait for its
 *   record (another process), for a bounded time, then get IDEMPOTENCY_KEY_IN_USE;
 * - an outcome a retry could change (the provider failed or did not answer) is not stored, so
 *   the next retry calls the provider again, with the same key.
 */
export class IdempotentCreate {
  readonly #options: IdempotentCreateOptions;
  readonly #executions = new Map<string, Execution>();

  constructor(options: IdempotentCreateOptions) {
    this.#options = options;
  }

  async run(key: IdempotencyKey, fingerprint: string, perform: () => Promise<CreateOutcome>): Promise<IdempotentResult> {
    const id = `${key.provider}\u0000${key.clientMutationId}`;
    const running = this.#executions.get(id);
    if (running) {
      if (running.fingerprint !== fingerprint) return { outcome: rejected(conflict(key)), replayed: false };
      return this.#share(key, running.result);
    }
    const result = this.#execute(key, fingerprint, perform);
    this.#executions.set(id, { fingerprint, result });
    try {
      return await result;
    } finally {
      this.#executions.delete(id);
    }
  }

  async #share(key: IdempotencyKey, first: Promise<IdempotentResult>): Promise<IdempotentResult> {
    const timeout = new AbortController();
    const waited = sleep(this.#options.waitForInFlightMs, 'timeout' as const, { signal: timeout.signal });
    try {
      const settled = await Promise.race([first, waited]);
      if (settled === 'timeout') return { outcome: rejected(keyInUse(key)), replayed: false };
      return { outcome: settled.outcome, replayed: true };
    } finally {
      timeout.abort();
      waited.catch(() => undefined);
    }
  }

  async #execute(key: IdempotencyKey, fingerprint: string, perform: () => Promise<CreateOutcome>): Promise<IdempotentResult> {
    const { store } = this.#options;
    const giveUpAt = performance.now() + this.#options.waitForInFlightMs;
    for (;;) {
      const claim = await store.claim(key, fingerprint);
      if (claim.claimed) return { outcome: await this.#performClaimed(key, fingerprint, perform), replayed: false };
      const { record } = claim;
      if (record.fingerprint !== fingerprint) return { outcome: rejected(conflict(key)), replayed: false };
      if (record.state === 'completed') return { outcome: record.outcome, replayed: true };
      // Another process holds the key: wait until it completes (then replay) or releases
      // (then claim it here), within the bounded wait.
      if (!(await this.#awaitSettled(key, giveUpAt))) return { outcome: rejected(keyInUse(key)), replayed: false };
    }
  }

  async #performClaimed(key: IdempotencyKey, fingerprint: string, perform: () => Promise<CreateOutcome>): Promise<CreateOutcome> {
    const { store } = this.#options;
    let outcome: CreateOutcome;
    try {
      outcome = await perform();
    } catch (error) {
      await store.release(key, fingerprint);
      throw error;
    }
    if (isFinal(outcome)) await store.complete(key, fingerprint, outcome);
    else await store.release(key, fingerprint);
    return outcome;
  }

  async #awaitSettled(key: IdempotencyKey, giveUpAt: number): Promise<boolean> {
    while (performance.now() < giveUpAt) {
      await sleep(this.#options.pollIntervalMs);
      const record: IdempotencyRecord | null = await this.#options.store.find(key);
      if (record?.state !== 'in_flight') return true;
    }
    return false;
  }
}

/** Final: an intent, or a rejection no retry can change. */
function isFinal(outcome: CreateOutcome): boolean {
  return outcome.kind === 'created' || outcome.userErrors.every((error) => !error.retryable);
}

function conflict(key: IdempotencyKey): PaymentIntentUserError {
  return {
    code: 'IDEMPOTENCY_CONFLICT',
    message: 'clientMutationId was already used with a different input; use a new clientMutationId for a new payment',
    field: ['clientMutationId'],
    provider: key.provider,
    providerStatus: null,
    providerCode: null,
    retryable: false,
  };
}

function keyInUse(key: IdempotencyKey): PaymentIntentUserError {
  return {
    code: 'IDEMPOTENCY_KEY_IN_USE',
    message: 'a request with this clientMutationId is still being processed; retry shortly with the same clientMutationId',
    field: ['clientMutationId'],
    provider: key.provider,
    providerStatus: null,
    providerCode: null,
    retryable: true,
  };
}
