// The subgraph's Grafana dashboard (JSON model: https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/),
// shipped in a ConfigMap that Grafana's dashboard sidecar loads (chart/dashboard-config-map.ts). Every
// metric it queries is one GET /metrics exports (test/deploy/monitoring-metrics.test.ts).

interface Query {
  readonly expr: string;
  readonly legend: string;
}

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly queries: readonly Query[];
}

const RATE = '[5m]';

const p99 = (metric: string, by: string) =>
  `histogram_quantile(0.99, sum by (${by}, le) (rate(${metric}_bucket${RATE})))`;

/** Rows of two panels, in reading order: what clients get, providers, the store, webhooks, subscriptions, the process. */
const PANELS: readonly Panel[] = [
  {
    title: 'Operations by outcome',
    unit: 'reqps',
    queries: [{ expr: `sum by (outcome) (rate(payments_graphql_operations_total${RATE}))`, legend: '{{outcome}}' }],
  },
  {
    title: 'Operation latency p99',
    unit: 's',
    queries: [{ expr: p99('payments_graphql_operation_duration_seconds', 'operation'), legend: '{{operation}}' }],
  },
  {
    title: 'Create user errors by code',
    unit: 'reqps',
    queries: [
      {
        expr: `sum by (provider, code) (rate(payments_create_user_errors_total${RATE}))`,
        legend: '{{provider}} {{code}}',
      },
    ],
  },
  {
    title: 'Idempotency decisions',
    unit: 'reqps',
    queries: [
      { expr: `sum by (decision) (rate(payments_idempotency_decisions_total${RATE}))`, legend: '{{decision}}' },
    ],
  },
  {
    title: 'Provider attempts by outcome',
    unit: 'reqps',
    queries: [
      {
        expr: `sum by (provider, outcome) (rate(payments_provider_requests_total${RATE}))`,
        legend: '{{provider}} {{outcome}}',
      },
    ],
  },
  {
    title: 'Provider attempt latency p99',
    unit: 's',
    queries: [{ expr: p99('payments_provider_request_duration_seconds', 'provider'), legend: '{{provider}}' }],
  },
  {
    title: 'Provider circuits open',
    unit: 'short',
    queries: [{ expr: 'max by (provider) (payments_provider_circuit_open)', legend: '{{provider}}' }],
  },
  {
    title: 'Provider calls running, queued, refused',
    unit: 'short',
    queries: [
      { expr: 'sum by (provider, state) (payments_provider_calls)', legend: '{{provider}} {{state}}' },
      {
        expr: `sum by (provider, reason) (rate(payments_provider_calls_refused_total${RATE}))`,
        legend: '{{provider}} refused: {{reason}}',
      },
    ],
  },
  {
    title: 'Requests in flight and shed',
    unit: 'short',
    queries: [
      { expr: 'sum(payments_graphql_requests_in_flight)', legend: 'in flight' },
      { expr: `sum by (reason) (rate(payments_graphql_requests_shed_total${RATE}))`, legend: 'shed: {{reason}}' },
    ],
  },
  {
    title: 'Pods ready',
    unit: 'short',
    queries: [
      {
        expr: 'sum(kube_pod_status_ready{namespace="payments", pod=~"payments-.*", condition="true"})',
        legend: 'ready',
      },
    ],
  },
  {
    title: 'Store statement latency p99',
    unit: 's',
    queries: [{ expr: p99('payments_store_query_duration_seconds', 'statement'), legend: '{{statement}}' }],
  },
  {
    title: 'Store statements and errors',
    unit: 'ops',
    queries: [
      { expr: `sum by (outcome) (rate(payments_store_query_duration_seconds_count${RATE}))`, legend: '{{outcome}}' },
    ],
  },
  {
    title: 'Webhook deliveries by result',
    unit: 'reqps',
    queries: [
      { expr: `sum by (provider, result) (rate(payments_webhooks_total${RATE}))`, legend: '{{provider}} {{result}}' },
    ],
  },
  {
    title: 'Superseded intents (last hour)',
    unit: 'short',
    queries: [{ expr: 'sum by (provider) (increase(payments_superseded_intents_total[1h]))', legend: '{{provider}}' }],
  },
  {
    title: 'Subscriptions: open, events, drops, refresh leases',
    unit: 'short',
    queries: [
      { expr: 'sum by (instance) (payments_subscriptions_active)', legend: 'open {{instance}}' },
      { expr: `sum (rate(payments_subscription_events_total${RATE}))`, legend: 'events/s' },
      { expr: `sum (rate(payments_subscribers_dropped_total${RATE}))`, legend: 'dropped/s' },
      {
        expr: `sum by (result) (rate(payments_refresh_lease_claims_total${RATE}))`,
        legend: 'refresh leases {{result}}/s',
      },
    ],
  },
  {
    title: 'Subscription lag p99 (store write to push)',
    unit: 's',
    queries: [
      {
        expr: `histogram_quantile(0.99, sum by (le) (rate(payments_subscription_notification_lag_seconds_bucket${RATE})))`,
        legend: 'p99',
      },
    ],
  },
  {
    title: 'Event-loop lag p99',
    unit: 's',
    queries: [{ expr: 'max by (instance) (payments_nodejs_eventloop_lag_p99_seconds)', legend: '{{instance}}' }],
  },
  {
    title: 'Heap used and garbage collection',
    unit: 'bytes',
    queries: [
      { expr: 'sum by (instance) (payments_nodejs_heap_size_used_bytes)', legend: 'heap {{instance}}' },
      { expr: `sum by (kind) (rate(payments_nodejs_gc_duration_seconds_sum${RATE}))`, legend: 'GC s/s {{kind}}' },
    ],
  },
];

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const WIDTH = 12;
const HEIGHT = 8;

/** The dashboard's JSON model. */
export function paymentsDashboard(): Record<string, unknown> {
  return {
    uid: 'payments-subgraph',
    title: 'Payments subgraph',
    tags: ['payments', 'graphql'],
    timezone: 'utc',
    schemaVersion: 39,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }],
    },
    panels: PANELS.map((panel, index) => ({
      id: index + 1,
      type: 'timeseries',
      title: panel.title,
      datasource: DATASOURCE,
      gridPos: { x: (index % 2) * WIDTH, y: Math.floor(index / 2) * HEIGHT, w: WIDTH, h: HEIGHT },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: panel.queries.map((query, queryIndex) => ({
        refId: String.fromCharCode(65 + queryIndex),
        datasource: DATASOURCE,
        expr: query.expr,
        legendFormat: query.legend,
      })),
    })),
  };
}
