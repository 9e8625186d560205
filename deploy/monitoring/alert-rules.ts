// The subgraph's Prometheus alerting rules (https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/),
// emitted as a PrometheusRule of the Prometheus Operator (chart/prometheus-rule.ts). Every metric
// named here is one GET /metrics exports (test/deploy/monitoring-metrics.test.ts), or kube-state-metrics'
// kube_pod_status_ready; every alert has its section in docs/runbook.md (test/deploy/alert-runbooks.test.ts).

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition holds before the alert fires. */
  readonly for: string;
  readonly labels: { readonly severity: 'critical' | 'warning' };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

export const RUNBOOK = 'docs/runbook.md';

/** The runbook's section of an alert: its heading is the alert's name. */
export function runbookUrl(alert: string): string {
  return `${RUNBOOK}#${alert.toLowerCase()}`;
}

function rule(
  alert: string,
  expr: string,
  forDuration: string,
  severity: 'critical' | 'warning',
  summary: string,
  description: string,
): AlertRule {
  return {
    alert,
    expr,
    for: forDuration,
    labels: { severity },
    annotations: { summary, description, runbook_url: runbookUrl(alert) },
  };
}

/** Attempts that got no usable answer: a 5xx, a timeout or a failed connection. */
const FAILED_ATTEMPT = 'outcome=~"5..|timeout|connection"';

export const ALERT_RULES: readonly AlertRule[] = [
  rule(
    'PaymentsProviderCircuitOpen',
    'max by (provider) (payments_provider_circuit_open) == 1',
    '1m',
    'critical',
    '{{ $labels.provider }} circuit open: its creates and reads fail fast',
    'The circuit breaker of {{ $labels.provider }} has been open for a minute: creates answer PROVIDER_UNAVAILABLE, reads serve stored copies.',
  ),
  rule(
    'PaymentsProviderErrorRatioHigh',
    `sum by (provider) (rate(payments_provider_requests_total{${FAILED_ATTEMPT}}[5m])) / sum by (provider) (rate(payments_provider_requests_total[5m])) > 0.1`,
    '10m',
    'warning',
    'More than 10% of attempts to {{ $labels.provider }} fail',
    '{{ $value | humanizePercentage }} of HTTP attempts to {{ $labels.provider }} got a 5xx, timed out or could not connect over the last 5 minutes.',
  ),
  rule(
    'PaymentsOperationLatencyHigh',
    'histogram_quantile(0.99, sum by (operation, le) (rate(payments_graphql_operation_duration_seconds_bucket{type!="none"}[5m]))) > 5',
    '10m',
    'warning',
    'p99 of {{ $labels.operation }} above 5 s',
    'The 99th percentile of {{ $labels.operation }} is {{ $value | humanizeDuration }}: half the provider deadline; the router gives up at 20 s.',
  ),
  rule(
    'PaymentsWebhookSignatureFailures',
    'sum by (provider) (increase(payments_webhooks_total{result="unauthorized"}[15m])) > 5',
    '0m',
    'warning',
    '{{ $labels.provider }} webhooks refused for their signature',
    '{{ $value }} deliveries to the {{ $labels.provider }} webhook were refused (401) in 15 minutes: a secret out of step with the provider, or forgeries.',
  ),
  rule(
    'PaymentsStoreErrors',
    'sum(rate(payments_store_query_duration_seconds_count{outcome="error"}[5m])) / sum(rate(payments_store_query_duration_seconds_count[5m])) > 0.01',
    '5m',
    'critical',
    'More than 1% of store statements fail',
    '{{ $value | humanizePercentage }} of SQL statements failed over the last 5 minutes: creates and reads are failing with them.',
  ),
  rule(
    'PaymentsReadinessFlapping',
    'max by (pod) (changes(kube_pod_status_ready{namespace="payments", pod=~"payments-.*", condition="true"}[15m])) > 4',
    '0m',
    'warning',
    '{{ $labels.pod }} keeps going in and out of readiness',
    '{{ $labels.pod }} changed readiness {{ $value }} times in 15 minutes: the store answering slowly, or the pod shedding load.',
  ),
  rule(
    'PaymentsShedding',
    'sum(rate(payments_graphql_requests_shed_total[5m])) > 0',
    '5m',
    'warning',
    'The subgraph has been shedding requests for 5 minutes',
    '/graphql requests are answered 503 SERVICE_OVERLOADED ({{ $value | humanize }}/s): too many in flight, or the event loop behind.',
  ),
  rule(
    'PaymentsProviderBulkheadSaturated',
    'sum by (provider) (rate(payments_provider_calls_refused_total{reason="saturated"}[5m])) > 0',
    '5m',
    'warning',
    'Calls to {{ $labels.provider }} refused: its bulkhead is full',
    'Calls to {{ $labels.provider }} are refused before being sent because as many are running and queued as allowed: the provider is slow.',
  ),
  rule(
    'PaymentsSupersededIntentsRising',
    'sum by (provider) (increase(payments_superseded_intents_total[1h])) > 0',
    '0m',
    'warning',
    'Superseded {{ $labels.provider }} intents in the last hour',
    '{{ $value }} intents at {{ $labels.provider }} were created for a key whose answer was lost after another intent was handed out.',
  ),
  rule(
    'PaymentsSubscriptionLagHigh',
    'histogram_quantile(0.99, sum by (le) (rate(payments_subscription_notification_lag_seconds_bucket[5m]))) > 2',
    '10m',
    'warning',
    'Subscribers hear of changes more than 2 s after the store wrote them',
    'The 99th percentile from a change written to the store to its push to a subscriber is {{ $value | humanizeDuration }}: announcements, re-reads or sockets are slow.',
  ),
];
