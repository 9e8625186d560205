import { LRUCache } from 'lru-cache';
import { isTerminalStatus, type PaymentIntent, type ProviderId } from '../payments/payment-intent.ts';
import type {
  ConfirmedCopy,
  PaymentIntentFilter,
  PaymentIntentPage,
  PaymentIntentRepository,
  StoredPaymentIntent,
} from '../payments/payment-intent-repository.ts';
import { toJsonbParameter } from './jsonb-parameter.ts';
import type { SqlClient } from './sql-client.ts';

interface IntentRow {
  id: string;
  intent: PaymentIntent | string;
}

/** An intent recorded as superseded: `by` was handed out for its idempotency key instead. */
export interface SupersededIntent {
  readonly id: string;
  readonly provider: ProviderId;
  readonly by: string;
}

export interface SqlPaymentIntentRepositoryOptions {
  /** Told of each intent the moment it is recorded as superseded (operators want to know). */
  readonly onSuperseded?: (superseded: SupersededIntent) => void;
  /** Hand-outs this process knows to be settled, so that replays record them without a statement (0: none). */
  readonly rememberedHandOuts?: number;
}

/**
 * One upsert for any number of intents (a JSON array of rows, jsonb_to_recordset). On an
 * existing row:
 * - a terminal status is kept against any other status: webhooks repeat and arrive out of
 *   order, and a read may race a webhook, with nothing to order them by but this rule;
 * - the create's own answer ($2) never replaces what a webhook or read stored before it: that
 *   report is necessarily newer than the create;
 * - what only this service knows is kept: the clientMutationId, and the externalRef that
 *   a provider does not keep (merged into the stored intent so that it is served with it).
 * An intent that carries the creation marker of an intent already handed out for its key is
 * superseded by it, unless it was handed out itself (see HAND_OUT); `superseded_before` tells which
 * rows this statement newly marked so.
 */
const UPSERT = `
  with incoming as (
    select row.*,
           (select handed.id from payment_intents handed
             where handed.provider = row.provider and handed.creation_marker = row.creation_marker
               and handed.handed_out and handed.id <> row.id
             limit 1) as superseded_by
      from jsonb_to_recordset($1::jsonb) as row(id text, provider text, status text, terminal boolean,
                                                external_ref text, client_mutation_id text, creation_marker text,
                                                intent jsonb)
  ),
  before as (select id, superseded_by from payment_intents where id in (select id from incoming)),
  upserted as (
  insert into payment_intents as stored
    (id, provider, status, terminal, external_ref, client_mutation_id, creation_marker, intent, superseded_by,
     refreshed_at)
  select id, provider, status, terminal, external_ref, client_mutation_id, creation_marker, intent, superseded_by, now()
    from incoming
  on conflict (id) do update set
    status = case when $2 or (stored.terminal and stored.status <> excluded.status)
                  then stored.status else excluded.status end,
    terminal = stored.terminal or excluded.terminal,
    intent = (case when $2 or (stored.terminal and stored.status <> excluded.status)
                   then stored.intent else excluded.intent end)
             || jsonb_build_object('externalRef', coalesce(excluded.external_ref, stored.external_ref)),
    external_ref = coalesce(excluded.external_ref, stored.external_ref),
    client_mutation_id = coalesce(stored.client_mutation_id, excluded.client_mutation_id),
    creation_marker = coalesce(stored.creation_marker, excluded.creation_marker),
    superseded_by = case when stored.handed_out then null else coalesce(stored.superseded_by, excluded.superseded_by) end,
    refreshed_at = now()
  returning id, provider, intent, superseded_by
  )
  select upserted.*, before.superseded_by as superseded_before from upserted left join before using (id)`;

/**
 * Marks an intent as handed out and supersedes every other intent with its creation marker that was
 * never handed out; says whether the intent was already marked (by the snapshot the statement started
 * from) and which intents it newly superseded. An intent handed out is never superseded, and stops
 * being so if it was: a marker derives from the clientMutationId alone, and a key used again after
 * its retention starts a new payment under the same marker, while the first one, handed out a day
 * earlier, may well have been paid.
 */
const HAND_OUT = `
  with earlier as (select handed_out from payment_intents where id = $1),
  handed as (
    update payment_intents set handed_out = true, superseded_by = null where id = $1
    returning provider, creation_marker
  ),
  superseded as (
    update payment_intents other set superseded_by = $1
      from handed
     where other.provider = handed.provider and other.creation_marker = handed.creation_marker
       and other.id <> $1 and other.superseded_by is null and not other.handed_out
    returning other.id, other.provider
  )
  select coalesce((select handed_out from earlier), false) as already_handed_out,
         coalesce((select json_agg(json_build_object('id', id, 'provider', provider)) from superseded), '[]')
           as superseded`;

