import { describe, expect, it } from 'vitest';
import { IdempotentCreate, type IdempotentResult } from '../../../src/idempotency/idempotent-create.ts';
import { rejected, type CreateOutcome } from '../../../src/payments/create-payment-intent-result.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import type { IdempotencyStore } from '../../../src/idempotency/idempotency-store.ts';
import type { SqlClient } from '../../../src/store/sql-client.ts';
import { MemoryLog } from '../../support/memory-log.ts';
import { ziinaIntent, zopayIntent } from '../../support/builders.ts';
import {
  created,
  DAY_MS,
  deferred,
  errorCodes,
  fakeAttempt,
  sleep,
  sqlStore,
  unanswered,
  userError,
  VALIDATION_FAILED,
  ZIINA_ID,
  ZIINA_KEY,
  ZOPAY_KEY,
} from '../../support/store-fixtures.ts';
import { STORE_ENGINES, useTestDatabase } from '../../support/test-database.ts';

const LEASE_MS = 300;
const POLL_MS = 10;
// Lets the database clock pass a lease or a retention without doubt.
const MARGIN_MS = 150;

interface ReplicaOptions {
  readonly leaseMs?: number;
  readonly retentionMs?: number;
  readonly waitForInFlightMs?: number;
}

/** One subgraph process: its IdempotentCreate on the shared database (leases long unless said). */
function replica(sql: SqlClient, options: ReplicaOptions = {}) {
  const store = sqlStore(sql, { leaseMs: options.leaseMs ?? 30_000, retentionMs: options.retentionMs ?? DAY_MS });
  const log = new MemoryLog();
  const idempotent = new IdempotentCreate({
    store,
    waitForInFlightMs: options.waitForInFlightMs ?? 10_000,
    pollIntervalMs: POLL_MS,
    logger: loggerOf(log),
  });
  return { store, idempotent, log };
}

function loggerOf(log: MemoryLog) {
  return createLogger({ level: 'warn', secrets: [], destination: log });
}

/** Settles when the promise does; `settled` says whether it has yet. */
function watch<T>(promise: Promise<T>) {
  const watched = { settled: false, promise };
  void promise.then(
    () => (watched.settled = true),
    () => (watched.settled = true),
  );
  return watched;
}

function expectKeyInUse(result: IdempotentResult, provider = 'ZOPAY') {
  expect(result.replayed).toBe(false);
  expect(errorCodes(result.outcome)).toEqual(['IDEMPOTENCY_KEY_IN_USE']);
  expect(result.outcome).toMatchObject({ userErrors: [{ retryable: true, field: ['clientMutationId'], provider }] });
}

function expectConflict(result: IdempotentResult, provider = 'ZOPAY') {
  expect(result.replayed).toBe(false);
  expect(errorCodes(result.outcome)).toEqual(['IDEMPOTENCY_CONFLICT']);
  expect(result.outcome).toMatchObject({ userErrors: [{ retryable: false, field: ['clientMutationId'], provider }] });
}

