import { describe, expect, it } from 'vitest';
import type { PaymentIntent } from '../../../src/payments/payment-intent.ts';
import type { PaymentIntentFilter } from '../../../src/payments/payment-intent-repository.ts';
import { SqlPaymentIntentRepository } from '../../../src/store/sql-payment-intent-repository.ts';
import { reportedAs, ziinaIntent, ziinaOperationIdOf, zopayIntent } from '../../support/builders.ts';
import { writeInOppositeOrders } from '../../support/opposite-order-writes.ts';
import { backendPid, holdLock, settled, untilBlocked, type HeldLock } from '../../support/postgres-lock-steps.ts';
import { STORE_ENGINES, testPostgresClient, useTestDatabase } from '../../support/test-database.ts';

/** A write of intents with a creation marker (Ziina's): the lock of its markers, then the write. */
const WRITE_OF_MARKERS_STATEMENTS = 2;

describe.each(STORE_ENGINES)('SqlPaymentIntentRepository on %s', (engine) => {
  const database = useTestDatabase(engine);
  // Stateless over its client: one per use reads the same rows.
  const repository = () => new SqlPaymentIntentRepository(database.db.sql);

  /** What `work` cost in statements sent to the store. */
  async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const before = database.db.queries.count;
    const result = await work();
    return { result, statements: database.db.queries.count - before };
  }

  async function storedIntent(id: string): Promise<PaymentIntent | undefined> {
    return (await repository().getMany([id])).get(id)?.intent;
  }

  async function storedColumns(id: string) {
    const [row] = await database.db.sql.query<{
      status: string;
      terminal: boolean;
      external_ref: string | null;
      client_mutation_id: string | null;
    }>('select status, terminal, external_ref, client_mutation_id from payment_intents where id = $1', [id]);
    return row;
  }

  describe('saveCreated and getMany', () => {
    it('gives the created intent back exactly, decimal text and unicode included, with a small age', async () => {
      const zopay = zopayIntent('pi_exact');
      const ziina = ziinaIntent('7d1c0a52-0c2f-4a3e-9a51-2b6c1f0e9d11', { externalRef: 'order-ziina-1' });

      expect(await repository().saveCreated(zopay, 'cmid-zopay')).toEqual(zopay);
      expect(await repository().saveCreated(ziina, 'cmid-ziina')).toEqual(ziina);
      const stored = await repository().getMany([zopay.id, ziina.id]);

      expect(stored.get(zopay.id)?.intent).toEqual(zopay);
      expect(stored.get(ziina.id)?.intent).toEqual(ziina);
      expect(stored.get(zopay.id)!.intent.amount.amount).toBe('1234567890123456789.000000000000000001');
      expect(stored.get(ziina.id)!.intent.amount.amount).toBe('2.500');
      for (const { ageMs } of stored.values()) {
        expect(ageMs).toBeGreaterThanOrEqual(0);
        expect(ageMs).toBeLessThan(5_000);
      }
    });

    it('never reads an age below 0, even of a copy written after the reading statement began', async () => {
      const intent = zopayIntent('pi_written_later');
      await repository().saveCreated(intent, 'cmid-written-later');
      // A write whose transaction started after the read's own, committed before the read's
      // snapshot, carries a refreshed_at after the read's now(); the clocks a second apart say so
      // for certain.
      await database.db.sql.query(
        `update payment_intents set refreshed_at = now() + interval '1 second' where id = $1`,
        [intent.id],
      );

      expect((await repository().getMany([intent.id])).get(intent.id)!.ageMs).toBe(0);
    });

    it('reads N ids in one query and leaves out the ids it does not know', async () => {
      const intents = Array.from({ length: 30 }, (_, index) =>
        index % 2 === 0 ? zopayIntent(`pi_${index}`) : ziinaIntent(`zi-${index}`),
      );
      await repository().saveReported(intents);
      const unknown = ['zopay:pi_never', 'ziina:00000000-0000-4000-8000-000000000000', 'not-an-id'];

      const { result, statements } = await statementsOf(() =>
        repository().getMany([...unknown, ...intents.map((intent) => intent.id)]),
      );

      expect(statements).toBe(1);
      expect([...result.keys()].sort()).toEqual(intents.map((intent) => intent.id).sort());
      for (const intent of intents) expect(result.get(intent.id)?.intent).toEqual(intent);
    });

    it('sends nothing for an empty batch', async () => {
      const { result, statements } = await statementsOf(() => repository().getMany([]));
      expect(result.size).toBe(0);
      expect(statements).toBe(0);
    });
  });

  describe('saveReported', () => {
    it('stores N intents in one statement, after one that locks their creation markers, and returns them as stored, merged with what only the store knew', async () => {
      const ziina = ziinaIntent('zi-merged', { externalRef: 'order-88' });
      await repository().saveCreated(ziina, 'cmid-88');
      const reports = [
        reportedAs({ ...ziina, externalRef: null }, 'PENDING', 'pending'),
        ...Array.from({ length: 19 }, (_, index) => zopayIntent(`pi_batch_${index}`)),
      ];

      const { result, statements } = await statementsOf(() => repository().saveReported(reports));

      expect(statements).toBe(WRITE_OF_MARKERS_STATEMENTS);
      expect(result).toHaveLength(20);
      expect(result[0]).toEqual({ ...reports[0], externalRef: 'order-88' });
      expect(result.slice(1)).toEqual(reports.slice(1));
      expect((await repository().getMany(reports.map((intent) => intent.id))).size).toBe(20);
    });

    it("writes intents without a creation marker (Zopay's) in one statement, with no lock", async () => {
      const reports = [zopayIntent('pi_unmarked_a'), zopayIntent('pi_unmarked_b')];

      const { result, statements } = await statementsOf(() => repository().saveReported(reports));

      expect(statements).toBe(1);
      expect(result).toEqual(reports);
    });

    it('sends nothing for an empty batch', async () => {
      const { result, statements } = await statementsOf(() => repository().saveReported([]));
      expect(result).toEqual([]);
      expect(statements).toBe(0);
    });

    it('never moves a terminal status back to a non-terminal one', async () => {
      const created = ziinaIntent('zi-terminal', { externalRef: 'order-t' });
      await repository().saveCreated(created, 'cmid-t');
      const completed = reportedAs(
        {
          ...created,
          externalRef: null,
          details: { ...created.details, feeAmountMinor: 75 } as PaymentIntent['details'],
        },
        'COMPLETED',
        'completed',
      );
      await repository().saveReported([completed]);

      for (const [status, providerStatus] of [
        ['PENDING', 'pending'],
        ['REQUIRES_USER_ACTION', 'requires_user_action'],
        ['UNKNOWN', 'on_hold'],
      ] as const) {
        const [returned] = await repository().saveReported([
          reportedAs({ ...created, externalRef: null }, status, providerStatus),
        ]);
        expect(returned).toEqual({ ...completed, externalRef: 'order-t' });
      }
      expect(await storedIntent(created.id)).toEqual({ ...completed, externalRef: 'order-t' });
      expect(await storedColumns(created.id)).toMatchObject({ status: 'COMPLETED', terminal: true });
    });

    it('keeps the first terminal status against another terminal one', async () => {
      const intent = zopayIntent('pi_two_terminals');
      await repository().saveReported([reportedAs(intent, 'COMPLETED', 'paid')]);

      for (const [status, providerStatus] of [
        ['FAILED', 'failed'],
        ['CANCELED', 'canceled'],
        ['EXPIRED', 'expired'],
      ] as const) {
        const [returned] = await repository().saveReported([reportedAs(intent, status, providerStatus)]);
        expect(returned).toMatchObject({ status: 'COMPLETED', providerStatus: 'paid' });
      }
      expect(await storedColumns(intent.id)).toMatchObject({ status: 'COMPLETED', terminal: true });
    });

    it('refreshes the data of a terminal intent reported again in the same status', async () => {
      const intent = reportedAs(ziinaIntent('zi-fee-later'), 'COMPLETED', 'completed');
      await repository().saveReported([intent]);
      const withFee = {
        ...intent,
        details: { ...intent.details, feeAmountMinor: 120, tipAmountMinor: 300 } as PaymentIntent['details'],
      };

      const [returned] = await repository().saveReported([withFee]);

      expect(returned).toEqual(withFee);
      expect(await storedIntent(intent.id)).toEqual(withFee);
    });

    it('applies any non-terminal report over a non-terminal status, and a terminal one over it', async () => {
      const intent = zopayIntent('pi_moving');
      await repository().saveCreated(intent, 'cmid-moving');
      const steps = [
        reportedAs(intent, 'PENDING', 'confirming'),
        reportedAs(intent, 'REQUIRES_USER_ACTION', 'underpaid'),
        reportedAs(intent, 'UNKNOWN', 'on_hold'),
        reportedAs(intent, 'EXPIRED', 'expired'),
      ];
      for (const step of steps) {
        const [returned] = await repository().saveReported([step]);
        expect(returned).toEqual(step);
        expect(await storedIntent(intent.id)).toEqual(step);
      }
      expect(await storedColumns(intent.id)).toMatchObject({ status: 'EXPIRED', terminal: true });
    });

    it("keeps Ziina's externalRef stored at create against reports without one, and serves it", async () => {
      const created = ziinaIntent('zi-ref', { externalRef: 'order-ref-1' });
      await repository().saveCreated(created, 'cmid-ref');

      const [returned] = await repository().saveReported([
        reportedAs({ ...created, externalRef: null }, 'PENDING', 'pending'),
      ]);

      expect(returned?.externalRef).toBe('order-ref-1');
      expect((await storedIntent(created.id))?.externalRef).toBe('order-ref-1');
      expect(await storedColumns(created.id)).toMatchObject({ external_ref: 'order-ref-1' });
      expect((await repository().list({ externalRef: 'order-ref-1' }, 10, null)).items.map((item) => item.id)).toEqual([
        created.id,
      ]);
    });

    it('keeps the clientMutationId of the create against later reports', async () => {
      const intent = zopayIntent('pi_cmid');
      await repository().saveCreated(intent, 'cmid-kept');
      await repository().saveReported([reportedAs(intent, 'PENDING', 'pending')]);
      await repository().saveReported([reportedAs(intent, 'COMPLETED', 'paid')]);
      expect(await storedColumns(intent.id)).toMatchObject({ client_mutation_id: 'cmid-kept' });
    });

    it('records the clientMutationId of a create that arrives after a webhook stored the intent', async () => {
      const intent = ziinaIntent('zi-webhook-first', { externalRef: 'order-late' });
      await repository().saveReported([reportedAs({ ...intent, externalRef: null }, 'COMPLETED', 'completed')]);

      const returned = await repository().saveCreated(intent, 'cmid-late');

      expect(returned).toMatchObject({ status: 'COMPLETED', externalRef: 'order-late' });
      expect(await storedColumns(intent.id)).toMatchObject({
        status: 'COMPLETED',
        client_mutation_id: 'cmid-late',
        external_ref: 'order-late',
      });
    });

    it('keeps a non-terminal status a webhook stored before the create answer was written: that report is newer', async () => {
      const intent = ziinaIntent('zi-pending-first', { externalRef: 'order-race' });
      await repository().saveReported([reportedAs({ ...intent, externalRef: null }, 'PENDING', 'pending')]);

      const returned = await repository().saveCreated(intent, 'cmid-race');

      expect(returned).toMatchObject({ status: 'PENDING', externalRef: 'order-race' });
      expect(await storedColumns(intent.id)).toMatchObject({ status: 'PENDING', client_mutation_id: 'cmid-race' });
    });

    it('keeps the terminal report among several of one id in one call, whatever their order', async () => {
      const intent = ziinaIntent('zi-terminal-first');
      await repository().saveReported([
        reportedAs(intent, 'COMPLETED', 'completed'),
        reportedAs(intent, 'PENDING', 'pending'),
      ]);
      expect((await storedIntent(intent.id))?.status).toBe('COMPLETED');
    });

    it('takes several reports of one id in one call without failing: the last one wins', async () => {
      const intent = ziinaIntent('zi-twice');
      const { result, statements } = await statementsOf(() =>
        repository().saveReported([
          reportedAs(intent, 'PENDING', 'pending'),
          zopayIntent('pi_other'),
          reportedAs(intent, 'COMPLETED', 'completed'),
        ]),
      );

      expect(statements).toBe(WRITE_OF_MARKERS_STATEMENTS);
      expect(result.filter((returned) => returned.id === intent.id)).not.toHaveLength(0);
      for (const returned of result.filter((candidate) => candidate.id === intent.id))
        expect(returned.status).toBe('COMPLETED');
      expect((await storedIntent(intent.id))?.status).toBe('COMPLETED');
      expect((await repository().list({}, 10, null)).items).toHaveLength(2);
    });

    if (engine === 'postgres') {
      it('lets two replicas store reports of the same intents given in opposite orders without a deadlock', async () => {
        const intents = [zopayIntent('pi_crossed_a'), zopayIntent('pi_crossed_b')];
        await repository().saveReported(intents);
        const byId = new Map(intents.map((intent) => [intent.id, reportedAs(intent, 'PENDING')]));

        const outcomes = await writeInOppositeOrders(database.db, [intents[0]!.id, intents[1]!.id], {
          lock: async (transaction, id) => {
            await transaction.query('select 1 from payment_intents where id = $1 for update', [id]);
          },
          write: (replica, order) =>
            new SqlPaymentIntentRepository(replica).saveReported(order.map((id) => byId.get(id)!)),
        });

        expect(outcomes).toEqual([
          expect.objectContaining({ status: 'fulfilled' }),
          expect.objectContaining({ status: 'fulfilled' }),
        ]);
        expect([...(await repository().getMany([...byId.keys()])).values()].map(({ intent }) => intent.status)).toEqual(
          ['PENDING', 'PENDING'],
        );
      });
    }
  });

  describe('findByCreationMarker', () => {
    it('finds a Ziina intent by its operation id, whichever write stored it, and nothing else', async () => {
      const created = ziinaIntent('zi-marker-created');
      const fromWebhook = ziinaIntent('zi-marker-webhook');
      const zopay = zopayIntent('pi_marker');
      await repository().saveCreated(created, 'cmid-marker');
      await repository().saveReported([fromWebhook, zopay]);

      expect(await repository().findByCreationMarker('ZIINA', ziinaOperationIdOf('zi-marker-created'))).toEqual(
        created,
      );
      expect(await repository().findByCreationMarker('ZIINA', ziinaOperationIdOf('zi-marker-webhook'))).toEqual(
        fromWebhook,
      );
      expect(await repository().findByCreationMarker('ZIINA', ziinaOperationIdOf('zi-never-stored'))).toBeNull();
      expect(await repository().findByCreationMarker('ZOPAY', ziinaOperationIdOf('zi-marker-created'))).toBeNull();
      expect(await repository().findByCreationMarker('ZOPAY', 'pi_marker')).toBeNull();
    });
  });

  describe('recordRefreshes', () => {
    it('renews the age of copies as of their confirmation, in one statement, and never makes one older', async () => {
      const renewed = zopayIntent('pi_refresh_renewed');
      const recent = zopayIntent('pi_refresh_recent');
      await repository().saveReported([renewed]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await repository().saveReported([recent]);

      const { statements } = await statementsOf(() =>
        repository().recordRefreshes([
          { intent: renewed, confirmedAt: performance.now() - 100 },
          // Confirmed before the store last wrote it: that write is the newer.
          { intent: recent, confirmedAt: performance.now() - 250 },
        ]),
      );

      expect(statements).toBe(1);
      const ages = await repository().getMany([renewed.id, recent.id]);
      expect(ages.get(renewed.id)!.ageMs).toBeGreaterThanOrEqual(90);
      expect(ages.get(renewed.id)!.ageMs).toBeLessThan(250);
      expect(ages.get(recent.id)!.ageMs).toBeLessThan(100);
    });
  });

  describe('intents of one key: handed out and superseded', () => {
    /** Two intents of one Ziina create whose first answer was lost: both carry its operation id. */
    const marker = ziinaOperationIdOf('lost-create');
    const lost = ziinaIntent('zi-lost', { externalRef: 'order-9', creationMarker: marker });
    const handed = ziinaIntent('zi-handed', { externalRef: 'order-9', creationMarker: marker });

    /** A repository that records what it reports as superseded. */
    function observed() {
      const superseded: unknown[] = [];
      return {
        superseded,
        repository: new SqlPaymentIntentRepository(database.db.sql, {
          onSuperseded: (intent) => superseded.push(intent),
        }),
      };
    }

    it('supersedes an intent already stored when another one is handed out for its key', async () => {
      const { repository: observedRepository, superseded } = observed();
      await observedRepository.saveReported([lost]);
      await observedRepository.saveCreated(handed, 'cmid-lost');
      await observedRepository.markHandedOut(handed);

      expect(superseded).toEqual([{ id: lost.id, provider: 'ZIINA', by: handed.id }]);
      // Neither is a lost create any more: one is superseded, the other belongs to a completed record.
      expect(await observedRepository.findByCreationMarker('ZIINA', marker)).toBeNull();
      expect(
        (await observedRepository.list({ externalRef: 'order-9' }, 10, null)).items.map((item) => item.id),
      ).toEqual([handed.id]);
      // Still readable by its own id: it exists at the provider, and someone may ask.
      expect(await storedIntent(lost.id)).toEqual(lost);
    });

    it('supersedes an intent that surfaces after another was handed out, and says so once', async () => {
      const { repository: observedRepository, superseded } = observed();
      await observedRepository.saveCreated(handed, 'cmid-lost');
      await observedRepository.markHandedOut(handed);
      await observedRepository.saveReported([lost]);
      await observedRepository.saveReported([reportedAs(lost, 'CANCELED')]);

      expect(superseded).toEqual([{ id: lost.id, provider: 'ZIINA', by: handed.id }]);
      expect(await observedRepository.findByCreationMarker('ZIINA', marker)).toBeNull();
      expect((await observedRepository.list({ provider: 'ZIINA' }, 10, null)).items.map((item) => item.id)).toEqual([
        handed.id,
      ]);
    });

    it('repeats a hand-out until one finds it already recorded with nothing to supersede, then sends no statement', async () => {
      const superseded: unknown[] = [];
      const remembering = new SqlPaymentIntentRepository(database.db.sql, {
        onSuperseded: (intent) => superseded.push(intent),
        rememberedHandOuts: 10,
      });
      await remembering.saveCreated(handed, 'cmid-lost');

      // The first hand-out; then a lost intent surfaces, as if its write had raced the first.
      expect((await statementsOf(() => remembering.markHandedOut(handed))).statements).toBe(
        WRITE_OF_MARKERS_STATEMENTS,
      );
      await database.db.sql.query(
        `insert into payment_intents (id, provider, status, terminal, creation_marker, intent)
         values ($1, 'ZIINA', $2, false, $3, $4::jsonb)`,
        [lost.id, lost.status, marker, JSON.stringify(lost)],
      );
      // A replay finds it and supersedes it: not settled yet.
      expect((await statementsOf(() => remembering.markHandedOut(handed))).statements).toBe(
        WRITE_OF_MARKERS_STATEMENTS,
      );
      expect(superseded).toEqual([{ id: lost.id, provider: 'ZIINA', by: handed.id }]);
      // The next finds nothing left to do: settled, and every later replay costs no statement.
      expect((await statementsOf(() => remembering.markHandedOut(handed))).statements).toBe(
        WRITE_OF_MARKERS_STATEMENTS,
      );
      expect((await statementsOf(() => remembering.markHandedOut(handed))).statements).toBe(0);
      // A repository that remembers nothing (another process) still sends the statement.
      expect((await statementsOf(() => repository().markHandedOut(handed))).statements).toBe(
        WRITE_OF_MARKERS_STATEMENTS,
      );
      expect(superseded).toHaveLength(1);
    });

    it('offers a stored intent of the marker as a lost create until it is handed out', async () => {
      await repository().saveReported([lost]);
      expect(await repository().findByCreationMarker('ZIINA', marker)).toEqual(lost);

      await repository().markHandedOut(lost);
      expect(await repository().findByCreationMarker('ZIINA', marker)).toBeNull();
    });

    it('never supersedes an intent handed out: the key used again after its retention is a new payment', async () => {
      // The marker derives from the clientMutationId alone: a day later, the same key makes a new
      // intent under the same marker, while the first, handed out then, may have been paid since.
      const firstDay = ziinaIntent('zi-first-day', { externalRef: 'order-9', creationMarker: marker });
      const nextDay = ziinaIntent('zi-next-day', { externalRef: 'order-9', creationMarker: marker });
      await repository().saveCreated(firstDay, 'cmid-lost');
      await repository().markHandedOut(firstDay);
      await repository().saveReported([reportedAs(firstDay, 'COMPLETED')]);
      // The next day's create, its answer lost: the first day's intent is not its lost create.
      expect(await repository().findByCreationMarker('ZIINA', marker)).toBeNull();

      await repository().saveCreated(nextDay, 'cmid-lost');
      await repository().markHandedOut(nextDay);
      // Reports of either, later, leave both as they are.
      await repository().saveReported([reportedAs(firstDay, 'COMPLETED'), reportedAs(nextDay, 'PENDING')]);
      await repository().markHandedOut(firstDay);

      const listed = await repository().list({ externalRef: 'order-9' }, 10, null);
      expect(listed.items.map((item) => item.id)).toEqual([nextDay.id, firstDay.id]);
      expect(await repository().findByCreationMarker('ZIINA', marker)).toBeNull();
      // A create of the next day whose answer was lost, surfacing now, is superseded all the same.
      await repository().saveReported([lost]);
      expect((await repository().list({ externalRef: 'order-9' }, 10, null)).items).toHaveLength(2);
    });

    if (engine === 'postgres') {
      /**
       * Two replicas on connections of their own, one handing `handed` out and one storing `lost`. The
       * `first` is held up by the holder's lock; the other starts then, and must wait for the first
       * (seen on the server) before the holder lets go. Whichever order, `lost` ends superseded by
       * `handed`, reported once, and out of listings: without the markers' lock each statement saw
       * only what was committed when it began, the other's row not yet.
       */
      async function expectSupersededWhatever(first: 'hand-out' | 'write', holder: HeldLock) {
        const superseded: unknown[] = [];
        const onSuperseded = (intent: unknown) => superseded.push(intent);
        const replicas = [
          testPostgresClient(database.db.databaseUrl!, 1),
          testPostgresClient(database.db.databaseUrl!, 1),
        ];
        try {
          const [handing, writing] = await Promise.all(replicas.map(backendPid));
          const steps = {
            'hand-out': {
              start: () =>
                settled(new SqlPaymentIntentRepository(replicas[0]!, { onSuperseded }).markHandedOut(handed)),
              pid: handing!,
            },
            write: {
              start: () => settled(new SqlPaymentIntentRepository(replicas[1]!, { onSuperseded }).saveReported([lost])),
              pid: writing!,
            },
          };
          const [earlier, later] =
            first === 'hand-out' ? [steps['hand-out'], steps.write] : [steps.write, steps['hand-out']];
          const earlierDone = earlier.start();
          await untilBlocked(database.db.sql, earlier.pid, (blockers) => blockers.includes(holder.pid));
          const laterDone = later.start();
          await untilBlocked(database.db.sql, later.pid, (blockers) => blockers.includes(earlier.pid));
          await holder.release();
          const outcomes = await Promise.all([earlierDone, laterDone]);
          expect(outcomes.map(({ status }) => status)).toEqual(['fulfilled', 'fulfilled']);
        } finally {
          await holder.release();
          await Promise.all(replicas.map((replica) => replica.close()));
        }
        expect(superseded).toEqual([{ id: lost.id, provider: 'ZIINA', by: handed.id }]);
        expect((await repository().list({ externalRef: 'order-9' }, 10, null)).items.map((item) => item.id)).toEqual([
          handed.id,
        ]);
      }

      it('supersedes a lost intent that surfaces while the first hand-out of its key runs', async () => {
        await repository().saveCreated(handed, 'cmid-lost');
        // The hand-out is held up by a row lock of its intent (another replica writing it).
        const holder = await holdLock(database.db.sql, async (transaction) => {
          await transaction.query('select 1 from payment_intents where id = $1 for update', [handed.id]);
        });
        await expectSupersededWhatever('hand-out', holder);
      });

      it('supersedes a lost intent whose write was under way when the first hand-out of its key began', async () => {
        await repository().saveCreated(handed, 'cmid-lost');
        // The write is held up by another replica's insert of the same intent, not committed yet.
        const holder = await holdLock(database.db.sql, async (transaction) => {
          await transaction.query(
            `insert into payment_intents (id, provider, status, terminal, creation_marker, intent)
             values ($1, 'ZIINA', $2, false, $3, $4::jsonb)`,
            [lost.id, lost.status, marker, JSON.stringify(lost)],
          );
        });
        await expectSupersededWhatever('write', holder);
      });
    }

    it('supersedes nothing for intents without a marker, or with their own', async () => {
      const { repository: observedRepository, superseded } = observed();
      const zopay = zopayIntent('pi_handed');
      await observedRepository.saveReported([zopayIntent('pi_other'), ziinaIntent('zi-other')]);
      await observedRepository.saveCreated(zopay, 'cmid-zopay');
      await observedRepository.markHandedOut(zopay);
      await observedRepository.markHandedOut(handed);

      expect(superseded).toEqual([]);
      expect((await observedRepository.list({}, 10, null)).items).toHaveLength(3);
    });
  });

  describe('list', () => {
    /** Stores intents one statement each, so that their order is their insertion order. */
    async function storeInOrder(intents: readonly PaymentIntent[]): Promise<string[]> {
      for (const intent of intents) await repository().saveReported([intent]);
      return intents.map((intent) => intent.id);
    }

    async function listIds(filter: PaymentIntentFilter, first = 100): Promise<string[]> {
      return (await repository().list(filter, first, null)).items.map((item) => item.id);
    }

    const mixed = () => [
      zopayIntent('pi_a', { externalRef: 'shared' }),
      ziinaIntent('zi-b', { externalRef: 'shared' }),
      reportedAs(zopayIntent('pi_c', { externalRef: 'other' }), 'COMPLETED', 'paid'),
      reportedAs(ziinaIntent('zi-d', { externalRef: 'shared' }), 'COMPLETED', 'completed'),
      ziinaIntent('zi-e'),
      reportedAs(zopayIntent('pi_f', { externalRef: 'shared' }), 'PENDING', 'confirming'),
    ];

    it('lists newest first in one query, with hasNextPage only when more rows match', async () => {
      const ids = await storeInOrder(mixed());
      database.db.queries.count = 0;

      const everything = await repository().list({}, 100, null);
      expect(database.db.queries.count).toBe(1);
      expect(everything.items.map((item) => item.id)).toEqual([...ids].reverse());
      expect(everything.hasNextPage).toBe(false);

      const exact = await repository().list({}, ids.length, null);
      expect(exact.hasNextPage).toBe(false);
      const short = await repository().list({}, ids.length - 1, null);
      expect(short.items).toHaveLength(ids.length - 1);
      expect(short.hasNextPage).toBe(true);

      const positions = everything.items.map((item) => item.position);
      expect([...positions].sort((a, b) => (a < b ? 1 : -1))).toEqual(positions);
    });

    it('orders by position as a number: the 10th intent stored is newer than the 9th', async () => {
      const ids = await storeInOrder(Array.from({ length: 12 }, (_, index) => zopayIntent(`pi_order_${index + 1}`)));
      const page = await repository().list({}, 100, null);

      expect(page.items.map((item) => item.position)).toEqual(
        Array.from({ length: 12 }, (_, index) => BigInt(12 - index)),
      );
      expect(page.items.map((item) => item.id)).toEqual([...ids].reverse());
      // What a client sees: the first page holds the newest intents, and paging loses none.
      expect((await repository().list({}, 3, null)).items.map((item) => item.id)).toEqual([
        'zopay:pi_order_12',
        'zopay:pi_order_11',
        'zopay:pi_order_10',
      ]);
      expect((await repository().list({}, 100, 10n)).items.map((item) => item.id)).toEqual(ids.slice(0, 9).reverse());
    });

    it('filters by externalRef, provider and status, alone and combined', async () => {
      await storeInOrder(mixed());

      expect(await listIds({ externalRef: 'shared' })).toEqual([
        'zopay:pi_f',
        'ziina:zi-d',
        'ziina:zi-b',
        'zopay:pi_a',
      ]);
      expect(await listIds({ externalRef: 'nobody' })).toEqual([]);
      expect(await listIds({ provider: 'ZIINA' })).toEqual(['ziina:zi-e', 'ziina:zi-d', 'ziina:zi-b']);
      expect(await listIds({ status: 'COMPLETED' })).toEqual(['ziina:zi-d', 'zopay:pi_c']);
      expect(await listIds({ externalRef: 'shared', provider: 'ZOPAY' })).toEqual(['zopay:pi_f', 'zopay:pi_a']);
      expect(await listIds({ externalRef: 'shared', status: 'COMPLETED' })).toEqual(['ziina:zi-d']);
      expect(await listIds({ provider: 'ZOPAY', status: 'REQUIRES_PAYMENT_INSTRUMENT' })).toEqual(['zopay:pi_a']);
      expect(
        await listIds({ externalRef: 'shared', provider: 'ZIINA', status: 'REQUIRES_PAYMENT_INSTRUMENT' }),
      ).toEqual(['ziina:zi-b']);
      expect(await listIds({ externalRef: null, provider: null, status: null })).toHaveLength(6);
    });

    it('filters on the status as last stored, and keeps the position of an updated intent', async () => {
      const ids = await storeInOrder(mixed());
      await repository().saveReported([
        reportedAs(zopayIntent('pi_a', { externalRef: 'shared' }), 'COMPLETED', 'paid'),
      ]);

      expect(await listIds({ status: 'COMPLETED' })).toEqual(['ziina:zi-d', 'zopay:pi_c', 'zopay:pi_a']);
      expect(await listIds({})).toEqual([...ids].reverse());
    });

    it('walks every row exactly once page by page, even when rows arrive between pages', async () => {
      const initial = await storeInOrder(
        Array.from({ length: 11 }, (_, index) =>
          index % 3 === 0 ? ziinaIntent(`zi-walk-${index}`) : zopayIntent(`pi_walk_${index}`),
        ),
      );
      const seen: string[] = [];
      let after: bigint | null = null;
      let pages = 0;
      for (;;) {
        const page = await repository().list({}, 3, after);
        pages += 1;
        seen.push(...page.items.map((item) => item.id));
        // Newcomers are newer than every cursor: they belong before the first page, never after.
        await storeInOrder([zopayIntent(`pi_newcomer_${pages}`)]);
        if (!page.hasNextPage) break;
        after = page.items.at(-1)!.position;
        expect(pages).toBeLessThan(10);
      }

      expect(seen).toEqual([...initial].reverse());
      expect(new Set(seen).size).toBe(seen.length);
      expect(pages).toBe(4);
    });

    it('answers an empty page after the last row, and from a cursor whose row was deleted', async () => {
      await storeInOrder(mixed());
      const all = await repository().list({}, 100, null);
      const oldest = all.items.at(-1)!;

      expect(await repository().list({}, 5, oldest.position)).toEqual({ items: [], hasNextPage: false });
      await database.db.sql.query('delete from payment_intents where id = $1', [all.items[2]!.id]);
      const afterDeleted = await repository().list({}, 100, all.items[2]!.position);
      expect(afterDeleted.items.map((item) => item.id)).toEqual(all.items.slice(3).map((item) => item.id));
    });
  });
});