/**
 * Makes the writes of one creation marker take turns: the UPSERT that stores an intent of the marker
 * and the HAND_OUT of one, each in a transaction that takes this lock first. Under READ COMMITTED
 * each statement sees only what was committed when it began, so without it a lost intent written
 * while its key's first hand-out runs is seen by neither (the UPSERT finds nothing handed out yet, the
 * HAND_OUT finds no intent to supersede) and stays listed. Taken before the statement, in a statement
 * of its own, the lock makes the second writer start after the first committed, and see its row.
 * Keys are taken in one order (the lock key's) so that two batches of several markers never wait for
 * each other in a cycle; two markers sharing a hash only take turns for nothing.
 * The locks have two keys, a class and the marker's hash: a two-key lock never meets the one-key
 * lock of the migrations. https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
const CREATION_MARKER_LOCK_CLASS = 2;
const LOCK_CREATION_MARKERS = `
  select pg_advisory_xact_lock(${String(CREATION_MARKER_LOCK_CLASS)}, key)
    from (select distinct hashtext(marker) as key from unnest($1::text[]) as marker) keys
   order by key`;

/**
 * Renews the age of copies a provider confirmed unchanged, each as of when it was confirmed, and
 * only where the stored copy is still the one confirmed and not refreshed since.
 */
const RECORD_REFRESHES = `
  update payment_intents stored
     set refreshed_at = now() - make_interval(secs => confirmed.ms_ago / 1000.0)
    from jsonb_to_recordset($1::jsonb) as confirmed(id text, intent jsonb, ms_ago float8)
   where stored.id = confirmed.id and stored.intent = confirmed.intent
     and stored.refreshed_at < now() - make_interval(secs => confirmed.ms_ago / 1000.0)`;

/** Intents in PostgreSQL (or PGlite); see migrations/0001_idempotency_and_intents.sql. */
export class SqlPaymentIntentRepository implements PaymentIntentRepository {
  readonly #sql: SqlClient;
  readonly #onSuperseded: (superseded: SupersededIntent) => void;
  readonly #settledHandOuts: LRUCache<string, true> | null;

  constructor(sql: SqlClient, options: SqlPaymentIntentRepositoryOptions = {}) {
    this.#sql = sql;
    this.#onSuperseded = options.onSuperseded ?? (() => undefined);
    const remembered = options.rememberedHandOuts ?? 0;
    this.#settledHandOuts = remembered === 0 ? null : new LRUCache({ max: remembered });
  }

  /**
   * Each replay of a key records its intent's hand-out again: the request that stored the outcome may
   * have stopped before it could, and a lost intent that surfaced while the first hand-out ran may
   * have missed it. Once a statement finds the intent already handed out (by an earlier one that
   * committed) and nothing left to supersede, the hand-out is settled: an intent that surfaces later
   * is superseded by its own write (UPSERT), so this process stops repeating the statement
   * (docs/decisions/lost-create-outcome.md).
   */
  async markHandedOut(intent: PaymentIntent): Promise<void> {
    if (this.#settledHandOuts?.has(intent.id)) return;
    const [row] = await this.#writeOfMarkers<{
      already_handed_out: boolean;
      superseded: { id: string; provider: ProviderId }[] | string;
    }>([intent], HAND_OUT, [intent.id]);
    if (row === undefined) throw new Error('the hand-out statement returned no row');
    const superseded = readJson(row.superseded);
    for (const { id, provider } of superseded) this.#onSuperseded({ id, provider, by: intent.id });
    if (row.already_handed_out && superseded.length === 0) this.#settledHandOuts?.set(intent.id, true);
  }

  async saveCreated(intent: PaymentIntent, clientMutationId: string): Promise<PaymentIntent> {
    const [stored] = await this.#upsert([intent], clientMutationId);
    if (!stored) throw new Error('upsert of a created intent returned no row');
    return stored;
  }

  saveReported(intents: readonly PaymentIntent[]): Promise<PaymentIntent[]> {
    if (intents.length === 0) return Promise.resolve([]);
    // One statement cannot update a row twice: one report per id, the terminal one if any.
    const byId = new Map<string, PaymentIntent>();
    for (const intent of intents) {
      const earlier = byId.get(intent.id);
      if (earlier === undefined || !isTerminalStatus(earlier.status)) byId.set(intent.id, intent);
    }
    return this.#upsert([...byId.values()], null);
  }

