import type { BenchStack, Subgraph } from '../bench-stack.ts';
import { entitiesBody, graphql } from '../operations.ts';
import { ENTITY_REFERENCES } from '../scenarios.ts';
import { metricSum, scrape } from './prometheus-sample.ts';

const WARM_REQUESTS = 10;

/** What one `_entities` request with 100 references (30 distinct) costs a subgraph. */
export interface EntityCosts {
  readonly subgraph: string;
  /** The first request after start, nothing of it in the process's memory yet. */
  readonly cold: RequestCosts;
  /** Averages of the next WARM_REQUESTS. */
  readonly warm: RequestCosts;
}

interface RequestCosts {
  /** SQL statements sent to the store (payments_store_queries_total). */
  readonly storeRoundTrips: number;
  /** GETs the provider emulator counted. */
  readonly providerCalls: number;
}

/**
 * Store round trips from the subgraph's /metrics, provider calls from the emulator's own count;
 * taken before any load, so that the first request meets an empty memory.
 */
export async function measureEntityCosts(stack: BenchStack): Promise<EntityCosts[]> {
  const costs: EntityCosts[] = [];
  for (const subgraph of stack.subgraphs) {
    const body = entitiesBody(subgraph.ids, ENTITY_REFERENCES);
    costs.push({
      subgraph: `${subgraph.store}, ${subgraph.freshness === 'fresh' ? 'inside the window' : 'outside the window'}`,
      cold: await costOf(stack, subgraph, body, 1),
      warm: await costOf(stack, subgraph, body, WARM_REQUESTS),
    });
  }
  return costs;
}

async function costOf(stack: BenchStack, subgraph: Subgraph, body: string, requests: number): Promise<RequestCosts> {
  const before = await counts(stack, subgraph);
  for (let index = 0; index < requests; index += 1) await graphql(subgraph.graphqlUrl, body);
  const after = await counts(stack, subgraph);
  return {
    storeRoundTrips: (after.storeQueries - before.storeQueries) / requests,
    providerCalls: (after.providerReads - before.providerReads) / requests,
  };
}

async function counts(stack: BenchStack, subgraph: Subgraph) {
  const stats = (await (await fetch(new URL('/__emulator/stats', stack.zopay.baseUrl))).json()) as {
    readRequests: number;
  };
  return {
    storeQueries: metricSum(await scrape(subgraph.metricsUrl), 'payments_store_queries_total'),
    providerReads: stats.readRequests,
  };
}
