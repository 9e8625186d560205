import { z } from 'zod';
import { describeProblems, httpUrl, integer, unsetIfBlank } from './environment-values.ts';

// The one view of process.env (after the Hive console's environment.ts): a zod model per
// concern, every problem reported at once with the variable's name, never its value.

const ServerEnv = z.object({
  PORT: integer(0, 65_535).default(4001),
  /** Unset: all interfaces. */
  HOST: z.string().min(1).optional(),
  SHUTDOWN_GRACE_MS: integer(0, 120_000).default(10_000),
});

const LoggingEnv = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

function providerEnv(keyVariable: string, urlVariable: string, key: z.ZodType<string>, defaultBaseUrl: string) {
  const shape: Record<string, z.ZodOptional<z.ZodType<string>>> = { [keyVariable]: key.optional(), [urlVariable]: httpUrl.optional() };
  return z
    .object(shape)
    .superRefine((values, context) => {
      // A base URL without a key would silently talk to the emulator instead: refuse it.
      if (values[urlVariable] !== undefined && values[keyVariable] === undefined) {
        context.addIssue({ code: 'custom', path: [keyVariable], message: `must be set when ${urlVariable} is set` });
      }
    })
    .transform((values): ProviderCredentials | null => {
      const apiKey = values[keyVariable];
      return apiKey === undefined ? null : { apiKey, baseUrl: values[urlVariable] ?? defaultBaseUrl };
    });
}

const ZopayEnv = providerEnv(
  'ZOPAY_API_KEY',
  'ZOPAY_BASE_URL',
  z.string().regex(/^sk_(live|test)_\S+$/, 'must be a Zopay Connect key (sk_live_... or sk_test_...)'),
  'https://api.zopay.cash/connect/v1',
);

const ZiinaEnv = providerEnv('ZIINA_API_KEY', 'ZIINA_BASE_URL', z.string().regex(/^\S+$/, 'must not contain spaces'), 'https://api-v2.ziina.com/api');

const ProviderHttpEnv = z.object({
  /** Whole budget of one provider call, retries included; well under a router's 30 s. */
  PROVIDER_DEADLINE_MS: integer(100, 25_000).default(10_000),
  PROVIDER_CONNECT_TIMEOUT_MS: integer(50, 25_000).default(3_000),
  /** Per attempt: wait for the response headers, and longest silence inside the body. */
  PROVIDER_READ_TIMEOUT_MS: integer(50, 25_000).default(8_000),
  PROVIDER_MAX_CONNECTIONS: integer(1, 1_024).default(64),
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
});

const StoreEnv = z.object({
  /** The shared PostgreSQL of all replicas; unset = PGlite embedded in the process, in DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  DATABASE_MAX_CONNECTIONS: integer(1, 1_000).default(10),
  /** The embedded store's folder (and the embedded emulators' state), for one process only. */
  DATA_DIR: z.string().min(1).default('./.data'),
  /** How long a stored non-terminal intent is served before its provider is asked again. */
  INTENT_FRESHNESS_MS: integer(0, 86_400_000).default(5_000),
});

const WebhooksEnv = z.object({
  /** Ziina signs webhooks with it (POST /webhook {url, secret}); unset with a real key = endpoint off. */
  ZIINA_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
});

const FederationEnv = z.object({
  /** Shared with the router (router.yaml): when set, /graphql refuses requests without it. */
  ROUTER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Provider GETs in flight at once for the distinct ids of one request's entity batch. */
  ENTITY_FETCH_CONCURRENCY: integer(1, 64).default(8),
});

const Environment = z.object({
  server: ServerEnv,
  logging: LoggingEnv,
  zopay: ZopayEnv,
  ziina: ZiinaEnv,
  providerHttp: ProviderHttpEnv,
  idempotency: IdempotencyEnv,
  store: StoreEnv,
  webhooks: WebhooksEnv,
  federation: FederationEnv,
}).superRefine(({ idempotency, providerHttp }, context) => {
  if (idempotency.IDEMPOTENCY_LEASE_MS <= providerHttp.PROVIDER_DEADLINE_MS) {
    context.addIssue({ code: 'custom', path: ['idempotency', 'IDEMPOTENCY_LEASE_MS'], message: 'must be longer than PROVIDER_DEADLINE_MS' });
  }
});

export interface ProviderCredentials {
  readonly apiKey: string;
  readonly baseUrl: string;
}