  async recordRefreshes(confirmed: readonly ConfirmedCopy[]): Promise<void> {
    if (confirmed.length === 0) return;
    const now = performance.now();
    const rows = confirmed.map(({ intent, confirmedAt }) => ({
      id: intent.id,
      intent,
      ms_ago: Math.max(0, now - confirmedAt),
    }));
    await this.#sql.query(RECORD_REFRESHES, [toJsonbParameter(rows)]);
  }

  async getMany(ids: readonly string[]): Promise<Map<string, StoredPaymentIntent>> {
    if (ids.length === 0) return new Map();
    // The age at the moment the row is read, never below 0. now() is this statement's transaction
    // start, taken before its snapshot: a write that started after it and committed before the
    // snapshot (now() of its own) is seen with a refreshed_at after our now(), and with no window
    // (INTENT_FRESHNESS_MS=0) a negative age would pass for fresh and skip the provider.
    const rows = await this.#sql.query<IntentRow & { age_ms: number | string }>(
      `select id, intent,
              greatest(0, extract(epoch from clock_timestamp() - refreshed_at) * 1000)::float8 as age_ms
         from payment_intents where id = any($1::text[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, { intent: readIntent(row), ageMs: Number(row.age_ms) }]));
  }

  async findByCreationMarker(provider: ProviderId, marker: string): Promise<PaymentIntent | null> {
    const [row] = await this.#sql.query<IntentRow>(
      `select id, intent from payment_intents
        where provider = $1 and creation_marker = $2 and superseded_by is null and not handed_out
        order by seq limit 1`,
      [provider, marker],
    );
    return row ? readIntent(row) : null;
  }

  async list(filter: PaymentIntentFilter, first: number, after: bigint | null): Promise<PaymentIntentPage> {
    // One more row than asked for says whether there is a next page.
    const rows = await this.#sql.query<{ id: string; position: string }>(
      `select id, seq::text as position from payment_intents
        where ($1::text is null or external_ref = $1)
          and ($2::text is null or provider = $2)
          and ($3::text is null or status = $3)
          and ($4::bigint is null or seq < $4)
          and superseded_by is null
        order by seq desc
        limit $5`,
      [
        filter.externalRef ?? null,
        filter.provider ?? null,
        filter.status ?? null,
        after?.toString() ?? null,
        first + 1,
      ],
    );
    return {
      items: rows.slice(0, first).map((row) => ({ id: row.id, position: BigInt(row.position) })),
      hasNextPage: rows.length > first,
    };
  }

  async #upsert(intents: readonly PaymentIntent[], clientMutationId: string | null): Promise<PaymentIntent[]> {
    // Rows are locked in the order given: one order (by id, each one once) for every replica, so that
    // writes of overlapping batches wait for each other, never in a cycle (a deadlock).
    const inLockOrder = intents.toSorted((a, b) => (a.id < b.id ? -1 : 1));
    const rows = inLockOrder.map((intent) => ({
      id: intent.id,
      provider: intent.provider,
      status: intent.status,
      terminal: isTerminalStatus(intent.status),
      external_ref: intent.externalRef,
      client_mutation_id: clientMutationId,
      creation_marker: intent.creationMarker,
      intent,
    }));
    const stored = await this.#writeOfMarkers<
      IntentRow & { provider: string; superseded_by: string | null; superseded_before: string | null }
    >(intents, UPSERT, [toJsonbParameter(rows), clientMutationId !== null]);
    for (const row of stored) {
      if (row.superseded_by !== null && row.superseded_before === null)
        this.#onSuperseded({ id: row.id, provider: row.provider, by: row.superseded_by });
    }
    const byId = new Map(stored.map((row) => [row.id, readIntent(row)]));
    return intents.map((intent) => byId.get(intent.id) ?? intent);
  }

  /**
   * A statement that writes intents of these creation markers, after the writes of the same markers
   * that began before it committed (LOCK_CREATION_MARKERS); alone when none has a marker (Zopay's).
   */
  #writeOfMarkers<Row extends object>(
    intents: readonly PaymentIntent[],
    text: string,
    params: readonly unknown[],
  ): Promise<Row[]> {
    const markers = intents.flatMap(({ provider, creationMarker }) =>
      creationMarker === null ? [] : [`${provider}:${creationMarker}`],
    );
    if (markers.length === 0) return this.#sql.query<Row>(text, params);
    return this.#sql.transaction(async (transaction) => {
      await transaction.query(LOCK_CREATION_MARKERS, [markers]);
      return transaction.query<Row>(text, params);
    });
  }
}

function readIntent(row: IntentRow): PaymentIntent {
  return readJson(row.intent);
}

// pg parses json and jsonb into objects; a driver configured otherwise hands over the text.
function readJson<T extends object>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
