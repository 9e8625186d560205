import type { SubgraphFetchLog } from './subgraph-fetches.ts';

/** A subgraph as a router is configured for it. */
export interface GatewaySubgraph {
  readonly name: string;
  readonly url: string;
  /** Headers the router adds to every request to this subgraph (router.yaml's `headers.subgraphs`). */
  readonly headers: Readonly<Record<string, string>>;
}

/** What a router under test is given: its subgraphs, and where to record what it sends them. */
export interface GatewaySetup {
  readonly subgraphs: readonly GatewaySubgraph[];
  readonly fetches: SubgraphFetchLog;
}

/** A router listening on 127.0.0.1. */
export interface StartedGateway {
  /** Where clients POST GraphQL, e.g. http://127.0.0.1:PORT/graphql */
  readonly url: string;
  stop(): Promise<void>;
}
