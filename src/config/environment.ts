import { z } from 'zod';
import type { RequestLimits } from '../graphql/request-limits.ts';
import type { LoadSheddingSettings } from '../http/load-shedder.ts';
import type { ProviderId } from '../payments/payment-intent.ts';
import type { ProviderRegistry } from '../providers/provider-registry.ts';
import { describeProblems, flag, integer, onceValid, unsetIfBlank, variablesOf } from './environment-values.ts';
import { productionProblems } from './production-profile.ts';
import type { ProviderSettings } from './provider-environment.ts';
import { StoreEnv, storeConfigOf, storeSecrets, type StoreConfig } from './store-environment.ts';
import { TracingEnv, tracingConfigOf, type TracingConfig } from './tracing-environment.ts';

// The one view of process.env (after the Hive console's environment.ts): a zod model per concern,
// and one per registered provider; every problem is reported at once, with the variable's name and
// never its value.

const ServerEnv = z.object({
  PORT: integer(0, 65_535).default(4001),
  /** Unset: all interfaces. */
  HOST: z.string().min(1).optional(),
  SHUTDOWN_GRACE_MS: integer(0, 120_000).default(10_000),
  /** Largest request body accepted (GraphQL documents, webhook deliveries). */
  HTTP_MAX_BODY_BYTES: integer(1_024, 100 * 1024 * 1024).default(1024 * 1024),
  /**
   * /graphql requests served at once; more are shed (503). Above what both providers' bulkheads
   * hold by default (2 × (64 + 64)), so that a slow provider meets its own bulkhead first.
   */
  HTTP_MAX_IN_FLIGHT_REQUESTS: integer(1, 100_000).default(512),
  /** Average event-loop lateness over half a second beyond which /graphql requests are shed (503). */
  EVENT_LOOP_MAX_DELAY_MS: integer(10, 60_000).default(200),
});

/** Headers whose values are credentials: echoing one as the request id would put it in logs and answers. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'cookie', 'x-router-secret']);

const LoggingEnv = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * The header a request's id comes in on (set by the ingress, propagated by the router) and is
   * answered with. HTTP header names are case-insensitive; node:http gives them lower-cased.
   */
  REQUEST_ID_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name (letters, digits, hyphens)')
    .transform((name) => name.toLowerCase())
    .refine((name) => !CREDENTIAL_HEADERS.has(name), 'must not be a header that carries a credential')
    .default('x-request-id'),
});

const ProviderHttpEnv = z.object({
  /** Whole budget of one provider call, retries included; well under a router's 30 s. */
  PROVIDER_DEADLINE_MS: integer(100, 25_000).default(10_000),
  PROVIDER_CONNECT_TIMEOUT_MS: integer(50, 25_000).default(3_000),
  /** Per attempt: wait for the response headers, and longest silence inside the body. */
  PROVIDER_READ_TIMEOUT_MS: integer(50, 25_000).default(8_000),
  PROVIDER_MAX_CONNECTIONS: integer(1, 1_024).default(64),
  /** Calls in flight to one provider at once; unset: PROVIDER_MAX_CONNECTIONS, one connection each. */
  PROVIDER_MAX_CONCURRENT_CALLS: integer(1, 1_024).optional(),
  /** Calls to one provider waiting for a slot; any beyond fail at once ('saturated', nothing sent). */
  PROVIDER_MAX_QUEUED_CALLS: integer(0, 10_000).default(64),
  PROVIDER_MAX_RETRIES: integer(0, 2).default(2),
  PROVIDER_RETRY_BASE_DELAY_MS: integer(0, 5_000).default(100),
  /** Consecutive failed calls to one provider that open its circuit. */
  PROVIDER_BREAKER_FAILURES: integer(1, 1_000).default(5),
  /** How long an open circuit fails calls fast before a probe call is let through. */
  PROVIDER_BREAKER_COOLDOWN_MS: integer(100, 600_000).default(10_000),
});

const IdempotencyEnv = z.object({
  /** How long a duplicate create waits for the first one before IDEMPOTENCY_KEY_IN_USE. */
  IDEMPOTENCY_WAIT_MS: integer(0, 60_000).default(15_000),
  /**
   * How long a replica holds a create before another may take it over (the holder is presumed
   * dead). Must outlast the provider deadline, or a slow live create could be taken over.
   */
  IDEMPOTENCY_LEASE_MS: integer(100, 600_000).default(30_000),
  /** How often expired idempotency records are deleted. */
  IDEMPOTENCY_PURGE_INTERVAL_MS: integer(1_000, 86_400_000).default(3_600_000),
});

