import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProviderCallLoad } from '../providers/http/provider-bulkheads.ts';
import type { RefusalReason } from '../providers/http/provider-http-client.ts';
import type { OverloadReason } from '../http/load-shedder.ts';

/** What is in progress in the process now, read at each scrape. */
export interface LoadSources {
  readonly providerCalls: () => readonly ProviderCallLoad[];
  readonly graphqlInFlight: () => number;
}

/**
 * The Prometheus metrics of one subgraph process (GET /metrics): the process
 * itself, every provider HTTP attempt, the provider calls running, queued and refused, the /graphql
 * requests in flight and shed, every store statement, every webhook delivery. Each
 * process has its own registry, so several apps in one test process do not mix their counts.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #providerAttempts = new Counter({
    name: 'payments_provider_requests_total',
    help: 'HTTP attempts to a provider, by operation and outcome (HTTP status, timeout or connection)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly #providerDuration = new Histogram({
    name: 'payments_provider_request_duration_seconds',
    help: 'Duration of one HTTP attempt to a provider',
    labelNames: ['operation'] as const,
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
  #load: LoadSources = { providerCalls: () => [], graphqlInFlight: () => 0 };
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
  readonly #superseded = new Counter({
    name: 'payments_superseded_intents_total',
    help: 'Intents recorded as superseded: created for a key whose answer was lost, after another intent was handed out',
    labelNames: ['provider'] as const,
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

  providerAttempt(operation: string, outcome: string, seconds: number): void {
    this.#providerAttempts.inc({ operation, outcome });
    this.#providerDuration.observe({ operation }, seconds);
  }

  providerRefused(provider: string, reason: RefusalReason): void {
    this.#providerRefusals.inc({ provider, reason });
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

  storeQuery(): void {
    this.#storeQueries.inc();
  }

  supersededIntent(provider: string): void {
    this.#superseded.inc({ provider });
  }

  webhook(provider: string, result: 'applied' | 'ignored' | 'unauthorized' | 'malformed'): void {
    this.#webhooks.inc({ provider, result });
  }
}
