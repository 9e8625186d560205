/** The subgraph's own routes; each provider's webhook route is its module's (ProviderWebhook.path). */
export const ROUTES = {
  graphql: '/graphql',
  /** The process answers: a liveness probe. */
  liveness: '/health/live',
  /** Serving: started, not draining, not shedding load, the store reachable (a provider outage does not count). */
  readiness: '/health/ready',
  /** Prometheus text format. */
  metrics: '/metrics',
  /** The files of the IDE page (served on GET /graphql to a browser when GRAPHQL_PLAYGROUND is on). */
  playgroundAssets: '/playground/',
} as const;
