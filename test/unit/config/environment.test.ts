import { describe, expect, it } from 'vitest';
import { configSecrets, loadConfig as loadConfigFor, type Config } from '../../../src/config/environment.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';

const loadConfig = (env: NodeJS.ProcessEnv) => loadConfigFor(env, registeredProviders);

function configOf(env: NodeJS.ProcessEnv): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.problems)}`);
  return result.config;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  const result = loadConfig(env);
  if (result.ok) throw new Error('expected config problems');
  return result.problems;
}

const ZOPAY_KEY = 'sk_test_4f9Q2zLx8R';
const ZIINA_KEY = 'zi_token_7Hn3PqW9vK';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    // toMatchObject: other settings may be added; these defaults must not move.
    expect(configOf({})).toMatchObject({
      port: 4001,
      host: undefined,
      shutdownGraceMs: 10_000,
      logLevel: 'info',
      maxBodyBytes: 1024 * 1024,
      providers: {
        ZOPAY: { credentials: null, webhookSecret: null },
        ZIINA: { credentials: null, webhookSecret: null },
      },
      providerHttp: {
        deadlineMs: 10_000,
        connectTimeoutMs: 3_000,
        headersTimeoutMs: 8_000,
        bodyTimeoutMs: 8_000,
        maxConnectionsPerOrigin: 64,
        maxRetries: 2,
        retryBaseDelayMs: 100,
        bulkhead: { maxConcurrentCalls: 64, maxQueuedCalls: 64 },
        circuitBreaker: { failureThreshold: 5, halfOpenAfterMs: 10_000 },
      },
      loadShedding: { maxInFlightRequests: 512, maxEventLoopDelayMs: 200 },
      idempotency: {
        waitForInFlightMs: 15_000,
        retentionMs: 24 * 60 * 60 * 1000,
        leaseMs: 30_000,
        purgeIntervalMs: 60 * 60 * 1000,
      },
      store: { kind: 'embedded', dataDir: './.data' },
      intentFreshnessMs: 5_000,
    });
  });

  it('reads set values', () => {
    const config = configOf({
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      PROVIDER_MAX_RETRIES: '0',
      PROVIDER_READ_TIMEOUT_MS: '2500',
      IDEMPOTENCY_WAIT_MS: '500',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'debug',
      idempotency: { waitForInFlightMs: 500 },
    });
    expect(config.providerHttp).toMatchObject({ maxRetries: 0, headersTimeoutMs: 2500, bodyTimeoutMs: 2500 });
  });

  it('caps concurrent calls to a provider at its pool size unless told otherwise', () => {
    expect(configOf({ PROVIDER_MAX_CONNECTIONS: '16' }).providerHttp.bulkhead).toEqual({
      maxConcurrentCalls: 16,
      maxQueuedCalls: 64,
    });
    expect(
      configOf({ PROVIDER_MAX_CONNECTIONS: '16', PROVIDER_MAX_CONCURRENT_CALLS: '8', PROVIDER_MAX_QUEUED_CALLS: '0' })
        .providerHttp.bulkhead,
    ).toEqual({ maxConcurrentCalls: 8, maxQueuedCalls: 0 });
  });

  it('reads the load-shedding limits, and refuses ones that could not work', () => {
    expect(configOf({ HTTP_MAX_IN_FLIGHT_REQUESTS: '100', EVENT_LOOP_MAX_DELAY_MS: '1000' }).loadShedding).toEqual({
      maxInFlightRequests: 100,
      maxEventLoopDelayMs: 1000,
    });
    expect(
      problemsOf({
        HTTP_MAX_IN_FLIGHT_REQUESTS: '0',
        EVENT_LOOP_MAX_DELAY_MS: '5',
        PROVIDER_MAX_CONCURRENT_CALLS: '0',
      }),
    ).toEqual([
      'HTTP_MAX_IN_FLIGHT_REQUESTS must be at least 1',
      'EVENT_LOOP_MAX_DELAY_MS must be at least 10',
      'PROVIDER_MAX_CONCURRENT_CALLS must be at least 1',
    ]);
  });

  it('uses the default base URLs when only the keys are set', () => {
    const config = configOf({ ZOPAY_API_KEY: ZOPAY_KEY, ZIINA_API_KEY: ZIINA_KEY });
    expect(config.providers.ZOPAY?.credentials).toEqual({
      apiKey: ZOPAY_KEY,
      baseUrl: 'https://api.zopay.cash/connect/v1',
    });
    expect(config.providers.ZIINA?.credentials).toEqual({ apiKey: ZIINA_KEY, baseUrl: 'https://api-v2.ziina.com/api' });
  });

  it('takes a base URL set with its key, without trailing slashes', () => {
    const config = configOf({ ZOPAY_API_KEY: ZOPAY_KEY, ZOPAY_BASE_URL: 'http://127.0.0.1:9000/connect/v1//' });
    expect(config.providers.ZOPAY?.credentials).toEqual({
      apiKey: ZOPAY_KEY,
      baseUrl: 'http://127.0.0.1:9000/connect/v1',
    });
  });

  it.each(['sk_live_abc123', 'sk_test_abc123'])('accepts the Zopay key %s', (key) => {
    expect(configOf({ ZOPAY_API_KEY: key }).providers.ZOPAY?.credentials?.apiKey).toBe(key);
  });

  it.each(['pk_live_abc123', 'sk_prod_abc123', 'sk_test_', 'sk_test_has space', 'abc'])(
    'refuses the Zopay key %j',
    (key) => {
      const problems = problemsOf({ ZOPAY_API_KEY: key });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^ZOPAY_API_KEY /);
      expect(problems[0]).toContain('sk_live_');
    },
  );

  it('refuses a Ziina key with spaces', () => {
    expect(problemsOf({ ZIINA_API_KEY: 'two words' })).toEqual([expect.stringMatching(/^ZIINA_API_KEY /)]);
  });

  it.each([
    ['ZOPAY_BASE_URL', 'ZOPAY_API_KEY', 'http://127.0.0.1:9000/connect/v1'],
    ['ZIINA_BASE_URL', 'ZIINA_API_KEY', 'http://127.0.0.1:9001/api'],
  ])('refuses %s without %s', (urlVariable, keyVariable, url) => {
    const problems = problemsOf({ [urlVariable]: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${keyVariable} `));
    expect(problems[0]).toContain(urlVariable);
  });

  it.each(['3', '10'])('refuses PROVIDER_MAX_RETRIES=%s', (value) => {
    expect(problemsOf({ PROVIDER_MAX_RETRIES: value })).toEqual(['PROVIDER_MAX_RETRIES must be at most 2']);
  });

  it.each(['ftp://api.example', 'not a url', 'api.zopay.cash'])('refuses the base URL %j', (url) => {
    const problems = problemsOf({ ZOPAY_API_KEY: ZOPAY_KEY, ZOPAY_BASE_URL: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ZOPAY_BASE_URL /);
  });

  it('treats empty strings as unset', () => {
    const config = configOf({
      PORT: '',
      LOG_LEVEL: '',
      ZOPAY_API_KEY: '',
      ZOPAY_BASE_URL: '',
      ZIINA_API_KEY: '',
      ZIINA_BASE_URL: '',
      PROVIDER_MAX_RETRIES: '',
      HOST: '',
    });
    expect(config).toMatchObject({ port: 4001, host: undefined, logLevel: 'info' });
    expect(Object.values(config.providers).map((settings) => settings.credentials)).toEqual([null, null]);
    expect(config.providerHttp.maxRetries).toBe(2);
  });

  it.each(['abc', '-1', '65536', '80.5'])('refuses PORT=%j', (port) => {
    expect(problemsOf({ PORT: port })).toEqual([expect.stringMatching(/^PORT /)]);
  });

  // Number(' ') is 0: a blank PORT must not make the server listen on a random port.
  it.each(['0x10', '1e3', '80.5'])('refuses the non-decimal PORT %j', (port) => {
    const result = loadConfig({ PORT: port });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual(['PORT must be a whole number']);
  });

  it('never reads a whitespace-only PORT as port 0', () => {
    const result = loadConfig({ PORT: ' ' });
    if (result.ok) expect(result.config.port).toBe(4001);
    else expect(result.problems).toEqual([expect.stringMatching(/^PORT /)]);
  });

  it('treats an empty key with a set base URL as a missing key', () => {
    expect(problemsOf({ ZIINA_API_KEY: '', ZIINA_BASE_URL: 'http://127.0.0.1:9001/api' })).toEqual([
      expect.stringMatching(/^ZIINA_API_KEY /),
    ]);
  });

  it('lists every problem at once, each starting with its variable name', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      SHUTDOWN_GRACE_MS: '1.5',
      LOG_LEVEL: 'loud',
      ZOPAY_API_KEY: 'pk_live_wrong',
      ZIINA_BASE_URL: 'http://127.0.0.1:9001/api',
      PROVIDER_MAX_RETRIES: '3',
      PROVIDER_DEADLINE_MS: '99',
      IDEMPOTENCY_WAIT_MS: '-1',
    });
    const variables = problems.map((problem) => problem.split(' ')[0]);
    expect(variables.sort()).toEqual(
      [
        'PORT',
        'SHUTDOWN_GRACE_MS',
        'LOG_LEVEL',
        'ZOPAY_API_KEY',
        'ZIINA_API_KEY',
        'PROVIDER_MAX_RETRIES',
        'PROVIDER_DEADLINE_MS',
        'IDEMPOTENCY_WAIT_MS',
      ].sort(),
    );
  });

  it('never quotes a secret value in a problem', () => {
    const secrets = {
      ZOPAY_API_KEY: 'pk_live_TOPSECRET_zopay_9f8e7d',
      ZIINA_API_KEY: 'ziina secret TOPSECRET_ziina_1a2b',
      ROUTER_SECRET: 'TOPSECRET_router',
    };
    const problems = problemsOf({ ...secrets, ZOPAY_BASE_URL: 'ftp://TOPSECRET_url' });
    expect(problems.length).toBeGreaterThanOrEqual(3);
    const text = problems.join('\n');
    expect(text).not.toContain('TOPSECRET');
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', NODE_ENV: 'development', SOMETHING_ELSE: 'x' }).ok).toBe(true);
  });

  it('uses the shared PostgreSQL when DATABASE_URL is set', () => {
    expect(
      configOf({ DATABASE_URL: 'postgres://payments:pw@db.internal:5432/payments', DATABASE_MAX_CONNECTIONS: '20' })
        .store,
    ).toEqual({
      kind: 'postgres',
      databaseUrl: 'postgres://payments:pw@db.internal:5432/payments',
      maxConnections: 20,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 10_000,
      migrations: 'apply',
    });
  });

  it.each(['mysql://db/x', 'not a url', '/var/lib/db'])('refuses DATABASE_URL=%j without quoting it', (url) => {
    const problems = problemsOf({ DATABASE_URL: url });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL must be a postgres/)]);
    expect(problems.join('\n')).not.toContain(url);
  });

  it('refuses a lease that does not outlast the provider deadline', () => {
    expect(problemsOf({ IDEMPOTENCY_LEASE_MS: '10000', PROVIDER_DEADLINE_MS: '10000' })).toEqual([
      'IDEMPOTENCY_LEASE_MS must be longer than PROVIDER_DEADLINE_MS',
    ]);
    expect(configOf({ IDEMPOTENCY_LEASE_MS: '1500', PROVIDER_DEADLINE_MS: '1000' }).idempotency.leaseMs).toBe(1_500);
  });

  it('checks a rule across variables whatever unrelated variable failed, once the variables it compares are valid', () => {
    expect(problemsOf({ LOG_LEVEL: 'verbose', IDEMPOTENCY_LEASE_MS: '5000' })).toEqual([
      expect.stringMatching(/^LOG_LEVEL /),
      'IDEMPOTENCY_LEASE_MS must be longer than PROVIDER_DEADLINE_MS',
    ]);
    expect(problemsOf({ ZIINA_WEBHOOK_SECRET: 'short', ZIINA_BASE_URL: 'http://127.0.0.1:9001/api' })).toEqual([
      'ZIINA_WEBHOOK_SECRET must be at least 16 characters',
      'ZIINA_API_KEY must be set when ZIINA_BASE_URL is set',
    ]);
    // The default lease (30 s) is not longer than this deadline, but the deadline is what is wrong.
    expect(problemsOf({ LOG_LEVEL: 'verbose', PROVIDER_DEADLINE_MS: '30000' })).toEqual([
      expect.stringMatching(/^LOG_LEVEL /),
      'PROVIDER_DEADLINE_MS must be at most 25000',
    ]);
  });

  it.each([
    ['a bare %', 'postgres://payments:TOPSECRET%zz@db.internal/payments'],
    ['an escape that is not UTF-8', 'postgres://payments:TOPSECRET%FF@db.internal/payments'],
    ['a bare % in the user name', 'postgres://pay%ments:TOPSECRET@db.internal/payments'],
  ])('refuses a DATABASE_URL with %s beside the other problems, never quoting it', (_, url) => {
    const problems = problemsOf({ DATABASE_URL: url, LOG_LEVEL: 'verbose' });
    expect(problems).toEqual([
      expect.stringMatching(/^LOG_LEVEL /),
      'DATABASE_URL must percent-encode its user name and password as UTF-8: a % itself is written %25',
    ]);
    expect(problems.join('\n')).not.toContain('TOPSECRET');
  });

  it('refuses a short Ziina webhook secret', () => {
    expect(problemsOf({ ZIINA_WEBHOOK_SECRET: 'short' })).toEqual([
      'ZIINA_WEBHOOK_SECRET must be at least 16 characters',
    ]);
  });

  it('lists the database URL, its password (as written and decoded) and the webhook secret among the secrets to scrub', () => {
    const config = configOf({
      DATABASE_URL: 'postgres://payments:p%40ss%2Fword@db.internal/payments',
      ZIINA_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
      ROUTER_SECRET: 'r'.repeat(32),
    });
    expect(configSecrets(config)).toEqual(
      expect.arrayContaining([
        'postgres://payments:p%40ss%2Fword@db.internal/payments',
        'p%40ss%2Fword',
        'p@ss/word',
        'whsec_0123456789abcdef',
        'r'.repeat(32),
      ]),
    );
  });

  it('lists a password given in the database URL query among the secrets to scrub', () => {
    const config = configOf({ DATABASE_URL: 'postgres://payments@db.internal/payments?password=p%40ss-in-query' });
    expect(configSecrets(config)).toEqual(expect.arrayContaining(['p@ss-in-query']));
  });
});
