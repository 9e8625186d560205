import type { TestStack } from './test-stack.ts';

/** The subgraph's GET /metrics, as Prometheus scrapes it: of a test stack, or of a process at this URL (any of its routes). */
export async function scrapeMetrics(subgraph: TestStack | string): Promise<string> {
  const url = typeof subgraph === 'string' ? subgraph : subgraph.app.graphqlUrl;
  const response = await fetch(new URL('/metrics', url));
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}

/**
 * The sum of a counter's (or a gauge's) samples whose labels include `labels` (all of its samples by default);
 * 0 when there is none yet (prom-client shows a labelled counter only once it was incremented).
 */
export function counterValue(metricsText: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of metricsText.split('\n')) {
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (sample?.[1] !== name) continue;
    const sampleLabels = Object.fromEntries(
      [...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (Object.entries(labels).every(([key, value]) => sampleLabels[key] === value)) sum += Number(sample[3]);
  }
  return sum;
}

export interface StoreAndProviderCost<T> {
  readonly result: T;
  /** payments_store_queries_total during the work. */
  readonly storeQueries: number;
  /** payments_provider_requests_total during the work, every operation and outcome. */
  readonly providerRequests: number;
}

/** What `work` cost the subgraph, read from its own metrics before and after. */
export async function measureCost<T>(stack: TestStack, work: () => Promise<T>): Promise<StoreAndProviderCost<T>> {
  const read = (text: string) => ({
    store: counterValue(text, 'payments_store_queries_total'),
    provider: counterValue(text, 'payments_provider_requests_total'),
  });
  const before = read(await scrapeMetrics(stack));
  const result = await work();
  const after = read(await scrapeMetrics(stack));
  return { result, storeQueries: after.store - before.store, providerRequests: after.provider - before.provider };
}