const FreshnessEnv = z.object({
  /** How long a stored non-terminal intent is served before its provider is asked again. */
  INTENT_FRESHNESS_MS: integer(0, 86_400_000).default(5_000),
  /** Intents a replica keeps in memory between reads (src/store/cached-payment-intent-repository.ts); 0: none. */
  INTENT_CACHE_MAX_ENTRIES: integer(0, 10_000_000).default(10_000),
});

const SubscriptionsEnv = z.object({
  /** Subscriptions one WebSocket connection may hold at once; the next one is refused with an error. */
  SUBSCRIPTIONS_MAX_PER_CONNECTION: integer(1, 10_000).default(100),
  /**
   * Subscriptions the process serves at once, all connections together; the next one is refused.
   * Each holds some tens of KiB (docs/decisions/subscriptions.md): the default fits a small pod.
   */
  SUBSCRIPTIONS_MAX_PER_PROCESS: integer(1, 1_000_000).default(2_000),
  /** Interval of the WebSocket pings; a socket that does not answer one within it is closed. */
  SUBSCRIPTIONS_KEEPALIVE_MS: integer(1_000, 600_000).default(12_000),
});

const RuntimeEnv = z.object({
  /** `production` turns the production profile on (production-profile.ts). */
  NODE_ENV: z.string().optional(),
  /** Introspection of the API schema; default on, off in production. `_service` stays for composition. */
  GRAPHQL_INTROSPECTION: flag.optional(),
  /** The IDE page served on GET /graphql; default on, off in production. */
  GRAPHQL_PLAYGROUND: flag.optional(),
});

const RequestLimitsEnv = z.object({
  /** Field nesting, introspection included (its type references nest about 13 deep). */
  GRAPHQL_MAX_DEPTH: integer(1, 100).default(15),
  GRAPHQL_MAX_ALIASES: integer(0, 1_000).default(15),
  GRAPHQL_MAX_DIRECTIVES: integer(0, 1_000).default(10),
  /** Tokens of one document, refused while parsing. */
  GRAPHQL_MAX_TOKENS: integer(100, 100_000).default(2_000),
  /** Objects one operation may resolve, list sizes multiplied in (request-limits.ts). */
  GRAPHQL_MAX_COST: integer(10, 10_000_000).default(5_000),
  /** Distinct intents one request may read from providers; beyond, the stored copy or an error. */
  PROVIDER_READS_PER_REQUEST: integer(1, 10_000).default(100),
  /** How long a provider's "no such intent" is remembered, so stale references cannot drain its rate limit. */
  PROVIDER_NOT_FOUND_TTL_MS: integer(0, 86_400_000).default(60_000),
});

const FederationEnv = z.object({
  /** Shared with the router (router.yaml): when set, /graphql refuses requests without it. */
  ROUTER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Provider GETs in flight at once for the distinct ids of one request's entity batch. */
  ENTITY_FETCH_CONCURRENCY: integer(1, 64).default(8),
});

const CoreEnvironment = z
  .object({
    server: ServerEnv,
    logging: LoggingEnv,
    providerHttp: ProviderHttpEnv,
    idempotency: IdempotencyEnv,
    store: StoreEnv,
    freshness: FreshnessEnv,
    subscriptions: SubscriptionsEnv,
    federation: FederationEnv,
    runtime: RuntimeEnv,
    limits: RequestLimitsEnv,
    tracing: TracingEnv,
  })
  .superRefine(
    ({ idempotency, providerHttp }, context) => {
      if (idempotency.IDEMPOTENCY_LEASE_MS <= providerHttp.PROVIDER_DEADLINE_MS) {
        context.addIssue({
          code: 'custom',
          path: ['idempotency', 'IDEMPOTENCY_LEASE_MS'],
          message: 'must be longer than PROVIDER_DEADLINE_MS',
        });
      }
    },
    onceValid('IDEMPOTENCY_LEASE_MS', 'PROVIDER_DEADLINE_MS'),
  );

