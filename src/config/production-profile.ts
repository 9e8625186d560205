import type { ProviderRegistry } from '../providers/provider-registry.ts';

/**
 * What `NODE_ENV=production` refuses to start without: the conveniences that make `npm start` easy on
 * a laptop are dangerous on a cluster of replicas. Each rule names its variable and says why.
 */
export function productionRules(providers: ProviderRegistry): { readonly variable: string; readonly why: string }[] {
  return [
    {
      variable: 'DATABASE_URL',
      why: 'the embedded store serves one process on one machine; replicas must share PostgreSQL, or a retried create landing on another replica would create a second intent',
    },
    { variable: 'ROUTER_SECRET', why: 'only the router may call a production subgraph' },
    ...providers.modules.flatMap(({ displayName, environment }) => [
      {
        variable: environment.apiKeyVariable,
        why: `the built-in ${displayName} emulator never serves production traffic`,
      },
      ...(environment.webhookSecretVariable === null
        ? []
        : [
            {
              variable: environment.webhookSecretVariable,
              why: `without it ${displayName}'s status changes arrive only on reads`,
            },
          ]),
    ]),
  ];
}

/** One problem per variable the production profile requires and `values` leaves unset. */
export function productionProblems(
  values: Readonly<Record<string, string | undefined>>,
  providers: ProviderRegistry,
): string[] {
  return productionRules(providers)
    .filter(({ variable }) => values[variable] === undefined)
    .map(({ variable, why }) => `${variable} must be set in production: ${why}`);
}
