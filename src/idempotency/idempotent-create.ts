import { setTimeout as sleep } from 'node:timers/promises';
import { CLIENT_MUTATION_ID_FIELD } from '../payments/create-payment-intent-command.ts';
import { rejected, type CreateOutcome } from '../payments/create-payment-intent-result.ts';
import type { Logger } from '../logging/logger.ts';
import type { PaymentIntent } from '../payments/payment-intent.ts';
import type { PaymentIntentUserError } from '../payments/payment-intent-user-error.ts';
import type { Claim, IdempotencyKey, IdempotencyStore } from './idempotency-store.ts';

export interface IdempotentCreateOptions {
  readonly store: IdempotencyStore;
  /** How long a duplicate waits for the first request's outcome before IDEMPOTENCY_KEY_IN_USE. */
  readonly waitForInFlightMs: number;
  /** How often a duplicate tries again to claim a key held by another process. */
  readonly pollIntervalMs: number;
  readonly logger: Logger;
  /** Told what the record decided for each create (metrics). */
  readonly onDecision?: (key: IdempotencyKey, decision: IdempotencyDecision) => void;
}

/**
 * - `performed`: this request held the key and went on with the create;
 * - `replayed`: the stored outcome of an earlier identical request was answered;
 * - `shared`: an identical create was in flight in this process, and its outcome was shared;
 * - `conflict`: the key was used with another input;
 * - `key_in_use`: an identical create was still running when the wait ran out.
 */
export type IdempotencyDecision = 'performed' | 'replayed' | 'shared' | 'conflict' | 'key_in_use';

export interface IdempotentResult {
  readonly outcome: CreateOutcome;
  /** True when the outcome is another request's: nothing was sent to the provider for this one. */
  readonly replayed: boolean;
}

/** One create, as the idempotency runner needs to see it. */
export interface CreateAttempt {
  /** Sends the create to the provider; called only by the holder of the claim. */
  perform(): Promise<CreateOutcome>;
  /** True when the provider deduplicates a resent create itself (by our idempotency key). */
  readonly resendIsSafe: boolean;
  /** The intent an earlier attempt of unknown outcome created, once it is known (webhook, store). */
  findCreated(): Promise<PaymentIntent | null>;
  /** Told once this intent is the key's stored outcome: the one handed out, whatever surfaces later. */
  handedOut(intent: PaymentIntent): Promise<void>;
}

interface Execution {
  readonly fingerprint: string;
  readonly result: Promise<IdempotentResult>;
}

/**
 * Hands out at most one payable intent per idempotency key (docs/decisions/idempotency.md,
 * docs/decisions/lost-create-outcome.md):
 * - the first request claims the key, calls the provider and stores a final outcome;
 * - an identical retry replays the stored outcome; a different input is IDEMPOTENCY_CONFLICT;
 * - concurrent duplicates share the first request's call (in this process) or wait for its
 *   record (another process), for a bounded time, then get IDEMPOTENCY_KEY_IN_USE;
 * - an outcome a retry could change (the provider failed or did not answer) is not stored, so
 *   the next retry calls the provider again, with the same key;
 * - a claim whose holder stopped mid-create (its lease ran out) is taken over by the next retry;
 *   where the earlier create may have reached a provider that does not deduplicate, the retry
 *   hands out that intent if it has become known, else creates again: the earlier one was never
 *   handed to anyone, so it cannot be paid, and it is recorded as superseded if it surfaces.
 */
export class IdempotentCreate {
  readonly #options: IdempotentCreateOptions;
  readonly #executions = new Map<string, Execution>();

  constructor(options: IdempotentCreateOptions) {
    this.#options = options;
  }

  async run(key: IdempotencyKey, fingerprint: string, attempt: CreateAttempt): Promise<IdempotentResult> {
    const id = `${key.provider}\u0000${key.clientMutationId}`;
    const running = this.#executions.get(id);
    if (running) {
      if (running.fingerprint !== fingerprint) return this.#conflict(key);
      return this.#share(key, running.result);
    }
    const result = this.#execute(key, fingerprint, attempt);
    this.#executions.set(id, { fingerprint, result });
    try {
      return await result;
    } finally {
      this.#executions.delete(id);
    }
  }

