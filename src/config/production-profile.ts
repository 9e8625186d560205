import { MIN_SCRUBBED_SECRET_LENGTH } from '../logging/logger.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';
import { databasePasswordOf } from './store-environment.ts';

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

/**
 * One problem per variable the production profile requires and `values` leaves unset, and per secret
 * too short to be scrubbed from the logs.
 */
export function productionProblems(
  values: Readonly<Record<string, string | undefined>>,
  providers: ProviderRegistry,
): string[] {
  const unset = productionRules(providers)
    .filter(({ variable }) => values[variable] === undefined)
    .map(({ variable, why }) => `${variable} must be set in production: ${why}`);
  return [...unset, ...shortSecretProblems(values, providers)];
}

/**
 * The secrets with no floor of their own, refused in production when the logs could not scrub them
 * (MIN_SCRUBBED_SECRET_LENGTH): a real key or password is longer, so a shorter one is a stand-in or a
 * mistake. Webhook secrets and ROUTER_SECRET are longer by rule everywhere.
 */
function shortSecretProblems(
  values: Readonly<Record<string, string | undefined>>,
  providers: ProviderRegistry,
): string[] {
  const secrets = [
    ...providers.modules.map(({ environment }) => ({
      name: environment.apiKeyVariable,
      value: values[environment.apiKeyVariable],
    })),
    { name: 'DATABASE_URL password', value: databasePasswordOf(values.DATABASE_URL) },
  ];
  return secrets
    .filter(({ value }) => value !== undefined && value.length < MIN_SCRUBBED_SECRET_LENGTH)
    .map(
      ({ name }) =>
        `${name} must be at least ${MIN_SCRUBBED_SECRET_LENGTH} characters in production: a shorter secret is guessable, and is not scrubbed from log lines`,
    );
}
