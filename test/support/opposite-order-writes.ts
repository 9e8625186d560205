import type { SqlClient } from '../../src/store/sql-client.ts';
import { backendPid, holdLock, settled, untilBlocked, type HeldLock } from './postgres-lock-steps.ts';
import { testPostgresClient } from './test-database.ts';

export interface OppositeOrderWrites {
  /** Takes the row lock of one of the two rows (`select … for update`), in the transaction given. */
  lock(transaction: SqlClient, row: string): Promise<void>;
  /** One statement that writes both rows, given in this order, through a replica's own client. */
  write(replica: SqlClient, rows: readonly [string, string]): Promise<unknown>;
}

/**
 * Two replicas write the same two rows in one statement each, one given them as (a, b) and the other
 * as (b, a), interleaved the one way that deadlocks a statement locking rows in the order given: the
 * first locks a and waits for b while the second holds b and waits for a. Other transactions hold
 * each row meanwhile and let go of a, then of b, each step once the server shows the replicas waiting
 * where they should (pg_blocking_pids). PostgreSQL breaks a deadlock after `deadlock_timeout` (1 s
 * by default) by failing one statement with 40P01; the outcomes of both writes are returned.
 * https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-DEADLOCKS
 */
export async function writeInOppositeOrders(
  db: { readonly sql: SqlClient; readonly databaseUrl: string | null },
  rows: readonly [string, string],
  writes: OppositeOrderWrites,
): Promise<PromiseSettledResult<unknown>[]> {
  const [a, b] = rows;
  const replicas = [testPostgresClient(db.databaseUrl!, 1), testPostgresClient(db.databaseUrl!, 1)] as const;
  const holders: HeldLock[] = [];
  try {
    // One connection per replica, opened now and reused by its statement: its backend is known.
    const [first, second] = await Promise.all(replicas.map(backendPid));
    const holdingA = await holdLock(db.sql, (transaction) => writes.lock(transaction, a));
    const holdingB = await holdLock(db.sql, (transaction) => writes.lock(transaction, b));
    holders.push(holdingA, holdingB);

    const firstWrite = settled(writes.write(replicas[0], [a, b]));
    await untilBlocked(db.sql, first!, (blockers) => blockers.includes(holdingA.pid));
    const secondWrite = settled(writes.write(replicas[1], [b, a]));
    await untilBlocked(db.sql, second!, (blockers) => blockers.length > 0);
    await holdingA.release();
    // The first has a now, and waits for b: behind its holder, or behind the second if it is queued for it.
    await untilBlocked(db.sql, first!, (blockers) => blockers.length > 0 && !blockers.includes(holdingA.pid));
    await holdingB.release();
    return await Promise.all([firstWrite, secondWrite]);
  } finally {
    await Promise.all(holders.map((holder) => holder.release()));
    await Promise.all(replicas.map((replica) => replica.close()));
  }
}