describe.each(STORE_ENGINES)('IdempotentCreate on SqlIdempotencyStore (%s)', (engine) => {
  const database = useTestDatabase(engine);

  /** Retries that should find the key free at once: they give up long before any lease runs out. */
  const impatient = () => replica(database.second, { leaseMs: LEASE_MS, waitForInFlightMs: 50 });

  /**
   * The first attempt's create may exist at Ziina, which does not deduplicate. If it has become known
   * (a webhook, a read), a retry hands it out without sending anything; otherwise it was never handed
   * to anyone and cannot be paid, so the retry creates again with the same key. Either way one
   * intent is handed out, and every later retry, on any replica, replays it.
   */
  async function expectOneIntentHandedOut(retry: ReturnType<typeof impatient>, earlierKnown: boolean) {
    const attempt = fakeAttempt(() => created(ziinaIntent('a-second-intent')), {
      resendIsSafe: false,
      known: earlierKnown ? ziinaIntent(ZIINA_ID) : null,
    });
    const handedOut = earlierKnown ? ziinaIntent(ZIINA_ID) : ziinaIntent('a-second-intent');
    expect(await retry.idempotent.run(ZIINA_KEY, 'fp-1', attempt)).toEqual({
      outcome: created(handedOut),
      // A known earlier intent is the stored result of an earlier request; a new create is not.
      replayed: earlierKnown,
    });
    expect([attempt.lookups, attempt.performs]).toEqual([1, earlierKnown ? 0 : 1]);
    expect(attempt.handedOutIntents).toEqual([handedOut]);
    expect(await retry.store.find(ZIINA_KEY)).toEqual({
      state: 'completed',
      fingerprint: 'fp-1',
      outcome: created(handedOut),
    });
    for (const sql of [database.db.sql, database.second]) {
      expect(await replica(sql).idempotent.run(ZIINA_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(handedOut),
        replayed: true,
      });
    }
    expect([attempt.lookups, attempt.performs]).toEqual([1, earlierKnown ? 0 : 1]);
  }

  describe('one process', () => {
    it('replays a completed create without a second perform, also after a restart', async () => {
      const attempt = fakeAttempt(() => created(zopayIntent('zp_1')));
      const { idempotent } = replica(database.db.sql);
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(zopayIntent('zp_1')),
        replayed: false,
      });
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(zopayIntent('zp_1')),
        replayed: true,
      });
      const restarted = replica(database.db.sql).idempotent;
      expect(await restarted.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(zopayIntent('zp_1')),
        replayed: true,
      });
      expect(attempt.performs).toBe(1);
    });

    it('keeps keys apart by provider and by clientMutationId', async () => {
      const { idempotent } = replica(database.db.sql);
      const attempt = fakeAttempt((performNumber) => created(zopayIntent(`zp_${performNumber}`)));
      await idempotent.run(ZOPAY_KEY, 'fp-1', attempt);
      const otherProvider = await idempotent.run(ZIINA_KEY, 'fp-2', attempt);
      const otherId = await idempotent.run({ provider: 'ZOPAY', clientMutationId: 'order-2' }, 'fp-3', attempt);
      expect(attempt.performs).toBe(3);
      expect([otherProvider.replayed, otherId.replayed]).toEqual([false, false]);
    });

    it('answers IDEMPOTENCY_CONFLICT to a different input after completion, and keeps the stored outcome', async () => {
      const { idempotent } = replica(database.db.sql);
      await idempotent.run(
        ZIINA_KEY,
        'fp-1',
        fakeAttempt(() => created(ziinaIntent(ZIINA_ID)), { resendIsSafe: false }),
      );
      const other = fakeAttempt(() => created(ziinaIntent('other')), { resendIsSafe: false });
      expectConflict(await idempotent.run(ZIINA_KEY, 'fp-2', other), 'ZIINA');
      expect(await idempotent.run(ZIINA_KEY, 'fp-1', other)).toEqual({
        outcome: created(ziinaIntent(ZIINA_ID)),
        replayed: true,
      });
      expect(other.performs).toBe(0);
    });

    it('records a replayed intent as handed out again: the request that completed the record may have died before it could', async () => {
      // The store fails (or the process dies) between completing the record and recording the hand-out.
      const attempt = fakeAttempt(() => created(ziinaIntent(ZIINA_ID)), { resendIsSafe: false });
      const recordHandOut = attempt.handedOut.bind(attempt);
      attempt.handedOut = () => Promise.reject(new Error('the store went away'));
      await expect(replica(database.db.sql).idempotent.run(ZIINA_KEY, 'fp-1', attempt)).rejects.toThrow('went away');
      expect(attempt.handedOutIntents).toEqual([]);

      attempt.handedOut = recordHandOut;
      expect(await replica(database.second).idempotent.run(ZIINA_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(ziinaIntent(ZIINA_ID)),
        replayed: true,
      });
      expect(attempt.performs).toBe(1);
      expect(attempt.handedOutIntents).toEqual([ziinaIntent(ZIINA_ID)]);
    });

    it('shares one perform among 20 concurrent duplicates', async () => {
      const { idempotent } = replica(database.db.sql);
      const gate = deferred<CreateOutcome>();
      const attempt = fakeAttempt(() => gate.promise);
      const statementsBefore = database.db.queries.count;
      const runs = Array.from({ length: 20 }, () => idempotent.run(ZOPAY_KEY, 'fp-1', attempt));
      await attempt.sent;
      gate.resolve(created(zopayIntent('zp_1')));
      const results = await Promise.all(runs);
      expect(attempt.performs).toBe(1);
      expect(attempt.handedOutIntents).toEqual([zopayIntent('zp_1')]);
      // The 19 duplicates wait for the first one in the process: none of them polls the database.
      expect(database.db.queries.count - statementsBefore).toBeLessThan(5);
      expect(results[0]).toEqual({ outcome: created(zopayIntent('zp_1')), replayed: false });
      expect(results.slice(1)).toEqual(
        Array.from({ length: 19 }, () => ({ outcome: created(zopayIntent('zp_1')), replayed: true })),
      );
    });

    it('does not call a shared outcome that was not stored (a retryable failure) a replay', async () => {
      const { idempotent, store } = replica(database.db.sql);
      const gate = deferred<CreateOutcome>();
      const attempt = fakeAttempt(() => gate.promise);
      const runs = Array.from({ length: 3 }, () => idempotent.run(ZOPAY_KEY, 'fp-1', attempt));
      await attempt.sent;
      gate.resolve(rejected(userError('PROVIDER_UNAVAILABLE', true)));
      const results = await Promise.all(runs);
      expect(results.map((result) => [errorCodes(result.outcome), result.replayed])).toEqual(
        Array.from({ length: 3 }, () => [['PROVIDER_UNAVAILABLE'], false]),
      );
      expect(await store.find(ZOPAY_KEY)).toBeNull();
    });

    it('answers IDEMPOTENCY_CONFLICT at once to a different input while the first is in flight', async () => {
      const { idempotent } = replica(database.db.sql);
      const gate = deferred<CreateOutcome>();
      const first = idempotent.run(
        ZOPAY_KEY,
        'fp-1',
        fakeAttempt(() => gate.promise),
      );
      const other = fakeAttempt(() => created(zopayIntent('zp_2')));
      expectConflict(await idempotent.run(ZOPAY_KEY, 'fp-2', other));
      expect(other.performs).toBe(0);
      gate.resolve(created(zopayIntent('zp_1')));
      expect((await first).outcome).toEqual(created(zopayIntent('zp_1')));
    });

    it('gives a duplicate that waits longer than waitForInFlightMs IDEMPOTENCY_KEY_IN_USE, then the outcome once done', async () => {
      const { idempotent } = replica(database.db.sql, { waitForInFlightMs: 100 });
      const gate = deferred<CreateOutcome>();
      const attempt = fakeAttempt(() => gate.promise);
      const first = idempotent.run(ZOPAY_KEY, 'fp-1', attempt);
      const started = performance.now();
      expectKeyInUse(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt));
      expect(performance.now() - started).toBeGreaterThanOrEqual(95);
      gate.resolve(created(zopayIntent('zp_1')));
      expect(await first).toEqual({ outcome: created(zopayIntent('zp_1')), replayed: false });
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(zopayIntent('zp_1')),
        replayed: true,
      });
      expect(attempt.performs).toBe(1);
    });
  });

  describe('outcomes', () => {
    it.for([
      {
        name: 'PROVIDER_UNAVAILABLE (503)',
        outcome: rejected(userError('PROVIDER_UNAVAILABLE', true)),
        resendIsSafe: true,
      },
      { name: 'RATE_LIMITED', outcome: rejected(userError('RATE_LIMITED', true)), resendIsSafe: true },
      {
        name: 'a business error with a retryable one',
        outcome: rejected(userError('PROVIDER_VALIDATION_FAILED', false), userError('RATE_LIMITED', true)),
        resendIsSafe: true,
      },
      {
        name: 'PROVIDER_UNAVAILABLE (503), at a provider that does not deduplicate',
        outcome: rejected(userError('PROVIDER_UNAVAILABLE', true, 'ZIINA')),
        resendIsSafe: false,
      },
      {
        name: 'connection refused, at a provider that does not deduplicate',
        outcome: unanswered('ZIINA', false),
        resendIsSafe: false,
      },
    ])('does not store a retryable outcome ($name): the next run performs again', async ({ outcome, resendIsSafe }) => {
      const { idempotent, store } = replica(database.db.sql);
      const attempt = fakeAttempt((performNumber) => (performNumber === 1 ? outcome : created(zopayIntent('zp_1'))), {
        resendIsSafe,
      });
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({ outcome, replayed: false });
      expect(await store.find(ZOPAY_KEY)).toBeNull();
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(zopayIntent('zp_1')),
        replayed: false,
      });
      expect(attempt.performs).toBe(2);
      expect(attempt.lookups).toBe(0);
    });

    it('stores a business rejection and replays it', async () => {
      const { idempotent, store } = replica(database.db.sql);
      const attempt = fakeAttempt(() => VALIDATION_FAILED);
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({ outcome: VALIDATION_FAILED, replayed: false });
      expect(await store.find(ZOPAY_KEY)).toEqual({
        state: 'completed',
        fingerprint: 'fp-1',
        outcome: VALIDATION_FAILED,
      });
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({ outcome: VALIDATION_FAILED, replayed: true });
      expect(attempt.performs).toBe(1);
    });

    it('keeps the key for its input when perform throws: the error propagates and the next identical run performs', async () => {
      const { idempotent, store } = replica(database.db.sql);
      const attempt = fakeAttempt(
        (performNumber) => {
          if (performNumber === 1) throw new Error('socket hang up');
          return created(zopayIntent('zp_1'));
        },
        { resendIsSafe: true },
      );
      await expect(idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).rejects.toThrow('socket hang up');
      expect(await store.find(ZOPAY_KEY)).toEqual({ state: 'in_flight', fingerprint: 'fp-1' });
      expectConflict(await idempotent.run(ZOPAY_KEY, 'fp-2', attempt));
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(zopayIntent('zp_1')),
        replayed: false,
      });
      expect(attempt.performs).toBe(2);
    });

    it('performs again once the stored outcome is past retention', async () => {
      const retentionMs = 500;
      const { idempotent } = replica(database.db.sql, { retentionMs });
      const attempt = fakeAttempt((performNumber) => created(zopayIntent(`zp_${performNumber}`)));
      await idempotent.run(ZOPAY_KEY, 'fp-1', attempt);
      expect((await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).replayed).toBe(true);
      await sleep(retentionMs + MARGIN_MS);
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(zopayIntent('zp_2')),
        replayed: false,
      });
      expect(attempt.performs).toBe(2);
    });
  });

  describe('two processes on one database', () => {
    it('performs once for 50 identical concurrent runs spread over two replicas, and gives all 50 the same outcome', async () => {
      const replicas = [replica(database.db.sql).idempotent, replica(database.second).idempotent];
      const gate = deferred<CreateOutcome>();
      const attempt = fakeAttempt(() => gate.promise);
      const runs = Array.from({ length: 50 }, (_, index) =>
        watch(replicas[index % 2]!.run(ZIINA_KEY, 'fp-1', attempt)),
      );
      await sleep(100);
      // The holder is still at the provider: nobody has an answer yet.
      expect(runs.filter((run) => run.settled)).toHaveLength(0);
      gate.resolve(created(ziinaIntent(ZIINA_ID)));
      const results = await Promise.all(runs.map((run) => run.promise));
      expect(attempt.performs).toBe(1);
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      expect(results.map((result) => result.outcome)).toEqual(
        Array.from({ length: 50 }, () => created(ziinaIntent(ZIINA_ID))),
      );
    });

    it('answers IDEMPOTENCY_CONFLICT at once in the other replica to a different input', async () => {
      const [first, second] = [replica(database.db.sql).idempotent, replica(database.second).idempotent];
      const gate = deferred<CreateOutcome>();
      const holding = fakeAttempt(() => gate.promise);
      const running = first.run(ZOPAY_KEY, 'fp-1', holding);
      await holding.sent;
      const other = fakeAttempt(() => created(zopayIntent('zp_2')));
      expectConflict(await second.run(ZOPAY_KEY, 'fp-2', other));
      expect(other.performs).toBe(0);
      gate.resolve(created(zopayIntent('zp_1')));
      await running;
    });

    it('gives the waiting replica IDEMPOTENCY_KEY_IN_USE when the holder is slower than waitForInFlightMs', async () => {
      const first = replica(database.db.sql).idempotent;
      const second = replica(database.second, { waitForInFlightMs: 100 }).idempotent;
      const gate = deferred<CreateOutcome>();
      const holding = fakeAttempt(() => gate.promise);
      const running = first.run(ZOPAY_KEY, 'fp-1', holding);
      await holding.sent;
      const waiting = fakeAttempt(() => created(zopayIntent('zp_2')));
      const started = performance.now();
      expectKeyInUse(await second.run(ZOPAY_KEY, 'fp-1', waiting));
      expect(performance.now() - started).toBeGreaterThanOrEqual(95);
      expect(waiting.performs).toBe(0);
      gate.resolve(created(zopayIntent('zp_1')));
      await running;
      expect(await second.run(ZOPAY_KEY, 'fp-1', waiting)).toEqual({
        outcome: created(zopayIntent('zp_1')),
        replayed: true,
      });
    });

    it('lets the waiting replica perform itself when the holder releases the key', async () => {
      const first = replica(database.db.sql).idempotent;
      const second = replica(database.second).idempotent;
      const gate = deferred<CreateOutcome>();
      const holding = fakeAttempt(() => gate.promise);
      const running = first.run(ZOPAY_KEY, 'fp-1', holding);
      await holding.sent;
      const waiting = fakeAttempt(() => created(zopayIntent('zp_2')));
      const waited = second.run(ZOPAY_KEY, 'fp-1', waiting);
      await sleep(50);
      gate.resolve(rejected(userError('PROVIDER_UNAVAILABLE', true)));
      expect(errorCodes((await running).outcome)).toEqual(['PROVIDER_UNAVAILABLE']);
      expect(await waited).toEqual({ outcome: created(zopayIntent('zp_2')), replayed: false });
      expect(waiting.performs).toBe(1);
    });
  });

  describe('a create that may have reached a provider that does not deduplicate', () => {
    it.each([
      ['hands out the earlier intent once it is known', true],
      ['creates again with the same key while the earlier intent is unknown', false],
    ])('after no answer came back, the retry %s', async (_case, earlierKnown) => {
      const first = fakeAttempt(() => unanswered('ZIINA', true), { resendIsSafe: false });
      expect(await replica(database.db.sql).idempotent.run(ZIINA_KEY, 'fp-1', first)).toEqual({
        outcome: unanswered('ZIINA', true),
        replayed: false,
      });
      expect(first.handedOutIntents).toEqual([]);
      await expectOneIntentHandedOut(impatient(), earlierKnown);
    });

    it.each([
      ['hands out the earlier intent once it is known', true],
      ['creates again with the same key while the earlier intent is unknown', false],
    ])('after perform threw, the retry %s', async (_case, earlierKnown) => {
      const first = fakeAttempt(
        () => {
          throw new Error('socket hang up');
        },
        { resendIsSafe: false },
      );
      await expect(replica(database.db.sql).idempotent.run(ZIINA_KEY, 'fp-1', first)).rejects.toThrow('socket hang up');
      await expectOneIntentHandedOut(impatient(), earlierKnown);
    });

    it('is sent again where the provider deduplicates creates, and another input meanwhile is a conflict', async () => {
      const { idempotent, store } = replica(database.db.sql);
      const attempt = fakeAttempt(
        (performNumber) => (performNumber === 1 ? unanswered('ZOPAY', true) : created(zopayIntent('zp_1'))),
        { resendIsSafe: true },
      );
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({
        outcome: unanswered('ZOPAY', true),
        replayed: false,
      });
      // Sent, the other input would meet the provider's own conflict with the intent it may hold,
      // and that refusal, stored, would keep the first input's retries from their intent.
      expect(await store.find(ZOPAY_KEY)).toEqual({ state: 'in_flight', fingerprint: 'fp-1' });
      expectConflict(await idempotent.run(ZOPAY_KEY, 'fp-2', attempt));
      expect(await idempotent.run(ZOPAY_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(zopayIntent('zp_1')),
        replayed: false,
      });
      expect([attempt.performs, attempt.lookups]).toEqual([2, 0]);
    });
  });

  describe('a holder that stopped mid-create (its lease runs out)', () => {
    /** A process that claimed the key, maybe sent the create, and died: it never completes. */
    async function deadHolder(options: { sent: boolean }) {
      const { store } = replica(database.db.sql, { leaseMs: LEASE_MS });
      const claim = await store.claim(ZIINA_KEY, 'fp-1');
      if (!claim.claimed) throw new Error('the dead holder should have claimed the key');
      if (options.sent) await store.markRequestSent(ZIINA_KEY, claim.claim);
    }

    it('is taken over by a waiting retry that resends when the provider deduplicates', async () => {
      const started = performance.now();
      await deadHolder({ sent: true });
      const { idempotent, store } = replica(database.second, { leaseMs: LEASE_MS });
      const attempt = fakeAttempt(() => created(ziinaIntent(ZIINA_ID)), { resendIsSafe: true });
      // Polls while the lease lasts, then takes the claim over.
      expect(await idempotent.run(ZIINA_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(ziinaIntent(ZIINA_ID)),
        replayed: false,
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(LEASE_MS - 5);
      expect([attempt.performs, attempt.lookups]).toEqual([1, 0]);
      expect(await store.find(ZIINA_KEY)).toEqual({
        state: 'completed',
        fingerprint: 'fp-1',
        outcome: created(ziinaIntent(ZIINA_ID)),
      });
    });

    it.each([
      ['hands out the earlier intent once it is known', true],
      ['creates again with the same key while the earlier intent is unknown', false],
    ])(
      'once its create may have left for a provider that does not deduplicate, the retry %s',
      async (_case, earlierKnown) => {
        await deadHolder({ sent: true });
        // Until the lease runs out, the dead holder still seems at work.
        const retry = impatient();
        const waiting = fakeAttempt(() => created(ziinaIntent('a-second-intent')), { resendIsSafe: false });
        expectKeyInUse(await retry.idempotent.run(ZIINA_KEY, 'fp-1', waiting), 'ZIINA');
        expect(waiting.performs).toBe(0);
        await sleep(LEASE_MS + MARGIN_MS);
        await expectOneIntentHandedOut(retry, earlierKnown);
      },
    );

    it('never lets a holder that lost its claim before sending send its create: its client gets the one handed out', async () => {
      // The holder waits (for a pool connection, say) between its claim and its create, past its lease.
      const { store, log } = replica(database.db.sql, { leaseMs: LEASE_MS });
      const heldUp = deferred<undefined>();
      const slowToSend: IdempotencyStore = {
        claim: (key, fingerprint) => store.claim(key, fingerprint),
        markRequestSent: async (key, claim) => {
          await heldUp.promise;
          return store.markRequestSent(key, claim);
        },
        complete: (key, claim, outcome) => store.complete(key, claim, outcome),
        release: (key, claim) => store.release(key, claim),
        abandon: (key, claim) => store.abandon(key, claim),
        find: (key) => store.find(key),
        purgeExpired: () => store.purgeExpired(),
      };
      const holder = new IdempotentCreate({
        store: slowToSend,
        waitForInFlightMs: 10_000,
        pollIntervalMs: POLL_MS,
        logger: loggerOf(log),
      });
      const holderAttempt = fakeAttempt(() => created(ziinaIntent(ZIINA_ID)), { resendIsSafe: false });
      const holderRun = holder.run(ZIINA_KEY, 'fp-1', holderAttempt);
      await sleep(LEASE_MS + MARGIN_MS);
      const retry = fakeAttempt(() => created(ziinaIntent('a-second-intent')), { resendIsSafe: false });
      expect(await impatient().idempotent.run(ZIINA_KEY, 'fp-1', retry)).toEqual({
        outcome: created(ziinaIntent('a-second-intent')),
        replayed: false,
      });

      heldUp.resolve(undefined);
      expect(await holderRun).toEqual({ outcome: created(ziinaIntent('a-second-intent')), replayed: true });
      expect(holderAttempt.performs).toBe(0);
      expect(log.entries()).toEqual([
        expect.objectContaining({
          level: 40,
          msg: 'idempotency claim was lost before its create was sent: answering with the record instead',
        }),
      ]);
    });

    it('never lets a holder stuck past its lease hand out a second intent: its client gets the one handed out', async () => {
      const stuck = deferred<CreateOutcome>();
      const holderAttempt = fakeAttempt(() => stuck.promise, { resendIsSafe: false });
      const holder = replica(database.db.sql, { leaseMs: LEASE_MS });
      const holderRun = holder.idempotent.run(ZIINA_KEY, 'fp-1', holderAttempt);
      await holderAttempt.sent;
      await sleep(LEASE_MS + MARGIN_MS);
      const retry = fakeAttempt(() => created(ziinaIntent('a-second-intent')), { resendIsSafe: false });
      expect(await impatient().idempotent.run(ZIINA_KEY, 'fp-1', retry)).toEqual({
        outcome: created(ziinaIntent('a-second-intent')),
        replayed: false,
      });
      // The holder's answer comes late: its intent reaches no client; the record's does, and the
      // lost claim is logged.
      stuck.resolve(created(ziinaIntent(ZIINA_ID)));
      expect(await holderRun).toEqual({ outcome: created(ziinaIntent('a-second-intent')), replayed: true });
      // Both record the record's intent as handed out (the holder replays it); the holder's own, never.
      expect([holderAttempt.handedOutIntents, retry.handedOutIntents]).toEqual([
        [ziinaIntent('a-second-intent')],
        [ziinaIntent('a-second-intent')],
      ]);
      expect(holder.log.entries()).toEqual([
        expect.objectContaining({
          level: 40,
          provider: 'ZIINA',
          clientMutationId: 'order-1',
          msg: 'idempotency claim was lost before its outcome was stored: answering with the record instead',
        }),
      ]);
    });

    it('is resent normally when it stopped before the create could leave', async () => {
      await deadHolder({ sent: false });
      await sleep(LEASE_MS + MARGIN_MS);
      const { idempotent, store } = replica(database.second, { leaseMs: LEASE_MS });
      const attempt = fakeAttempt(() => created(ziinaIntent(ZIINA_ID)), { resendIsSafe: false });
      expect(await idempotent.run(ZIINA_KEY, 'fp-1', attempt)).toEqual({
        outcome: created(ziinaIntent(ZIINA_ID)),
        replayed: false,
      });
      expect([attempt.performs, attempt.lookups]).toEqual([1, 0]);
      expect(await store.find(ZIINA_KEY)).toEqual({
        state: 'completed',
        fingerprint: 'fp-1',
        outcome: created(ziinaIntent(ZIINA_ID)),
      });
    });
  });
});
