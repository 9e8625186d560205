/** One request a gateway sent to a subgraph to execute an operation, and the subgraph's answer. */
export interface SubgraphFetch {
  readonly subgraph: string;
  readonly query: string;
  readonly variables: Record<string, unknown> | undefined;
  /** The `representations` variable of an `_entities` fetch, else empty. */
  readonly representations: readonly Record<string, unknown>[];
  /** The subgraph's parsed answer, once it arrived. */
  response?: {
    data?: Record<string, unknown> | null;
    errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  };
}

/**
 * Every operation fetch a gateway made to a subgraph, in order, as the gateway's own hooks saw it
 * leave (schema loading is not recorded), so tests can count what reached the payments subgraph.
 */
export class SubgraphFetchLog {
  readonly all: SubgraphFetch[] = [];

  record(subgraph: string, query: string, variables: Record<string, unknown> | undefined): SubgraphFetch {
    const representations = variables?.representations;
    const fetch: SubgraphFetch = {
      subgraph,
      query,
      variables,
      representations: Array.isArray(representations) ? (representations as Record<string, unknown>[]) : [],
    };
    this.all.push(fetch);
    return fetch;
  }

  /** The `_entities` fetches sent to one subgraph (all of them, or those from index `since` on). */
  entityFetches(subgraph: string, since = 0): SubgraphFetch[] {
    return this.all.slice(since).filter((fetch) => fetch.subgraph === subgraph && /\b_entities\b/.test(fetch.query));
  }
}