export interface Config {
  readonly port: number;
  readonly host: string | undefined;
  readonly shutdownGraceMs: number;
  readonly logLevel: z.infer<typeof LoggingEnv>['LOG_LEVEL'];
  /** Null: the provider's key is unset, so its built-in emulator is used. */
  readonly zopay: ProviderCredentials | null;
  readonly ziina: ProviderCredentials | null;
  readonly providerHttp: {
    readonly deadlineMs: number;
    readonly connectTimeoutMs: number;
    readonly headersTimeoutMs: number;
    readonly bodyTimeoutMs: number;
    readonly maxConnectionsPerOrigin: number;
    readonly maxRetries: number;
    readonly retryBaseDelayMs: number;
    readonly circuitBreaker: { readonly failureThreshold: number; readonly halfOpenAfterMs: number };
  };
  readonly idempotency: { readonly waitForInFlightMs: number; readonly retentionMs: number; readonly leaseMs: number };
  readonly store: StoreConfig;
  readonly intentFreshnessMs: number;
  /** Null: Ziina's webhooks are not accepted (unless the embedded emulator, which gets a generated one). */
  readonly ziinaWebhookSecret: string | null;
  readonly entityFetchConcurrency: number;
  /** Null: any caller may query (local development, tests). */
  readonly routerSecret: string | null;
}

export type StoreConfig =
  | { readonly kind: 'postgres'; readonly databaseUrl: string; readonly maxConnections: number }
  | { readonly kind: 'embedded'; readonly dataDir: string };

export type ConfigResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly problems: string[] };

/** Zopay replays an Idempotency-Key for 24 h; our own record lasts as long. */
const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const values = unsetIfBlank(env);
  const parsed = Environment.safeParse({
    server: values,
    logging: values,
    zopay: values,
    ziina: values,
    providerHttp: values,
    idempotency: values,
    store: values,
    webhooks: values,
    federation: values,
  });
  if (!parsed.success) {
    return { ok: false, problems: describeProblems(parsed.error) };
  }
  const { server, logging, zopay, ziina, providerHttp, idempotency, store, webhooks, federation } = parsed.data;
  return {
    ok: true,
    config: {
      port: server.PORT,
      host: server.HOST,
      shutdownGraceMs: server.SHUTDOWN_GRACE_MS,
      logLevel: logging.LOG_LEVEL,
      zopay,
      ziina,
      providerHttp: {
        deadlineMs: providerHttp.PROVIDER_DEADLINE_MS,
        connectTimeoutMs: providerHttp.PROVIDER_CONNECT_TIMEOUT_MS,
        headersTimeoutMs: providerHttp.PROVIDER_READ_TIMEOUT_MS,
        bodyTimeoutMs: providerHttp.PROVIDER_READ_TIMEOUT_MS,
        maxConnectionsPerOrigin: providerHttp.PROVIDER_MAX_CONNECTIONS,
        maxRetries: providerHttp.PROVIDER_MAX_RETRIES,
        retryBaseDelayMs: providerHttp.PROVIDER_RETRY_BASE_DELAY_MS,
        circuitBreaker: {
          failureThreshold: providerHttp.PROVIDER_BREAKER_FAILURES,
          halfOpenAfterMs: providerHttp.PROVIDER_BREAKER_COOLDOWN_MS,
        },
      },
      idempotency: {
        waitForInFlightMs: idempotency.IDEMPOTENCY_WAIT_MS,
        retentionMs: IDEMPOTENCY_RETENTION_MS,
        leaseMs: idempotency.IDEMPOTENCY_LEASE_MS,
      },
      store:
        store.DATABASE_URL === undefined
          ? { kind: 'embedded', dataDir: store.DATA_DIR }
          : { kind: 'postgres', databaseUrl: store.DATABASE_URL, maxConnections: store.DATABASE_MAX_CONNECTIONS },
      intentFreshnessMs: store.INTENT_FRESHNESS_MS,
      ziinaWebhookSecret: webhooks.ZIINA_WEBHOOK_SECRET ?? null,
      entityFetchConcurrency: federation.ENTITY_FETCH_CONCURRENCY,
      routerSecret: federation.ROUTER_SECRET ?? null,
    },
  };
}

/** Every secret value of a configuration, for the logger to scrub from every line. */
export function configSecrets(config: Config): string[] {
  const databaseUrl = config.store.kind === 'postgres' ? config.store.databaseUrl : undefined;
  return [config.zopay?.apiKey, config.ziina?.apiKey, config.routerSecret, config.ziinaWebhookSecret, databaseUrl, ...databasePasswords(databaseUrl)].filter(
    (secret): secret is string => typeof secret === 'string' && secret !== '',
  );
}

/** The password of a postgres:// URL, as written and decoded: a driver error may quote either. */
function databasePasswords(databaseUrl: string | undefined): string[] {
  if (databaseUrl === undefined) return [];
  const { password } = new URL(databaseUrl);
  return password === '' ? [] : [password, decodeURIComponent(password)];
}
