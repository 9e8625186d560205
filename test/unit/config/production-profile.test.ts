import { describe, expect, it } from 'vitest';
import { knownVariables, loadConfig } from '../../../src/config/environment.ts';
import { productionRules } from '../../../src/config/production-profile.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';

const PRODUCTION_READY = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://payments:db-password-0123@db.internal:5432/payments',
  ROUTER_SECRET: 'r'.repeat(32),
  ZOPAY_API_KEY: 'sk_live_0123456789',
  ZIINA_API_KEY: 'ziina_live_token_0123',
  ZIINA_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
};

const load = (env: NodeJS.ProcessEnv) => loadConfig(env, registeredProviders);

describe('NODE_ENV=production', () => {
  it('refuses every unsafe default at once, naming each variable and why', () => {
    const result = load({ NODE_ENV: 'production' });
    if (result.ok) throw new Error('production started with no configuration');
    expect(result.problems).toEqual([
      expect.stringMatching(/^DATABASE_URL must be set in production: the embedded store serves one process/),
      'ROUTER_SECRET must be set in production: only the router may call a production subgraph',
      'ZOPAY_API_KEY must be set in production: the built-in Zopay emulator never serves production traffic',
      'ZIINA_API_KEY must be set in production: the built-in Ziina emulator never serves production traffic',
      "ZIINA_WEBHOOK_SECRET must be set in production: without it Ziina's status changes arrive only on reads",
    ]);
  });

  it.each(Object.keys(PRODUCTION_READY).filter((name) => name !== 'NODE_ENV'))(
    'refuses to start without %s',
    (variable) => {
      const result = load({ ...PRODUCTION_READY, [variable]: undefined });
      expect(result.ok ? [] : result.problems).toEqual([
        expect.stringMatching(new RegExp(`^${variable} must be set in production: `)),
      ]);
    },
  );

  it('refuses a provider key or a database password too short to be scrubbed from logs, naming each', () => {
    const result = load({
      ...PRODUCTION_READY,
      ZIINA_API_KEY: 'key1234',
      DATABASE_URL: 'postgres://payments:pass%401@db.internal:5432/payments',
    });
    expect(result.ok ? [] : result.problems).toEqual([
      'ZIINA_API_KEY must be at least 8 characters in production: a shorter secret is guessable, and is not scrubbed from log lines',
      'DATABASE_URL password must be at least 8 characters in production: a shorter secret is guessable, and is not scrubbed from log lines',
    ]);
  });

  it('accepts a DATABASE_URL without a password (the driver then reads PGPASSWORD or a password file)', () => {
    expect(load({ ...PRODUCTION_READY, DATABASE_URL: 'postgres://payments@db.internal:5432/payments' }).ok).toBe(true);
  });

  it('treats a blank value as unset', () => {
    const result = load({ ...PRODUCTION_READY, ROUTER_SECRET: '  ' });
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(/^ROUTER_SECRET must be set in production/),
    ]);
  });

  it('starts with everything set, introspection and the IDE off', () => {
    const result = load(PRODUCTION_READY);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config).toMatchObject({
      production: true,
      introspection: false,
      playground: false,
      store: { kind: 'postgres' },
    });
  });

  it('turns introspection and the IDE on only when told to', () => {
    const result = load({ ...PRODUCTION_READY, GRAPHQL_INTROSPECTION: 'true', GRAPHQL_PLAYGROUND: 'true' });
    expect(result.ok && result.config).toMatchObject({ introspection: true, playground: true });
  });

  it('keeps the conveniences outside production', () => {
    const result = load({});
    expect(result.ok && result.config).toMatchObject({
      production: false,
      introspection: true,
      playground: true,
      store: { kind: 'embedded' },
    });
    expect(load({ GRAPHQL_INTROSPECTION: 'false' })).toMatchObject({ ok: true, config: { introspection: false } });
  });

  it.each(['yes', '1', 'TRUE', 'on'])(
    'refuses GRAPHQL_PLAYGROUND=%j: a safety switch takes true or false only',
    (value) => {
      expect(load({ GRAPHQL_PLAYGROUND: value })).toEqual({
        ok: false,
        problems: ['GRAPHQL_PLAYGROUND must be true or false'],
      });
    },
  );
});

describe('knownVariables', () => {
  it('lists every variable the production profile requires, and what the configuration reads', () => {
    const known = knownVariables(registeredProviders);
    for (const { variable } of productionRules(registeredProviders)) expect(known).toContain(variable);
    expect(known).toEqual(
      expect.arrayContaining(['PORT', 'NODE_ENV', 'STORE_MIGRATIONS', 'ZOPAY_BASE_URL', 'INTENT_FRESHNESS_MS']),
    );
    expect(new Set(known).size).toBe(known.length);
  });
});
