import { describe, expect, it } from 'vitest';
import { ziinaWebhook } from '../../src/providers/ziina/ziina-webhook.ts';
import { ziinaCreateInput, zopayCreateInput } from '../support/builders.ts';
import { providerIdOf } from '../support/emulator-admin.ts';
import {
  CREATE_PAYMENT_INTENT,
  GET_PAYMENT_INTENT,
  LIST_PAYMENT_INTENTS,
  type CreatePayload,
} from '../support/operations.ts';
import { scrapeMetrics } from '../support/subgraph-metrics.ts';
import { readCommittedManifests, type KubernetesObject } from '../support/synthesized-manifests.ts';
import { useTestStack, type TestStack } from '../support/test-stack.ts';
import { postToSubgraphWebhook, subgraphWebhookUrl } from '../support/ziina-webhook-client.ts';

// The alerting rules and the dashboard, as committed in deploy/dist, may only query metrics that the
// subgraph's GET /metrics really exports: a renamed metric would leave an alert silent forever. The
// stack is exercised first (creates, a replay, a conflict, refused input, reads, a listing, webhooks
// signed and forged), so that every labelled series exists when it is scraped.

/** Produced by kube-state-metrics, not by the subgraph. */
const KUBE_STATE_METRICS = new Set(['kube_pod_status_ready']);
const WEBHOOK_SECRET = 'a-webhook-secret-for-the-monitoring-test';

/** Every PromQL expression of the rules and the dashboard panels of one environment's manifests. */
function expressionsOf(objects: readonly KubernetesObject[]): string[] {
  const rules = objects
    .filter((object) => object.kind === 'PrometheusRule')
    .flatMap((object) => (object as unknown as { spec: { groups: { rules: { expr: string }[] }[] } }).spec.groups)
    .flatMap((group) => group.rules.map((rule) => rule.expr));
  const dashboards = objects
    .filter((object) => object.kind === 'ConfigMap' && object.metadata.labels?.grafana_dashboard === '1')
    .flatMap((object) => Object.values((object as unknown as { data: Record<string, string> }).data))
    .flatMap((json) => (JSON.parse(json) as { panels: { targets: { expr: string }[] }[] }).panels)
    .flatMap((panel) => panel.targets.map((target) => target.expr));
  return [...rules, ...dashboards];
}

/** Metric names in PromQL: identifiers of this service or of kube-state-metrics (label names and functions are neither). */
function metricNamesOf(expression: string): string[] {
  return [...expression.matchAll(/\b(?:payments|kube)_[a-z0-9_]+\b/g)].map(([name]) => name);
}

/**
 * Every series name the scrape holds, plus those its `# TYPE` lines declare: a labelled histogram
 * such as the GC's has no sample until its first event (a collection in this process), but its
 * name is exported all the same.
 */
function exportedSeriesNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const line of scrape.split('\n')) {
    const declared = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (declared !== null) {
      const [, name, type] = declared;
      const suffixes =
        type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['_sum', '_count'] : [];
      for (const suffix of ['', ...suffixes]) names.add(`${name!}${suffix}`);
    } else if (line !== '' && !line.startsWith('#')) names.add(/^[a-zA-Z_:][\w:]*/.exec(line)![0]);
  }
  return names;
}

async function exercise(subgraph: TestStack): Promise<void> {
  await ziinaWebhook.register(subgraph.ziina, subgraphWebhookUrl(subgraph), WEBHOOK_SECRET);
  const zopayInput = zopayCreateInput({}, 'monitoring-zopay-1');
  const created: CreatePayload[] = [];
  for (const input of [zopayInput, zopayInput, ziinaCreateInput({}, 'monitoring-ziina-1')]) {
    created.push((await subgraph.graphql(CREATE_PAYMENT_INTENT, { input })).data!.createPaymentIntent);
  }
  await subgraph.graphql(CREATE_PAYMENT_INTENT, {
    input: { ...zopayInput, provider: { zopay: { amount: '99.00', currencies: ['USDT'] } } },
  });
  await subgraph.graphql(CREATE_PAYMENT_INTENT, { input: zopayCreateInput({ amount: '0' }, 'monitoring-invalid-1') });
  for (const payload of created) await subgraph.graphql(GET_PAYMENT_INTENT, { id: payload.paymentIntent!.id });
  await subgraph.graphql(LIST_PAYMENT_INTENTS, {});
  expect(subgraph.ziina.setStatus(providerIdOf(created[2]!.paymentIntent!.id), 'completed')).toBe(true);
  await subgraph.ziina.webhooks.settled();
  await postToSubgraphWebhook(subgraph, '{"event":"payment_intent.status.updated"}', { 'x-hmac-signature': 'forged' });
}

const stack = useTestStack({ env: { ZIINA_WEBHOOK_SECRET: WEBHOOK_SECRET } }, exercise);

describe.each([...(await readCommittedManifests())])('%s alerting rules and dashboard', (_, objects) => {
  const expressions = expressionsOf(objects);

  it('query only metrics that GET /metrics exports', async () => {
    const exported = exportedSeriesNames(await scrapeMetrics(stack()));

    expect(expressions.length).toBeGreaterThan(20);
    const used = new Set(expressions.flatMap(metricNamesOf));
    const missing = [...used].filter((name) => !exported.has(name) && !KUBE_STATE_METRICS.has(name));
    expect(missing).toEqual([]);
    // The process metrics the dashboard shows come from prom-client's default collectors, prefixed.
    expect([...used]).toEqual(
      expect.arrayContaining([
        'payments_nodejs_eventloop_lag_p99_seconds',
        'payments_nodejs_heap_size_used_bytes',
        'payments_nodejs_gc_duration_seconds_sum',
      ]),
    );
  });
});
