import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProviderCallLoad } from '../providers/http/provider-bulkheads.ts';
import type { ProviderAttempt, RefusalReason } from '../providers/http/provider-http-client.ts';
import type { OverloadReason } from '../http/load-shedder.ts';
import type { IdempotencyDecision } from '../idempotency/idempotent-create.ts';
import type { CacheLookup } from '../store/cached-payment-intent-repository.ts';
import { BoundedLabel } from './bounded-label.ts';

/** What is in progress in the process now, read at each scrape. */
export interface LoadSources {
  readonly providerCalls: () => readonly ProviderCallLoad[];
  readonly graphqlInFlight: () => number;
  readonly subscriptions: () => number;
}

/** How an operation ended, as a bounded label (the log line gives the codes). */
export type OperationOutcome = 'ok' | 'user_error' | 'error' | 'masked';

/**
 * GraphQL operation names are the client's choice: names of identifier shape up to 64 characters,
 * the first 50 distinct ones, get a series each; a router's own operation names (e.g.
 * `GetOrder__payments__0`) fit.
 */
const OPERATION_NAMES = { pattern: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/, cap: 50 };

/** Seconds: a read from the store is milliseconds, a create up to the provider deadline (10 s) and a duplicate's wait (15 s). */
const OPERATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/**
 * The Prometheus metrics of one subgraph process (GET /metrics): the process itself, every GraphQL
 * operation, every provider HTTP attempt, the provider calls running, queued and refused, the
 * /graphql requests in flight and shed, every store statement, every webhook delivery, the
 * idempotency layer's decisions. Each process has its own registry, so several apps in one test
 * process do not mix their counts. Every label value is bounded: provider ids, codes, outcomes,
 * and operation names through a capped set; never an id.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #operationNames = new BoundedLabel(OPERATION_NAMES.pattern, OPERATION_NAMES.cap);
  readonly #operations = new Counter({
    name: 'payments_graphql_operations_total',
    help: 'GraphQL operations answered, by operation name (bounded: see README), type and outcome (ok, user_error, error, masked)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly #operationDuration = new Histogram({
    name: 'payments_graphql_operation_duration_seconds',
    help: 'Duration of a GraphQL operation, from its start to its answer, by operation name and type',
    labelNames: ['operation', 'type'] as const,
    buckets: OPERATION_BUCKETS,
    registers: [this.registry],
  });
  readonly #userErrors = new Counter({
    name: 'payments_create_user_errors_total',
    help: 'User errors answered to createPaymentIntent, by provider (none when the input named none) and code',
    labelNames: ['provider', 'code'] as const,
    registers: [this.registry],
  });
  readonly #idempotency = new Counter({
    name: 'payments_idempotency_decisions_total',
    help: 'Creates by what the idempotency record decided: performed, replayed, shared (joined an identical create in flight), conflict, key_in_use',
    labelNames: ['provider', 'decision'] as const,
    registers: [this.registry],
  });
  readonly #providerAttempts = new Counter({
    name: 'payments_provider_requests_total',
    help: 'HTTP attempts to a provider, by provider, operation and outcome (HTTP status, timeout or connection)',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly #providerDuration = new Histogram({
    name: 'payments_provider_request_duration_seconds',
    help: 'Duration of one HTTP attempt to a provider',
    labelNames: ['provider', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly #circuitOpen = new Gauge({
    name: 'payments_provider_circuit_open',
    help: '1 while the circuit breaker of a provider is open (calls fail fast), else 0',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly #providerRefusals = new Counter({
    name: 'payments_provider_calls_refused_total',
    help: 'Provider calls refused before anything was sent: by the open circuit (circuit_open) or a full bulkhead (saturated)',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });
  #load: LoadSources = { providerCalls: () => [], graphqlInFlight: () => 0, subscriptions: () => 0 };
  readonly #providerCalls = new Gauge({
    name: 'payments_provider_calls',
    help: 'Calls to a provider at the time of the scrape: running, or queued for a slot of its bulkhead',
    labelNames: ['provider', 'state'] as const,
    registers: [this.registry],
    collect: () => {
      this.#providerCalls.reset();
      for (const { provider, running, queued } of this.#load.providerCalls()) {
        this.#providerCalls.set({ provider, state: 'running' }, running);
        this.#providerCalls.set({ provider, state: 'queued' }, queued);
      }
    },
  });
  readonly #graphqlInFlight: Gauge = new Gauge({
    name: 'payments_graphql_requests_in_flight',
    help: '/graphql requests being served at the time of the scrape',
    registers: [this.registry],
    collect: () => {
      this.#graphqlInFlight.set(this.#load.graphqlInFlight());
    },
  });
  readonly #shed = new Counter({
    name: 'payments_graphql_requests_shed_total',
    help: '/graphql requests answered 503 at once because the process was overloaded, by signal',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly #storeQueries = new Counter({
    name: 'payments_store_queries_total',
    help: 'SQL statements sent to the store',
    registers: [this.registry],
  });
  readonly #storeDuration = new Histogram({
    name: 'payments_store_query_duration_seconds',
    help: 'Duration of one SQL statement, by its kind (select, insert, update, delete, with, other) and outcome (ok, error)',
    labelNames: ['statement', 'outcome'] as const,
    buckets: STORE_BUCKETS,
    registers: [this.registry],
  });
  readonly #superseded = new Counter({
    name: 'payments_superseded_intents_total',
    help: 'Intents recorded as superseded: created for a key whose answer was lost, after another intent was handed out',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly #cacheLookups = new Counter({
    name: 'payments_intent_cache_lookups_total',
    help: 'Intents read by id, by how: hit (from memory), miss (from the store), bypass (the change feed is interrupted)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly #subscriptions: Gauge = new Gauge({
    name: 'payments_subscriptions_active',
    help: 'GraphQL subscriptions open in the process at the time of the scrape',
    registers: [this.registry],
    collect: () => {
      this.#subscriptions.set(this.#load.subscriptions());
    },
  });
  readonly #subscriptionEvents = new Counter({
    name: 'payments_subscription_events_total',
    help: 'Events pushed to subscribers (first events included)',
    registers: [this.registry],
  });
  readonly #subscriptionLag = new Histogram({
    name: 'payments_subscription_notification_lag_seconds',
    help: "From the store's write of a change to its push to a subscriber of this process",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly #subscribersDropped = new Counter({
    name: 'payments_subscribers_dropped_total',
    help: 'Subscriptions ended because their consumer fell too far behind (a socket that does not drain)',
    registers: [this.registry],
  });
  readonly #refreshLeases = new Counter({
    name: 'payments_refresh_lease_claims_total',
    help: 'Claims of the refresh lease of a subscribed intent (a window long, or twelve as a fallback where its provider sends webhooks here): acquired (this replica refreshes it) or held (its lease has not run out)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly #webhooks = new Counter({
    name: 'payments_webhooks_total',
    help: 'Webhook deliveries received, by provider and result',
    labelNames: ['provider', 'result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'payments_' });
  }

  /**
   * `name`: the operation's, null when it has none; `type`: null when no operation was resolved (the
   * document did not parse or validate), which is counted as operation and type `none`.
   */
  operation(name: string | null, type: string | null, outcome: OperationOutcome, seconds: number): void {
    const labels =
      type === null
        ? { operation: 'none', type: 'none' }
        : { operation: name === null ? 'anonymous' : this.#operationNames.of(name), type };
    this.#operations.inc({ ...labels, outcome });
    this.#operationDuration.observe(labels, seconds);
  }

  createUserError(provider: string | null, code: string): void {
    this.#userErrors.inc({ provider: provider ?? 'none', code });
  }

  idempotencyDecision(provider: string, decision: IdempotencyDecision): void {
    this.#idempotency.inc({ provider, decision });
  }

  providerAttempt({ provider, operation, outcome, seconds }: ProviderAttempt): void {
    this.#providerAttempts.inc({ provider, operation, outcome });
    this.#providerDuration.observe({ provider, operation }, seconds);
  }

  providerRefused(provider: string, reason: RefusalReason): void {
    this.#providerRefusals.inc({ provider, reason });
  }

  /**
   * Series at 0 for every provider and every reason, before anything happened: an alert on
   * `increase()` sees the first event only when the series existed before it, and a dashboard shows
   * a closed circuit as 0 rather than no data.
   */
  startAtZero(providers: readonly string[]): void {
    for (const reason of ['in_flight', 'event_loop_delay'] satisfies OverloadReason[]) this.#shed.inc({ reason }, 0);
    for (const result of ['hit', 'miss', 'bypass'] satisfies CacheLookup[]) this.#cacheLookups.inc({ result }, 0);
    for (const result of ['acquired', 'held']) this.#refreshLeases.inc({ result }, 0);
    for (const provider of providers) {
      this.#circuitOpen.set({ provider }, 0);
      this.#superseded.inc({ provider }, 0);
      for (const reason of ['circuit_open', 'saturated'] satisfies RefusalReason[])
        this.#providerRefusals.inc({ provider, reason }, 0);
    }
  }

  /** Where the gauges of calls and requests in progress read their values at each scrape. */
  observeLoad(sources: LoadSources): void {
    this.#load = sources;
  }

  requestShed(reason: OverloadReason): void {
    this.#shed.inc({ reason });
  }

  providerCircuit(provider: string, open: boolean): void {
    this.#circuitOpen.set({ provider }, open ? 1 : 0);
  }

  storeStatement(statement: string, outcome: 'ok' | 'error', seconds: number): void {
    this.#storeQueries.inc();
    this.#storeDuration.observe({ statement, outcome }, seconds);
  }

  intentCacheLookup(result: CacheLookup, count: number): void {
    if (count > 0) this.#cacheLookups.inc({ result }, count);
  }

  /** `lagSeconds`: from the store's write to the push, null for a first event (no change caused it). */
  subscriptionEvent(lagSeconds: number | null): void {
    this.#subscriptionEvents.inc();
    if (lagSeconds !== null) this.#subscriptionLag.observe(lagSeconds);
  }

  subscriberDropped(): void {
    this.#subscribersDropped.inc();
  }

  refreshLeaseClaims(acquired: number, held: number): void {
    if (acquired > 0) this.#refreshLeases.inc({ result: 'acquired' }, acquired);
    if (held > 0) this.#refreshLeases.inc({ result: 'held' }, held);
  }

  supersededIntent(provider: string): void {
    this.#superseded.inc({ provider });
  }

  webhook(provider: string, result: 'applied' | 'ignored' | 'unauthorized' | 'malformed'): void {
    this.#webhooks.inc({ provider, result });
  }
}
