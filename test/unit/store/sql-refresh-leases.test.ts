import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SqlRefreshLeases } from '../../../src/store/sql-refresh-leases.ts';
import { writeInOppositeOrders } from '../../support/opposite-order-writes.ts';
import { useTestDatabase } from '../../support/test-database.ts';

/** The same lease for every one of these intents. */
function leasesOf(ids: readonly string[], durationMs: number): Map<string, number> {
  return new Map(ids.map((id) => [id, durationMs]));
}

describe('SqlRefreshLeases on postgres', () => {
  const database = useTestDatabase('postgres');

  it('lets two replicas claim the same leases given in opposite orders without a deadlock', async () => {
    const ids = ['zopay:pi_lease_a', 'zopay:pi_lease_b'] as const;
    // Held by a third replica: the claims change nothing, but still lock the rows they find.
    expect(await new SqlRefreshLeases(database.db.sql, 'third').claim(leasesOf(ids, 60_000))).toEqual(ids);

    const outcomes = await writeInOppositeOrders(database.db, ids, {
      lock: async (transaction, id) => {
        await transaction.query('select 1 from payment_intent_refresh_leases where intent_id = $1 for update', [id]);
      },
      write: (replica, order) => new SqlRefreshLeases(replica, 'replica').claim(leasesOf(order, 60_000)),
    });

    expect(outcomes).toEqual([
      { status: 'fulfilled', value: [] },
      { status: 'fulfilled', value: [] },
    ]);
  });

  it('holds each lease of one claim for its own duration', async () => {
    const [short, long] = ['zopay:pi_lease_short', 'ziina:3c1f0000-0000-4000-8000-000000000001'];
    const leases = new Map([
      [long, 60_000],
      [short, 1],
    ]);
    expect((await new SqlRefreshLeases(database.db.sql, 'first').claim(leases)).sort()).toEqual([long, short].sort());
    await sleep(20);
    // The short lease has run out and goes to the next claimer; the long one is still held.
    expect(await new SqlRefreshLeases(database.db.sql, 'second').claim(leases)).toEqual([short]);
  });
});
