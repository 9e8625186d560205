import type { SqlClient } from './sql-client.ts';

/**
 * Claims an expired lease (or a first one), each for its own duration ($3, in the order of $1): a
 * row is updated only where the lease has run out, and the row lock makes concurrent claims of one
 * intent by several replicas wait for each other, so exactly one of them sees its claim returned.
 * Rows are locked in the order of $1, the conflicting ones included even where the WHERE is false
 * (https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT).
 */
const CLAIM = `
  insert into payment_intent_refresh_leases as lease (intent_id, holder, expires_at)
  select claim.id, $2, now() + make_interval(secs => claim.ms / 1000)
    from unnest($1::text[], $3::float8[]) as claim(id, ms)
  on conflict (intent_id) do update set holder = excluded.holder, expires_at = excluded.expires_at
   where lease.expires_at <= now()
  returning intent_id`;

/** Leases that ran out long ago belong to intents nobody subscribes to any more. */
const PURGE = `delete from payment_intent_refresh_leases where expires_at < now() - interval '1 hour'`;

/**
 * The per-intent refresh leases of migrations/0004_intent_refresh_leases.sql: which replica may
 * refresh an intent from its provider until its lease runs out.
 */
export class SqlRefreshLeases {
  readonly #sql: SqlClient;
  /** Names this process in the rows it holds. */
  readonly #holder: string;

  constructor(sql: SqlClient, holder: string) {
    this.#sql = sql;
    this.#holder = holder;
  }

  /**
   * Claims, in one statement, the leases of these intents (intent id → how long its lease lasts, in
   * milliseconds) that no one holds now; returns the ids claimed.
   */
  async claim(durationMsById: ReadonlyMap<string, number>): Promise<string[]> {
    if (durationMsById.size === 0) return [];
    // One order for every replica: claims of overlapping sets then wait for each other, never in a cycle.
    // The ids of a map are distinct: none compares equal to another.
    const inLockOrder = [...durationMsById].sort(([a], [b]) => (a < b ? -1 : 1));
    const ids = inLockOrder.map(([id]) => id);
    const durationsMs = inLockOrder.map(([, durationMs]) => durationMs);
    const rows = await this.#sql.query<{ intent_id: string }>(CLAIM, [ids, this.#holder, durationsMs]);
    return rows.map((row) => row.intent_id);
  }

  async purgeExpired(): Promise<void> {
    await this.#sql.query(PURGE);
  }
}
