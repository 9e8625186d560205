import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Claim, ClaimResult, IdempotencyKey } from '../../../src/idempotency/idempotency-store.ts';
import { rejected } from '../../../src/payments/create-payment-intent-result.ts';
import type { SqlIdempotencyStore } from '../../../src/store/sql-idempotency-store.ts';
import { ziinaIntent, zopayIntent } from '../../support/builders.ts';
import {
  created,
  DAY_MS,
  sleep,
  sqlStore,
  userError,
  VALIDATION_FAILED,
  ZIINA_ID,
  ZIINA_KEY,
  ZOPAY_KEY,
} from '../../support/store-fixtures.ts';
import { STORE_ENGINES, useTestDatabase } from '../../support/test-database.ts';

// Expiry is decided by the database clock; the waits below leave it a wide margin.
const LEASE_MS = 300;
const RETENTION_MS = 500;
const MARGIN_MS = 150;

function claimOf(result: ClaimResult): Claim {
  if (!result.claimed) throw new Error(`expected the claim to win, found ${JSON.stringify(result.record)}`);
  return result.claim;
}

describe.each(STORE_ENGINES)('SqlIdempotencyStore on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('lets the first claim win and shows the in-flight record to later ones, whatever their fingerprint', async () => {
    const store = sqlStore(database.db.sql);
    const first = await store.claim(ZOPAY_KEY, 'fp-1');
    expect(first).toEqual({ claimed: true, claim: { token: expect.any(String), requestMayHaveBeenSent: false } });

    const inFlight = { claimed: false, record: { state: 'in_flight', fingerprint: 'fp-1' } };
    expect(await store.claim(ZOPAY_KEY, 'fp-1')).toEqual(inFlight);
    expect(await store.claim(ZOPAY_KEY, 'fp-2')).toEqual(inFlight);
    expect(await store.find(ZOPAY_KEY)).toEqual({ state: 'in_flight', fingerprint: 'fp-1' });
    expect(await store.find({ provider: 'ZOPAY', clientMutationId: 'never-claimed' })).toBeNull();
  });

  it('keeps keys apart by provider and by clientMutationId', async () => {
    const store = sqlStore(database.db.sql);
    claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));
    claimOf(await store.claim(ZIINA_KEY, 'fp-2'));
    claimOf(await store.claim({ provider: 'ZOPAY', clientMutationId: 'order-2' }, 'fp-3'));
    expect(await store.find(ZIINA_KEY)).toEqual({ state: 'in_flight', fingerprint: 'fp-2' });
  });

  it('gives a key to exactly one of 20 concurrent claims; the others see it in flight', async () => {
    const store = sqlStore(database.db.sql);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(ZOPAY_KEY, 'fp-1')));
    expect(results.filter((result) => result.claimed)).toHaveLength(1);
    for (const result of results.filter((result) => !result.claimed)) {
      expect(result).toEqual({ claimed: false, record: { state: 'in_flight', fingerprint: 'fp-1' } });
    }
  });

  it.runIf(engine === 'postgres')(
    'gives each key to exactly one claim across two connection pools (two replicas)',
    async () => {
      const replicas = [sqlStore(database.db.sql), sqlStore(database.second)];
      const keys: IdempotencyKey[] = Array.from({ length: 10 }, (_, index) => ({
        provider: 'ZIINA',
        clientMutationId: `order-${index}`,
      }));
      // 20 claims per key, alternating between the pools, all keys at once.
      const results = await Promise.all(
        keys.flatMap((key) =>
          Array.from({ length: 20 }, (_, index) =>
            replicas[index % 2]!.claim(key, 'fp-1').then((result) => ({ key, result })),
          ),
        ),
      );
      for (const key of keys) {
        const ofKey = results.filter((entry) => entry.key === key).map((entry) => entry.result);
        expect(ofKey.filter((result) => result.claimed)).toHaveLength(1);
        expect(ofKey.filter((result) => !result.claimed)).toHaveLength(19);
      }
    },
  );

  it('stores a completed outcome and gives it back exactly: decimal text, nested metadata, unicode', async () => {
    const store = sqlStore(database.db.sql);
    const outcomes = [
      { key: ZOPAY_KEY, outcome: created(zopayIntent('zp_1')) },
      { key: ZIINA_KEY, outcome: created(ziinaIntent(ZIINA_ID)) },
      {
        key: { provider: 'ZOPAY', clientMutationId: 'order-2' } as const,
        outcome: rejected({
          ...userError('PROVIDER_VALIDATION_FAILED', false),
          message: 'amount "0.00" \\ is below\nthe minimum 🙅 (0.01)',
        }),
      },
    ];
    for (const { key, outcome } of outcomes) {
      const claim = claimOf(await store.claim(key, 'fp-1'));
      expect(await store.complete(key, claim, outcome)).toBe(true);
    }
    for (const { key, outcome } of outcomes) {
      expect(await store.find(key)).toEqual({ state: 'completed', fingerprint: 'fp-1', outcome });
      // A claim finds the completed record rather than winning: identical and different requests alike.
      expect(await store.claim(key, 'fp-1')).toEqual({
        claimed: false,
        record: { state: 'completed', fingerprint: 'fp-1', outcome },
      });
      expect(await store.claim(key, 'fp-2')).toEqual({
        claimed: false,
        record: { state: 'completed', fingerprint: 'fp-1', outcome },
      });
    }
    const amount = (await store.find(ZOPAY_KEY)) as { outcome: { paymentIntent: { amount: { amount: unknown } } } };
    expect(amount.outcome.paymentIntent.amount.amount).toBe('1234567890123456789.000000000000000001');
  });

  it('stores an outcome whose provider text jsonb cannot hold (U+0000, a lone surrogate) with U+FFFD in its place', async () => {
    const store = sqlStore(database.db.sql);
    const intent = zopayIntent('zp_nul');
    const outcome = created({
      ...intent,
      details: { ...intent.details, description: 'tea\u0000time \ud800' } as typeof intent.details,
    });
    const claim = claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));

    expect(await store.complete(ZOPAY_KEY, claim, outcome)).toBe(true);

    const stored = await store.find(ZOPAY_KEY);
    expect(stored).toMatchObject({
      state: 'completed',
      outcome: { paymentIntent: { details: { description: 'tea\ufffdtime \ufffd' } } },
    });
  });

  it('completes a claim once: a second complete with the same token changes nothing', async () => {
    const store = sqlStore(database.db.sql);
    const claim = claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));
    expect(await store.complete(ZOPAY_KEY, claim, created(zopayIntent('zp_1')))).toBe(true);
    expect(await store.complete(ZOPAY_KEY, claim, created(zopayIntent('zp_2')))).toBe(false);
    expect(await store.find(ZOPAY_KEY)).toEqual({
      state: 'completed',
      fingerprint: 'fp-1',
      outcome: created(zopayIntent('zp_1')),
    });
  });

  it('refuses complete, release and markRequestSent with a token that is not the holder', async () => {
    const store = sqlStore(database.db.sql);
    claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));
    const stranger: Claim = { token: randomUUID(), requestMayHaveBeenSent: false };
    expect(await store.complete(ZOPAY_KEY, stranger, created(zopayIntent('zp_x')))).toBe(false);
    await store.release(ZOPAY_KEY, stranger);
    expect(await store.markRequestSent(ZOPAY_KEY, stranger)).toBe(false);
    expect(await store.find(ZOPAY_KEY)).toEqual({ state: 'in_flight', fingerprint: 'fp-1' });
  });

  it('refuses a stale token after a takeover: complete is false and the record is untouched', async () => {
    const store = sqlStore(database.db.sql, { leaseMs: LEASE_MS });
    const stale = claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));
    await sleep(LEASE_MS + MARGIN_MS);
    const current = claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));
    expect(current.token).not.toBe(stale.token);

    expect(await store.complete(ZOPAY_KEY, stale, created(zopayIntent('zp_stale')))).toBe(false);
    await store.release(ZOPAY_KEY, stale);
    await store.markRequestSent(ZOPAY_KEY, stale);
    expect(await store.find(ZOPAY_KEY)).toEqual({ state: 'in_flight', fingerprint: 'fp-1' });

    expect(await store.complete(ZOPAY_KEY, current, created(zopayIntent('zp_current')))).toBe(true);
    expect(await store.complete(ZOPAY_KEY, stale, created(zopayIntent('zp_stale')))).toBe(false);
    expect(await store.find(ZOPAY_KEY)).toEqual({
      state: 'completed',
      fingerprint: 'fp-1',
      outcome: created(zopayIntent('zp_current')),
    });
  });

  it('does not count markRequestSent of a stale holder for the next takeover', async () => {
    const store = sqlStore(database.db.sql, { leaseMs: LEASE_MS });
    const stale = claimOf(await store.claim(ZIINA_KEY, 'fp-1'));
    await sleep(LEASE_MS + MARGIN_MS);
    claimOf(await store.claim(ZIINA_KEY, 'fp-1'));
    await store.markRequestSent(ZIINA_KEY, stale);
    await sleep(LEASE_MS + MARGIN_MS);
    expect(claimOf(await store.claim(ZIINA_KEY, 'fp-1')).requestMayHaveBeenSent).toBe(false);
  });

  it('release deletes the in-flight record of its own token only, and never a completed one', async () => {
    const store = sqlStore(database.db.sql);
    const released = claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));
    await store.release(ZOPAY_KEY, released);
    expect(await store.find(ZOPAY_KEY)).toBeNull();
    // Released: the key is free again, for any fingerprint.
    expect(claimOf(await store.claim(ZOPAY_KEY, 'fp-2')).requestMayHaveBeenSent).toBe(false);

    const done = claimOf(await store.claim(ZIINA_KEY, 'fp-1'));
    await store.complete(ZIINA_KEY, done, VALIDATION_FAILED);
    await store.release(ZIINA_KEY, done);
    expect(await store.find(ZIINA_KEY)).toEqual({
      state: 'completed',
      fingerprint: 'fp-1',
      outcome: VALIDATION_FAILED,
    });
  });

  it('lets an identical claim take over once the lease has run out, telling whether the request may have been sent', async () => {
    const store = sqlStore(database.db.sql, { leaseMs: LEASE_MS });
    const quiet: IdempotencyKey = { provider: 'ZIINA', clientMutationId: 'never-sent' };
    const sent: IdempotencyKey = { provider: 'ZIINA', clientMutationId: 'sent' };
    claimOf(await store.claim(quiet, 'fp-1'));
    await store.markRequestSent(sent, claimOf(await store.claim(sent, 'fp-1')));
    // Within the lease the holder keeps the key.
    expect(await store.claim(sent, 'fp-1')).toEqual({
      claimed: false,
      record: { state: 'in_flight', fingerprint: 'fp-1' },
    });

    await sleep(LEASE_MS + MARGIN_MS);
    expect(claimOf(await store.claim(quiet, 'fp-1')).requestMayHaveBeenSent).toBe(false);
    const takenOver = claimOf(await store.claim(sent, 'fp-1'));
    expect(takenOver.requestMayHaveBeenSent).toBe(true);
    // The new holder has the lease now.
    expect(await store.claim(sent, 'fp-1')).toEqual({
      claimed: false,
      record: { state: 'in_flight', fingerprint: 'fp-1' },
    });

    // "May have been sent" survives takeovers: a later one still knows, and the last holder can complete.
    await sleep(LEASE_MS + MARGIN_MS);
    const again = claimOf(await store.claim(sent, 'fp-1'));
    expect(again.requestMayHaveBeenSent).toBe(true);
    expect(await store.complete(sent, takenOver, created(ziinaIntent('stale')))).toBe(false);
    expect(await store.complete(sent, again, created(ziinaIntent(ZIINA_ID)))).toBe(true);
  });

  it('lets an identical claim take over an abandoned record at once, telling whether the request may have been sent', async () => {
    const store = sqlStore(database.db.sql);
    const sent = claimOf(await store.claim(ZIINA_KEY, 'fp-1'));
    await store.markRequestSent(ZIINA_KEY, sent);
    await store.abandon(ZIINA_KEY, sent);
    // Given up: the claim no longer completes or releases (which would forget the create was sent).
    expect(await store.complete(ZIINA_KEY, sent, created(ziinaIntent('late')))).toBe(false);
    await store.release(ZIINA_KEY, sent);
    const quiet = claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));
    await store.abandon(ZOPAY_KEY, quiet);
    // The record stays, in flight; the lease (a day here) no longer protects it.
    expect(await store.find(ZIINA_KEY)).toEqual({ state: 'in_flight', fingerprint: 'fp-1' });
    expect(await store.claim(ZIINA_KEY, 'fp-2')).toEqual({
      claimed: false,
      record: { state: 'in_flight', fingerprint: 'fp-1' },
    });
    const next = claimOf(await store.claim(ZIINA_KEY, 'fp-1'));
    expect(next.requestMayHaveBeenSent).toBe(true);
    expect(claimOf(await store.claim(ZOPAY_KEY, 'fp-1')).requestMayHaveBeenSent).toBe(false);
    // The new holder has the lease, and completes.
    expect(await store.claim(ZIINA_KEY, 'fp-1')).toEqual({
      claimed: false,
      record: { state: 'in_flight', fingerprint: 'fp-1' },
    });
    expect(await store.complete(ZIINA_KEY, next, created(ziinaIntent(ZIINA_ID)))).toBe(true);
  });

  it('ignores abandon by a token that is not the holder, and of a completed record', async () => {
    const store = sqlStore(database.db.sql);
    const holder = claimOf(await store.claim(ZIINA_KEY, 'fp-1'));
    await store.abandon(ZIINA_KEY, { token: randomUUID(), requestMayHaveBeenSent: false });
    expect(await store.claim(ZIINA_KEY, 'fp-1')).toEqual({
      claimed: false,
      record: { state: 'in_flight', fingerprint: 'fp-1' },
    });
    await store.complete(ZIINA_KEY, holder, created(ziinaIntent(ZIINA_ID)));
    await store.abandon(ZIINA_KEY, holder);
    expect(await store.find(ZIINA_KEY)).toEqual({
      state: 'completed',
      fingerprint: 'fp-1',
      outcome: created(ziinaIntent(ZIINA_ID)),
    });
  });

  it('never lets a different fingerprint take over an in-flight record, even past its lease', async () => {
    const store = sqlStore(database.db.sql, { leaseMs: LEASE_MS });
    await store.markRequestSent(ZIINA_KEY, claimOf(await store.claim(ZIINA_KEY, 'fp-1')));
    claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));
    await sleep(LEASE_MS + MARGIN_MS);
    for (const key of [ZIINA_KEY, ZOPAY_KEY]) {
      expect(await store.claim(key, 'fp-2')).toEqual({
        claimed: false,
        record: { state: 'in_flight', fingerprint: 'fp-1' },
      });
      expect(await store.find(key)).toEqual({ state: 'in_flight', fingerprint: 'fp-1' });
    }
  });

  it('forgets a completed record past retention: find says nothing and a new claim replaces it, whatever its fingerprint', async () => {
    const store = sqlStore(database.db.sql, { retentionMs: RETENTION_MS, leaseMs: LEASE_MS });
    await store.complete(ZOPAY_KEY, claimOf(await store.claim(ZOPAY_KEY, 'fp-1')), created(zopayIntent('zp_1')));
    expect(await store.claim(ZOPAY_KEY, 'fp-2')).toMatchObject({
      claimed: false,
      record: { state: 'completed', fingerprint: 'fp-1' },
    });

    await sleep(RETENTION_MS + MARGIN_MS);
    expect(await store.find(ZOPAY_KEY)).toBeNull();
    const fresh = claimOf(await store.claim(ZOPAY_KEY, 'fp-2'));
    expect(fresh.requestMayHaveBeenSent).toBe(false);
    expect(await store.find(ZOPAY_KEY)).toEqual({ state: 'in_flight', fingerprint: 'fp-2' });
    // Its retention starts afresh.
    expect(await store.complete(ZOPAY_KEY, fresh, created(zopayIntent('zp_2')))).toBe(true);
    expect(await store.find(ZOPAY_KEY)).toEqual({
      state: 'completed',
      fingerprint: 'fp-2',
      outcome: created(zopayIntent('zp_2')),
    });
  });

  it('treats a claim past retention as a new request, even when the old one may have been sent', async () => {
    const store = sqlStore(database.db.sql, { retentionMs: RETENTION_MS, leaseMs: LEASE_MS });
    await store.markRequestSent(ZIINA_KEY, claimOf(await store.claim(ZIINA_KEY, 'fp-1')));
    await sleep(RETENTION_MS + MARGIN_MS);
    expect(claimOf(await store.claim(ZIINA_KEY, 'fp-1')).requestMayHaveBeenSent).toBe(false);
  });

  it('purgeExpired deletes completed records past retention and abandoned in-flight ones, and counts them', async () => {
    const sql = database.db.sql;
    const store = sqlStore(sql, { retentionMs: RETENTION_MS, leaseMs: LEASE_MS });
    // A store whose claims hold their lease for longer than the retention: a holder still at work.
    const slowHolder = sqlStore(sql, { retentionMs: RETENTION_MS, leaseMs: 60_000 });
    const key = (clientMutationId: string): IdempotencyKey => ({ provider: 'ZOPAY', clientMutationId });

    await store.complete(
      key('old-completed'),
      claimOf(await store.claim(key('old-completed'), 'fp')),
      VALIDATION_FAILED,
    );
    await store.complete(
      ZIINA_KEY,
      claimOf(await store.claim(ZIINA_KEY, 'fp')),
      rejected(userError('PROVIDER_VALIDATION_FAILED', false, 'ZIINA')),
    );
    claimOf(await store.claim(key('old-lease-out'), 'fp'));
    await slowHolder.abandon(key('old-abandoned'), claimOf(await slowHolder.claim(key('old-abandoned'), 'fp')));
    claimOf(await slowHolder.claim(key('old-still-held'), 'fp'));
    await sleep(RETENTION_MS + MARGIN_MS);
    await store.complete(
      key('young-completed'),
      claimOf(await store.claim(key('young-completed'), 'fp')),
      VALIDATION_FAILED,
    );
    await slowHolder.abandon(key('young-abandoned'), claimOf(await slowHolder.claim(key('young-abandoned'), 'fp')));
    // In flight and its lease already out, but young: kept for a takeover by a retry.
    claimOf(await sqlStore(sql, { retentionMs: RETENTION_MS, leaseMs: 1 }).claim(key('young-lease-out'), 'fp'));
    await sleep(20);

    expect(await store.purgeExpired()).toBe(4);
    expect(await store.purgeExpired()).toBe(0);
    const remaining = await sql.query<{ client_mutation_id: string }>(
      'select client_mutation_id from idempotency_records order by 1',
    );
    expect(remaining.map((row) => row.client_mutation_id)).toEqual([
      'old-still-held',
      'young-abandoned',
      'young-completed',
      'young-lease-out',
    ]);
    expect(await store.find(key('young-completed'))).toEqual({
      state: 'completed',
      fingerprint: 'fp',
      outcome: VALIDATION_FAILED,
    });
  });

  describe('with completed records remembered', () => {
    const remembering = (retentionMs: number) => sqlStore(database.db.sql, { retentionMs, rememberedCompletions: 10 });

    async function completedOnce(store: SqlIdempotencyStore): Promise<void> {
      await store.complete(ZOPAY_KEY, claimOf(await store.claim(ZOPAY_KEY, 'fp-1')), VALIDATION_FAILED);
    }

    /** Completes the key, replays it once (which reads the record), then counts the statements of one more replay. */
    async function statementsOfAFurtherReplay(store: SqlIdempotencyStore): Promise<number> {
      await completedOnce(store);
      expect(await store.claim(ZOPAY_KEY, 'fp-1')).toMatchObject({ record: { state: 'completed' } });
      database.db.queries.count = 0;
      expect(await store.claim(ZOPAY_KEY, 'fp-1')).toMatchObject({ record: { state: 'completed' } });
      return database.db.queries.count;
    }

    it('replays a completed record it has read without a statement, to identical and different requests alike', async () => {
      const store = remembering(DAY_MS);
      await completedOnce(store);
      const completed = {
        claimed: false,
        record: { state: 'completed', fingerprint: 'fp-1', outcome: VALIDATION_FAILED },
      };
      expect(await store.claim(ZOPAY_KEY, 'fp-1')).toEqual(completed);

      database.db.queries.count = 0;
      expect(await store.claim(ZOPAY_KEY, 'fp-1')).toEqual(completed);
      expect(await store.claim(ZOPAY_KEY, 'fp-2')).toEqual(completed);
      expect(database.db.queries.count).toBe(0);
      // Another key is not answered from it.
      expect((await store.claim(ZIINA_KEY, 'fp-1')).claimed).toBe(true);
    });

    it('never remembers an in-flight record: a retry waiting for it sees its completion', async () => {
      const store = remembering(DAY_MS);
      const claim = claimOf(await store.claim(ZOPAY_KEY, 'fp-1'));
      expect(await store.claim(ZOPAY_KEY, 'fp-1')).toMatchObject({ record: { state: 'in_flight' } });
      await store.complete(ZOPAY_KEY, claim, VALIDATION_FAILED);
      expect(await store.claim(ZOPAY_KEY, 'fp-1')).toMatchObject({ record: { state: 'completed' } });
    });

    it('forgets a record before its retention ends, so that a new request then claims the key', async () => {
      // Remembered for the retention left minus a second: about half a second here.
      const retentionMs = 1_600;
      const store = remembering(retentionMs);
      expect(await statementsOfAFurtherReplay(store)).toBe(0);

      await sleep(retentionMs + MARGIN_MS);
      expect(await store.claim(ZOPAY_KEY, 'fp-2')).toEqual({ claimed: true, claim: expect.any(Object) });
    });

    it('remembers nothing of a record whose retention ends within the margin', async () => {
      const store = remembering(RETENTION_MS);
      expect(await statementsOfAFurtherReplay(store)).toBeGreaterThan(0);
    });
  });
});