export interface Config {
  /** NODE_ENV=production: the production profile's rules held at start-up. */
  readonly production: boolean;
  readonly introspection: boolean;
  readonly playground: boolean;
  readonly port: number;
  readonly host: string | undefined;
  readonly shutdownGraceMs: number;
  readonly maxBodyBytes: number;
  readonly loadShedding: LoadSheddingSettings;
  readonly logLevel: z.infer<typeof LoggingEnv>['LOG_LEVEL'];
  /** Lower-cased: where a request's id is read from and answered in. */
  readonly requestIdHeader: string;
  readonly tracing: TracingConfig;
  /** Each registered provider's settings, by provider id. */
  readonly providers: Readonly<Record<ProviderId, ProviderSettings>>;
  readonly providerHttp: ProviderHttpSettings;
  readonly idempotency: {
    readonly waitForInFlightMs: number;
    readonly retentionMs: number;
    readonly leaseMs: number;
    readonly purgeIntervalMs: number;
  };
  readonly store: StoreConfig;
  readonly intentFreshnessMs: number;
  /** 0: every read asks the store. */
  readonly intentCacheMaxEntries: number;
  readonly subscriptions: SubscriptionSettings;
  readonly entityFetchConcurrency: number;
  readonly requestLimits: RequestLimits;
  readonly providerReads: {
    /** Distinct intents one request may read from providers. */
    readonly perRequest: number;
    /** How long a provider's "not found" is remembered. */
    readonly notFoundTtlMs: number;
  };
  /** Null: any caller may query (local development, tests). */
  readonly routerSecret: string | null;
}

/** GraphQL subscriptions over WebSocket (src/http/graphql-websocket-server.ts, src/subscriptions/). */
export interface SubscriptionSettings {
  readonly maxPerConnection: number;
  readonly maxPerProcess: number;
  readonly keepAliveMs: number;
}

/** How the subgraph calls providers (src/providers/http/). */
export interface ProviderHttpSettings {
  /** Overall budget of one call, retries and their waits included. */
  readonly deadlineMs: number;
  readonly connectTimeoutMs: number;
  /** Longest wait for the response headers of one attempt. */
  readonly headersTimeoutMs: number;
  /** Longest silence between two body chunks of one attempt. */
  readonly bodyTimeoutMs: number;
  /** Connection cap of the pool kept for each provider origin. */
  readonly maxConnectionsPerOrigin: number;
  /** Retries after the first attempt (at most 2 by configuration). */
  readonly maxRetries: number;
  /** First backoff; doubles on each retry and is randomised by a factor in [1, 2). */
  readonly retryBaseDelayMs: number;
  readonly bulkhead: {
    /** Calls running at once against one provider. */
    readonly maxConcurrentCalls: number;
    /** Calls waiting for one of those slots; a call beyond them is refused without being sent. */
    readonly maxQueuedCalls: number;
  };
  readonly circuitBreaker: {
    /** Consecutive failed calls (no answer, or a 5xx after the retries) that open the circuit. */
    readonly failureThreshold: number;
    /** How long an open circuit refuses calls before one probe call may test the provider. */
    readonly halfOpenAfterMs: number;
  };
}

export type ConfigResult =
  { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly problems: string[] };

