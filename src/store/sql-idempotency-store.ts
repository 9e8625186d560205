import { randomUUID } from 'node:crypto';
import type { CreateOutcome } from '../payments/create-payment-intent-result.ts';
import { CompletedRecordMemory } from './completed-record-memory.ts';
import { toJsonbParameter } from './jsonb-parameter.ts';
import type { SqlClient } from './sql-client.ts';
import type {
  Claim,
  ClaimResult,
  IdempotencyKey,
  IdempotencyRecord,
  IdempotencyStore,
} from '../idempotency/idempotency-store.ts';

export interface SqlIdempotencyStoreOptions {
  /** How long a record is kept and replayed (a day: docs/decisions/idempotency.md). */
  readonly retentionMs: number;
  /** How long a claim is held before another process may take it over. */
  readonly leaseMs: number;
  /** Completed records this process keeps in memory to replay without a statement (0: none). */
  readonly rememberedCompletions?: number;
}

interface RecordRow {
  state: 'in_flight' | 'completed';
  fingerprint: string;
  outcome: CreateOutcome | string | null;
  /** How much longer the record is replayed, by the database clock. */
  replayable_for_ms: number;
}

/**
 * Idempotency records in PostgreSQL (or PGlite). The database clock decides expiry, so replicas
 * with drifting clocks agree. Every claim is one atomic statement on the primary key.
 */
export class SqlIdempotencyStore implements IdempotencyStore {
  readonly #sql: SqlClient;
  readonly #options: SqlIdempotencyStoreOptions;
  readonly #completed: CompletedRecordMemory;

  constructor(sql: SqlClient, options: SqlIdempotencyStoreOptions) {
    this.#sql = sql;
    this.#options = options;
    this.#completed = new CompletedRecordMemory(options.rememberedCompletions ?? 0);
  }

  async claim(key: IdempotencyKey, fingerprint: string): Promise<ClaimResult> {
    const remembered = this.#completed.recall(key);
    if (remembered) return { claimed: false, record: remembered };
    const token = randomUUID();
    // Inserts a fresh claim; or, on conflict, takes the row over when it is past retention
    // (a brand-new request) or is an identical request whose holder's lease ran out (the holder
    // stopped). Anything else leaves the row alone and returns nothing.
    const [claimed] = await this.#sql.query<{ request_sent: boolean }>(
      `insert into idempotency_records as r
         (provider, client_mutation_id, fingerprint, state, claim_token, lease_expires_at, request_sent, claimed_at)
       values ($1, $2, $3, 'in_flight', $4, now() + make_interval(secs => $5 / 1000.0), false, now())
       on conflict (provider, client_mutation_id) do update set
         fingerprint = excluded.fingerprint,
         state = 'in_flight',
         claim_token = excluded.claim_token,
         lease_expires_at = excluded.lease_expires_at,
         outcome = null,
         completed_at = null,
         request_sent = case when r.claimed_at < now() - make_interval(secs => $6 / 1000.0)
                             then false else r.request_sent end,
         claimed_at = case when r.claimed_at < now() - make_interval(secs => $6 / 1000.0)
                           then now() else r.claimed_at end
       where r.claimed_at < now() - make_interval(secs => $6 / 1000.0)
          or (r.state = 'in_flight' and r.lease_expires_at < now() and r.fingerprint = excluded.fingerprint)
       returning r.request_sent`,
      [key.provider, key.clientMutationId, fingerprint, token, this.#options.leaseMs, this.#options.retentionMs],
    );
    if (claimed) return { claimed: true, claim: { token, requestMayHaveBeenSent: claimed.request_sent } };
    const record = await this.find(key);
    // Gone between the two statements (purged or released): claim again.
    return record ? { claimed: false, record } : this.claim(key, fingerprint);
  }

  async markRequestSent(key: IdempotencyKey, claim: Claim): Promise<boolean> {
    const rows = await this.#sql.query(
      `update idempotency_records set request_sent = true
        where provider = $1 and client_mutation_id = $2 and claim_token = $3
        returning 1`,
      [key.provider, key.clientMutationId, claim.token],
    );
    return rows.length === 1;
  }

  async complete(key: IdempotencyKey, claim: Claim, outcome: CreateOutcome): Promise<boolean> {
    const rows = await this.#sql.query(
      `update idempotency_records
          set state = 'completed', outcome = $4::jsonb, completed_at = now(),
              claim_token = null, lease_expires_at = null
        where provider = $1 and client_mutation_id = $2 and claim_token = $3
        returning 1`,
      [key.provider, key.clientMutationId, claim.token, toJsonbParameter(outcome)],
    );
    return rows.length === 1;
  }

  async release(key: IdempotencyKey, claim: Claim): Promise<void> {
    await this.#sql.query(
      `delete from idempotency_records
        where provider = $1 and client_mutation_id = $2 and claim_token = $3 and state = 'in_flight'`,
      [key.provider, key.clientMutationId, claim.token],
    );
  }

  async abandon(key: IdempotencyKey, claim: Claim): Promise<void> {
    await this.#sql.query(
      `update idempotency_records set lease_expires_at = '-infinity', claim_token = null
        where provider = $1 and client_mutation_id = $2 and claim_token = $3 and state = 'in_flight'`,
      [key.provider, key.clientMutationId, claim.token],
    );
  }

  async find(key: IdempotencyKey): Promise<IdempotencyRecord | null> {
    const [row] = await this.#sql.query<RecordRow>(
      `select state, fingerprint, outcome,
              extract(epoch from claimed_at + make_interval(secs => $3 / 1000.0) - now())::float8 * 1000
                as replayable_for_ms
         from idempotency_records
        where provider = $1 and client_mutation_id = $2 and claimed_at >= now() - make_interval(secs => $3 / 1000.0)`,
      [key.provider, key.clientMutationId, this.#options.retentionMs],
    );
    if (!row) return null;
    if (row.state === 'in_flight') return { state: 'in_flight', fingerprint: row.fingerprint };
    const outcome = typeof row.outcome === 'string' ? (JSON.parse(row.outcome) as CreateOutcome) : row.outcome;
    if (outcome === null) throw new Error('completed idempotency record without an outcome');
    const record = { state: 'completed', fingerprint: row.fingerprint, outcome } as const;
    this.#completed.remember(key, record, row.replayable_for_ms);
    return record;
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.#sql.query(
      `delete from idempotency_records
        where claimed_at < now() - make_interval(secs => $1 / 1000.0)
          and (state = 'completed' or lease_expires_at < now())
        returning 1`,
      [this.#options.retentionMs],
    );
    return rows.length;
  }
}
