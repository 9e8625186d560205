import { HTTP_PORT } from './app-runtime.ts';
import type { EnvironmentValues } from './environments.ts';
import { SHUTDOWN_GRACE_MS } from './pod-termination.ts';

// Every environment variable the Deployment gives the app, in one place: plain settings go to
// the ConfigMap, secrets are referenced by Secret name and key and never written anywhere here.
// Whatever is not listed keeps the app's default.

/** A key of a Secret the operator creates (deploy/README.md). */
export interface SecretKeyReference {
  readonly secret: string;
  readonly key: string;
}

export type ContainerVariable = { readonly value: string } | { readonly fromSecret: SecretKeyReference };

export type PlainVariableName =
  | 'NODE_ENV'
  | 'STORE_MIGRATIONS'
  | 'GRAPHQL_INTROSPECTION'
  | 'GRAPHQL_PLAYGROUND'
  | 'PORT'
  | 'LOG_LEVEL'
  | 'SHUTDOWN_GRACE_MS'
  | 'DATABASE_MAX_CONNECTIONS'
  | 'SUBSCRIPTIONS_MAX_PER_PROCESS'
  | 'SUBSCRIPTIONS_MAX_PER_CONNECTION';

export type SecretVariableName =
  'ZOPAY_API_KEY' | 'ZIINA_API_KEY' | 'ZIINA_WEBHOOK_SECRET' | 'DATABASE_URL' | 'ROUTER_SECRET';

export type ContainerEnvironment = Readonly<Record<PlainVariableName, { readonly value: string }>> &
  Readonly<Record<SecretVariableName, { readonly fromSecret: SecretKeyReference }>>;

/** One Secret per owner, so each can be rotated alone; keys are the variables' names. */
export const SECRET_NAMES = {
  /** The providers' API keys and Ziina's webhook signing secret. */
  providers: 'payments-providers',
  /** The PostgreSQL URL, with the app's user and password. */
  database: 'payments-database',
  /** Shared with the router, which sends it as x-router-secret (PAYMENTS_ROUTER_SECRET there). */
  router: 'payments-router',
} as const;

const fromSecret = (secret: string, key: SecretVariableName) => ({ fromSecret: { secret, key } });

export function containerEnvironment(environment: EnvironmentValues): ContainerEnvironment {
  return {
    NODE_ENV: { value: 'production' },
    // The app refuses to start while migrations are pending; the init container applies them.
    STORE_MIGRATIONS: { value: 'verify' },
    GRAPHQL_INTROSPECTION: { value: 'false' },
    GRAPHQL_PLAYGROUND: { value: 'false' },
    // Explicit, so the containerPort cannot drift from the app's default.
    PORT: { value: String(HTTP_PORT) },
    LOG_LEVEL: { value: environment.logLevel },
    SHUTDOWN_GRACE_MS: { value: String(SHUTDOWN_GRACE_MS) },
    DATABASE_MAX_CONNECTIONS: { value: String(environment.databaseMaxConnections) },
    SUBSCRIPTIONS_MAX_PER_PROCESS: { value: String(environment.subscriptions.maxPerProcess) },
    SUBSCRIPTIONS_MAX_PER_CONNECTION: { value: String(environment.subscriptions.maxPerConnection) },
    ZOPAY_API_KEY: fromSecret(SECRET_NAMES.providers, 'ZOPAY_API_KEY'),
    ZIINA_API_KEY: fromSecret(SECRET_NAMES.providers, 'ZIINA_API_KEY'),
    ZIINA_WEBHOOK_SECRET: fromSecret(SECRET_NAMES.providers, 'ZIINA_WEBHOOK_SECRET'),
    DATABASE_URL: fromSecret(SECRET_NAMES.database, 'DATABASE_URL'),
    ROUTER_SECRET: fromSecret(SECRET_NAMES.router, 'ROUTER_SECRET'),
  };
}

/** The plain settings, as the ConfigMap's data. */
export function plainValues(environment: ContainerEnvironment): Record<string, string> {
  const variables: [string, ContainerVariable][] = Object.entries(environment);
  return Object.fromEntries(
    variables.flatMap(([name, variable]) => ('value' in variable ? [[name, variable.value]] : [])),
  );
}

/** The secrets, each as the Secret key the container reads it from. */
export function secretReferences(environment: ContainerEnvironment): [SecretVariableName, SecretKeyReference][] {
  const variables = Object.entries(environment) as [PlainVariableName | SecretVariableName, ContainerVariable][];
  return variables.flatMap(([name, variable]) =>
    'fromSecret' in variable ? [[name as SecretVariableName, variable.fromSecret]] : [],
  );
}
