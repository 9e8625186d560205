import { runLoad } from '../load-run.ts';
import { residentMemory } from '../process-usage.ts';
import type { Scenario } from '../scenarios.ts';
import { collectGarbage } from './full-collection.ts';
import { metricSum, scrape } from './prometheus-sample.ts';

const TENTHS = 10;
/** The bound on growth over 100,000 operations. */
const MAX_GROWTH = 0.1;

export interface MemoryOverOperations {
  readonly store: string;
  readonly operations: number;
  /** At the end of each tenth of the operations, MB. */
  readonly rssMb: readonly number[];
  /**
   * The used heap right after a full collection at the end of each tenth, MB: what is live. Without
   * the collection, a sample would mostly measure how much garbage waits for the next one.
   */
  readonly liveHeapMb: readonly number[];
  /** From the first three tenths (warmed up) to the last three, averaged. */
  readonly rssGrowth: number;
  readonly heapGrowth: number;
  readonly withinBound: boolean;
}

/**
 * The scenarios' requests in turn against one subgraph, in ten closed-loop runs of a tenth each; the
 * subgraph must have been started with COLLECTABLE_NODE_OPTIONS.
 */
export async function measureMemory(
  scenarios: readonly Scenario[],
  metricsUrl: string,
  operations: number,
  connections: number,
): Promise<MemoryOverOperations> {
  const [read, ...others] = scenarios;
  const mixed: Scenario = {
    ...read!,
    request: { ...read!.request, bodies: [read!, ...others].flatMap((scenario) => scenario.request.bodies) },
  };
  const rssMb: number[] = [];
  const liveHeapMb: number[] = [];
  for (let tenth = 0; tenth < TENTHS; tenth += 1) {
    await runLoad(mixed, { mode: 'closed', seconds: 600, connections, requests: operations / TENTHS });
    rssMb.push(residentMemory(read!.server.pid).rssMb);
    await collectGarbage(read!.server);
    liveHeapMb.push(metricSum(await scrape(metricsUrl), 'payments_nodejs_heap_size_used_bytes') / 2 ** 20);
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const growth = (values: number[]) => mean(values.slice(-3)) / mean(values.slice(0, 3)) - 1;
  return {
    store: read!.store,
    operations,
    rssMb,
    liveHeapMb,
    rssGrowth: growth(rssMb),
    heapGrowth: growth(liveHeapMb),
    withinBound: growth(rssMb) <= MAX_GROWTH && growth(liveHeapMb) <= MAX_GROWTH,
  };
}