/** A day: as long as the longest replay window of a provider's own idempotency key (docs/decisions/idempotency.md). */
const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Reads the environment for these providers; every problem is named, none stops the others being found. */
export function loadConfig(env: NodeJS.ProcessEnv, providers: ProviderRegistry): ConfigResult {
  const values = unsetIfBlank(env);
  const core = CoreEnvironment.safeParse({
    server: values,
    logging: values,
    providerHttp: values,
    idempotency: values,
    store: values,
    freshness: values,
    subscriptions: values,
    federation: values,
    runtime: values,
    limits: values,
    tracing: values,
  });
  const problems = core.success ? [] : describeProblems(core.error);
  const production = values.NODE_ENV === 'production';
  if (production) problems.push(...productionProblems(values, providers));
  const settings: Record<ProviderId, ProviderSettings> = {};
  for (const module of providers.modules) {
    const parsed = module.environment.schema.safeParse(values);
    if (parsed.success) settings[module.id] = parsed.data;
    else problems.push(...describeProblems(parsed.error));
  }
  if (!core.success || problems.length > 0) return { ok: false, problems };

  const {
    server,
    logging,
    providerHttp,
    idempotency,
    store,
    freshness,
    subscriptions,
    federation,
    runtime,
    limits,
    tracing,
  } = core.data;
  return {
    ok: true,
    config: {
      production,
      introspection: runtime.GRAPHQL_INTROSPECTION ?? !production,
      playground: runtime.GRAPHQL_PLAYGROUND ?? !production,
      port: server.PORT,
      host: server.HOST,
      shutdownGraceMs: server.SHUTDOWN_GRACE_MS,
      maxBodyBytes: server.HTTP_MAX_BODY_BYTES,
      loadShedding: {
        maxInFlightRequests: server.HTTP_MAX_IN_FLIGHT_REQUESTS,
        maxEventLoopDelayMs: server.EVENT_LOOP_MAX_DELAY_MS,
      },
      logLevel: logging.LOG_LEVEL,
      requestIdHeader: logging.REQUEST_ID_HEADER,
      tracing: tracingConfigOf(tracing),
      providers: settings,
      providerHttp: {
        deadlineMs: providerHttp.PROVIDER_DEADLINE_MS,
        connectTimeoutMs: providerHttp.PROVIDER_CONNECT_TIMEOUT_MS,
        headersTimeoutMs: providerHttp.PROVIDER_READ_TIMEOUT_MS,
        bodyTimeoutMs: providerHttp.PROVIDER_READ_TIMEOUT_MS,
        maxConnectionsPerOrigin: providerHttp.PROVIDER_MAX_CONNECTIONS,
        maxRetries: providerHttp.PROVIDER_MAX_RETRIES,
        retryBaseDelayMs: providerHttp.PROVIDER_RETRY_BASE_DELAY_MS,
        bulkhead: {
          maxConcurrentCalls: providerHttp.PROVIDER_MAX_CONCURRENT_CALLS ?? providerHttp.PROVIDER_MAX_CONNECTIONS,
          maxQueuedCalls: providerHttp.PROVIDER_MAX_QUEUED_CALLS,
        },
        circuitBreaker: {
          failureThreshold: providerHttp.PROVIDER_BREAKER_FAILURES,
          halfOpenAfterMs: providerHttp.PROVIDER_BREAKER_COOLDOWN_MS,
        },
      },
      idempotency: {
        waitForInFlightMs: idempotency.IDEMPOTENCY_WAIT_MS,
        retentionMs: IDEMPOTENCY_RETENTION_MS,
        leaseMs: idempotency.IDEMPOTENCY_LEASE_MS,
        purgeIntervalMs: idempotency.IDEMPOTENCY_PURGE_INTERVAL_MS,
      },
      store: storeConfigOf(store),
      intentFreshnessMs: freshness.INTENT_FRESHNESS_MS,
      intentCacheMaxEntries: freshness.INTENT_CACHE_MAX_ENTRIES,
      subscriptions: {
        maxPerConnection: subscriptions.SUBSCRIPTIONS_MAX_PER_CONNECTION,
        maxPerProcess: subscriptions.SUBSCRIPTIONS_MAX_PER_PROCESS,
        keepAliveMs: subscriptions.SUBSCRIPTIONS_KEEPALIVE_MS,
      },
      entityFetchConcurrency: federation.ENTITY_FETCH_CONCURRENCY,
      requestLimits: {
        maxDepth: limits.GRAPHQL_MAX_DEPTH,
        maxAliases: limits.GRAPHQL_MAX_ALIASES,
        maxDirectives: limits.GRAPHQL_MAX_DIRECTIVES,
        maxTokens: limits.GRAPHQL_MAX_TOKENS,
        maxCost: limits.GRAPHQL_MAX_COST,
      },
      providerReads: { perRequest: limits.PROVIDER_READS_PER_REQUEST, notFoundTtlMs: limits.PROVIDER_NOT_FOUND_TTL_MS },
      routerSecret: federation.ROUTER_SECRET ?? null,
    },
  };
}

/** Every secret value of a configuration, for the logger to scrub from every line. */
export function configSecrets(config: Config): string[] {
  const providerSecrets = Object.values(config.providers).flatMap((settings) => [
    settings.credentials?.apiKey,
    settings.webhookSecret,
  ]);
  const exporterSecrets = config.tracing.enabled ? config.tracing.headerValues : [];
  return [...providerSecrets, config.routerSecret, ...storeSecrets(config.store), ...exporterSecrets].filter(
    (secret): secret is string => typeof secret === 'string' && secret !== '',
  );
}

/** Every variable the subgraph reads, for checks that a deployment sets nothing it would ignore. */
export function knownVariables(providers: ProviderRegistry): string[] {
  const models = [
    ServerEnv,
    LoggingEnv,
    ProviderHttpEnv,
    IdempotencyEnv,
    StoreEnv,
    FreshnessEnv,
    SubscriptionsEnv,
    FederationEnv,
    RuntimeEnv,
    RequestLimitsEnv,
    TracingEnv,
  ];
  const providerVariables = providers.modules.flatMap(({ environment }) =>
    [environment.apiKeyVariable, environment.baseUrlVariable, environment.webhookSecretVariable].filter(
      (name) => name !== null,
    ),
  );
  return [...models.flatMap(variablesOf), ...providerVariables];
}
