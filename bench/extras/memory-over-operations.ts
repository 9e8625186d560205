import { runLoad } from '../load-run.ts';
import { residentMemory } from '../process-usage.ts';
import type { Scenario } from '../scenarios.ts';
import { metricSum, scrape } from './prometheus-sample.ts';

const SAMPLES = 10;
/** The bound on growth over 100,000 operations. */
const MAX_GROWTH = 0.1;

export interface MemoryOverOperations {
  readonly store: string;
  readonly operations: number;
  /** After each tenth of the operations, MB. */
  readonly rssMb: readonly number[];
  readonly heapUsedMb: readonly number[];
  /**
   * From the first three samples (warmed up) to the last three, averaged: used heap moves with every
   * collection, a single sample at each end would measure the collector's timing.
   */
  readonly rssGrowth: number;
  readonly heapGrowth: number;
  readonly withinBound: boolean;
}

/**
 * Reads, replayed creates and `_entities` in turn against one subgraph, in ten closed-loop runs;
 * resident memory (the kernel's) and used heap (the process's /metrics) after each.
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
  const heapUsedMb: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    await runLoad(mixed, { mode: 'closed', seconds: 600, connections, requests: operations / SAMPLES });
    rssMb.push(residentMemory(read!.server.pid).rssMb);
    heapUsedMb.push(metricSum(await scrape(metricsUrl), 'payments_nodejs_heap_size_used_bytes') / 2 ** 20);
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const growth = (values: number[]) => mean(values.slice(-3)) / mean(values.slice(0, 3)) - 1;
  return {
    store: read!.store,
    operations,
    rssMb,
    heapUsedMb,
    rssGrowth: growth(rssMb),
    heapGrowth: growth(heapUsedMb),
    withinBound: growth(rssMb) <= MAX_GROWTH && growth(heapUsedMb) <= MAX_GROWTH,
  };
}
