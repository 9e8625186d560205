import type { SqlClient } from '../../src/store/sql-client.ts';

// Steps of tests that interleave PostgreSQL sessions the one way that matters: a transaction holds a
// lock, a session's statement is seen waiting for it (pg_blocking_pids), the lock is let go.
// https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-INFO-SESSION

export interface HeldLock {
  /** The backend of the transaction that holds it. */
  readonly pid: number;
  /** Commits the transaction; repeated, it waits for the same commit. */
  release(): Promise<void>;
}

/** A transaction on `sql` that takes a lock with `lock` and holds it until released (a commit). */
export async function holdLock(sql: SqlClient, lock: (transaction: SqlClient) => Promise<void>): Promise<HeldLock> {
  const held = Promise.withResolvers<number>();
  const released = Promise.withResolvers<undefined>();
  const committed = sql.transaction(async (transaction) => {
    await lock(transaction);
    held.resolve(await backendPid(transaction));
    await released.promise;
  });
  committed.catch(held.reject);
  const pid = await held.promise;
  return {
    pid,
    release: () => {
      released.resolve(undefined);
      return committed;
    },
  };
}

export async function backendPid(sql: SqlClient): Promise<number> {
  const [row] = await sql.query<{ pid: number }>('select pg_backend_pid() as pid');
  return row!.pid;
}

/** Waits until the backend waits for a lock held by backends that satisfy `expected`. */
export async function untilBlocked(
  sql: SqlClient,
  pid: number,
  expected: (blockers: number[]) => boolean,
): Promise<void> {
  const giveUpAt = Date.now() + 5_000;
  for (;;) {
    const [row] = await sql.query<{ blockers: number[] }>('select pg_blocking_pids($1) as blockers', [pid]);
    if (expected(row!.blockers)) return;
    if (Date.now() > giveUpAt) throw new Error(`backend ${pid} is not blocked as expected: ${String(row!.blockers)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function settled<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}