  /**
   * The stored outcome of an identical create, replayed; null when the key has none (no record,
   * another input, or a create still in flight). For a request that may no longer be sent (an
   * expiry now past): it claims nothing, so it never leads to a create.
   */
  async replayStored(
    key: IdempotencyKey,
    fingerprint: string,
    attempt: Pick<CreateAttempt, 'handedOut'>,
  ): Promise<IdempotentResult | null> {
    const record = await this.#options.store.find(key);
    if (record?.state !== 'completed' || record.fingerprint !== fingerprint) return null;
    return this.#replay(key, record.outcome, attempt);
  }

  async #share(key: IdempotencyKey, first: Promise<IdempotentResult>): Promise<IdempotentResult> {
    // A plain timer rather than an aborted sleep: aborting builds an AbortError, with its stack, on
    // every shared request, and a burst of retries of one key shares a lot.
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, this.#options.waitForInFlightMs, 'timeout');
    });
    try {
      const settled = await Promise.race([first, waited]);
      if (settled === 'timeout') return this.#keyInUse(key);
      this.#options.onDecision?.(key, 'shared');
      // `replayed` means "the stored result of an earlier request": an outcome a retry could
      // change is not stored, so sharing it is not a replay.
      return { outcome: settled.outcome, replayed: isFinal(settled.outcome) };
    } finally {
      clearTimeout(timer);
    }
  }

  async #execute(key: IdempotencyKey, fingerprint: string, attempt: CreateAttempt): Promise<IdempotentResult> {
    const { store } = this.#options;
    const giveUpAt = performance.now() + this.#options.waitForInFlightMs;
    for (;;) {
      const claim = await store.claim(key, fingerprint);
      if (claim.claimed) {
        this.#options.onDecision?.(key, 'performed');
        return this.#performClaimed(key, claim.claim, attempt);
      }
      const { record } = claim;
      if (record.fingerprint !== fingerprint) return this.#conflict(key);
      if (record.state === 'completed') return this.#replay(key, record.outcome, attempt);
      // Another process holds the key: claim again shortly, which replays its outcome once it
      // completes, or takes the claim over if it releases it or its lease runs out.
      if (performance.now() >= giveUpAt) return this.#keyInUse(key);
      await sleep(this.#options.pollIntervalMs);
    }
  }

  #conflict(key: IdempotencyKey): IdempotentResult {
    this.#options.onDecision?.(key, 'conflict');
    return { outcome: rejected(conflict(key)), replayed: false };
  }

  #keyInUse(key: IdempotencyKey): IdempotentResult {
    this.#options.onDecision?.(key, 'key_in_use');
    return { outcome: rejected(keyInUse(key)), replayed: false };
  }

  async #performClaimed(key: IdempotencyKey, claim: Claim, attempt: CreateAttempt): Promise<IdempotentResult> {
    const { store } = this.#options;
    if (claim.requestMayHaveBeenSent && !attempt.resendIsSafe) {
      const known = await this.#findEarlier(key, claim, attempt);
      if (known !== null) return this.#handOut(key, claim, { kind: 'created', paymentIntent: known }, attempt, true);
    }
    let outcome: CreateOutcome;
    try {
      // Another request took the key over while this one waited (for a pool connection, say): it
      // is the holder now, and a second create at a provider that does not deduplicate would be
      // one more intent, so this one sends nothing.
      if (!attempt.resendIsSafe && !(await store.markRequestSent(key, claim)))
        return await this.#answerWithTheRecord(key, attempt, 'before its create was sent');
      outcome = await attempt.perform();
    } catch (error) {
      await this.#giveUp(key, claim, true);
      throw error;
    }
    if (isFinal(outcome)) return this.#handOut(key, claim, outcome, attempt, false);
    await this.#giveUp(key, claim, outcome.kind === 'rejected' && outcome.mayHaveCreated === true);
    return { outcome, replayed: false };
  }

  /**
   * Lets the next identical request go ahead. Where the provider may have acted on this create, the
   * record stays, abandoned, with its input's fingerprint: the next identical request takes it over
   * at once (where the provider does not deduplicate, it first looks for the intent it made), and
   * another input under the key is IDEMPOTENCY_CONFLICT, as it would be once the outcome is known.
   * Released instead, the key would be free for another input, whose create a provider that
   * deduplicates refuses as a conflict with the one it may hold: that refusal would then be the
   * key's stored outcome, and the first input's retries would never get their intent.
   */
  async #giveUp(key: IdempotencyKey, claim: Claim, mayHaveCreated: boolean): Promise<void> {
    if (mayHaveCreated) await this.#options.store.abandon(key, claim);
    else await this.#options.store.release(key, claim);
  }

  /**
   * An earlier attempt may have created an intent at a provider that does not deduplicate, and its
   * answer was lost (no answer came back, or its process stopped). If that intent has become known
   * (a webhook or a read stored it), it is the one to hand out. Otherwise it was never handed to
   * anyone and cannot be paid: the caller creates again, with the same key, and the earlier intent,
   * should it surface later, is recorded as superseded (docs/decisions/lost-create-outcome.md).
   */
  async #findEarlier(key: IdempotencyKey, claim: Claim, attempt: CreateAttempt): Promise<PaymentIntent | null> {
    try {
      return await attempt.findCreated();
    } catch (error) {
      // Leave the record for the next retry to look again, at once rather than after a lease.
      await this.#options.store.abandon(key, claim);
      throw error;
    }
  }

  /**
   * Stores the final outcome and hands it to the caller. If this request outlived its lease and
   * another took the key over (IDEMPOTENCY_LEASE_MS exceeds the provider deadline, so it should
   * not), its intent must not reach a client as well: the caller gets the record's outcome, or
   * KEY_IN_USE while the other request is still at work.
   */
  async #handOut(
    key: IdempotencyKey,
    claim: Claim,
    outcome: CreateOutcome,
    attempt: CreateAttempt,
    replayed: boolean,
  ): Promise<IdempotentResult> {
    if (await this.#options.store.complete(key, claim, outcome)) {
      if (outcome.kind === 'created') await attempt.handedOut(outcome.paymentIntent);
      return { outcome, replayed };
    }
    return this.#answerWithTheRecord(key, attempt, 'before its outcome was stored');
  }

  /** The answer of a request that lost its claim: the record's outcome, or KEY_IN_USE while it is at work. */
  async #answerWithTheRecord(
    key: IdempotencyKey,
    attempt: Pick<CreateAttempt, 'handedOut'>,
    when: string,
  ): Promise<IdempotentResult> {
    this.#options.logger.warn(
      { provider: key.provider, clientMutationId: key.clientMutationId },
      `idempotency claim was lost ${when}: answering with the record instead`,
    );
    const record = await this.#options.store.find(key);
    if (record?.state === 'completed') return this.#replay(key, record.outcome, attempt);
    return this.#keyInUse(key);
  }

  /**
   * A stored outcome, handed out again. Its intent is recorded as handed out once more (an update
   * that changes nothing when it already is): the request that completed the record may have
   * stopped, or lost its store, before it could record it, and until then a lost intent surfacing
   * for the key would not be superseded.
   */
  async #replay(
    key: IdempotencyKey,
    outcome: CreateOutcome,
    attempt: Pick<CreateAttempt, 'handedOut'>,
  ): Promise<IdempotentResult> {
    this.#options.onDecision?.(key, 'replayed');
    if (outcome.kind === 'created') await attempt.handedOut(outcome.paymentIntent);
    return { outcome, replayed: true };
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
    field: CLIENT_MUTATION_ID_FIELD,
    provider: key.provider,
    providerStatus: null,
    providerCode: null,
    retryable: false,
  };
}

function keyInUse(key: IdempotencyKey): PaymentIntentUserError {
  return {
    code: 'IDEMPOTENCY_KEY_IN_USE',
    message:
      'a request with this clientMutationId is still being processed; retry shortly with the same clientMutationId',
    field: CLIENT_MUTATION_ID_FIELD,
    provider: key.provider,
    providerStatus: null,
    providerCode: null,
    retryable: true,
  };
}
