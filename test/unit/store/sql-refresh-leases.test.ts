import { describe, expect, it } from 'vitest';
import { SqlRefreshLeases } from '../../../src/store/sql-refresh-leases.ts';
import { writeInOppositeOrders } from '../../support/opposite-order-writes.ts';
import { useTestDatabase } from '../../support/test-database.ts';

describe('SqlRefreshLeases on postgres', () => {
  const database = useTestDatabase('postgres');

  it('lets two replicas claim the same leases given in opposite orders without a deadlock', async () => {
    const ids = ['zopay:pi_lease_a', 'zopay:pi_lease_b'] as const;
    // Held by a third replica: the claims change nothing, but still lock the rows they find.
    expect(await new SqlRefreshLeases(database.db.sql, 'third').claim(ids, 60_000)).toEqual(ids);

    const outcomes = await writeInOppositeOrders(database.db, ids, {
      lock: async (transaction, id) => {
        await transaction.query('select 1 from payment_intent_refresh_leases where intent_id = $1 for update', [id]);
      },
      write: (replica, order) => new SqlRefreshLeases(replica, 'replica').claim(order, 60_000),
    });

    expect(outcomes).toEqual([
      { status: 'fulfilled', value: [] },
      { status: 'fulfilled', value: [] },
    ]);
  });
});
