import { setTimeout as sleep } from 'node:timers/promises';
import type { IdempotencyKey } from '../../src/idempotency/idempotency-store.ts';
import type { CreateAttempt } from '../../src/idempotency/idempotent-create.ts';
import { SqlIdempotencyStore, type SqlIdempotencyStoreOptions } from '../../src/store/sql-idempotency-store.ts';
import { rejected, type CreateOutcome } from '../../src/payments/create-payment-intent-result.ts';
import type { PaymentIntent, ProviderId } from '../../src/payments/payment-intent.ts';
import type { PaymentIntentErrorCode, PaymentIntentUserError } from '../../src/payments/payment-intent-user-error.ts';
import type { SqlClient } from '../../src/store/sql-client.ts';

// Fixtures of the idempotency tests on the real store (both engines): keys, outcomes, and the
// provider side of a create as a test double.

export { sleep };

export const ZOPAY_KEY: IdempotencyKey = { provider: 'ZOPAY', clientMutationId: 'order-1' };
export const ZIINA_KEY: IdempotencyKey = { provider: 'ZIINA', clientMutationId: 'order-1' };
/** Ziina's intent ids are UUIDs. */
export const ZIINA_ID = '6f1d2a7e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';

/** Long enough never to run out during a test that is not about expiry. */
export const DAY_MS = 24 * 60 * 60 * 1000;

export function sqlStore(sql: SqlClient, options: Partial<SqlIdempotencyStoreOptions> = {}): SqlIdempotencyStore {
  return new SqlIdempotencyStore(sql, { retentionMs: DAY_MS, leaseMs: DAY_MS, ...options });
}

export function created(paymentIntent: PaymentIntent): CreateOutcome {
  return { kind: 'created', paymentIntent };
}

export function userError(
  code: PaymentIntentErrorCode,
  retryable: boolean,
  provider: ProviderId = 'ZOPAY',
): PaymentIntentUserError {
  const providerStatus =
    code === 'RATE_LIMITED'
      ? 429
      : code === 'PROVIDER_UNAVAILABLE'
        ? 503
        : code === 'PROVIDER_VALIDATION_FAILED'
          ? 422
          : null;
  return {
    code,
    retryable,
    message: `${code.toLowerCase()}: provider said so`,
    field: code === 'PROVIDER_VALIDATION_FAILED' ? ['providerInput', 'amount'] : null,
    provider,
    providerStatus,
    providerCode: providerStatus === null ? null : `E${providerStatus}`,
  };
}

/** A create that got no answer (timeout, reset): retryable, and it may have made an intent. */
export function unanswered(provider: ProviderId, mayHaveCreated: boolean): CreateOutcome {
  const noAnswer = { ...userError('PROVIDER_UNAVAILABLE', true, provider), providerStatus: null, providerCode: null };
  return { kind: 'rejected', userErrors: [noAnswer], mayHaveCreated };
}

/** A business rejection no retry can change: final, so stored and replayed. */
export const VALIDATION_FAILED: CreateOutcome = rejected(userError('PROVIDER_VALIDATION_FAILED', false));

export function errorCodes(outcome: CreateOutcome): string[] {
  return outcome.kind === 'rejected' ? outcome.userErrors.map((error) => error.code) : [];
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The provider side of a create, as a test double: counts its sends, answers what the test says. */
export interface FakeAttempt extends CreateAttempt {
  /** How many times the create was sent. */
  readonly performs: number;
  /** How many times the intent of an earlier attempt was looked for. */
  readonly lookups: number;
  /** What findCreated answers from now on. */
  known: PaymentIntent | null;
  /** The intents the run handed out, in order. */
  readonly handedOutIntents: readonly PaymentIntent[];
  /** Settles when the create is first sent: its run holds the claim by then. */
  readonly sent: Promise<void>;
}

export function fakeAttempt(
  answer: (performNumber: number) => Promise<CreateOutcome> | CreateOutcome,
  options: { resendIsSafe?: boolean; known?: PaymentIntent | null } = {},
): FakeAttempt {
  let performs = 0;
  let lookups = 0;
  const sent = deferred<undefined>();
  const handedOutIntents: PaymentIntent[] = [];
  return {
    resendIsSafe: options.resendIsSafe ?? true,
    known: options.known ?? null,
    sent: sent.promise,
    get performs() {
      return performs;
    },
    get lookups() {
      return lookups;
    },
    async perform() {
      performs += 1;
      sent.resolve(undefined);
      return answer(performs);
    },
    handedOutIntents,
    handedOut(intent) {
      handedOutIntents.push(intent);
      return Promise.resolve();
    },
    findCreated() {
      lookups += 1;
      return Promise.resolve(this.known);
    },
  };
}
