import { describe, expect, it } from 'vitest';
import { HTTP_PORT } from '../../deploy/app-runtime.ts';
import { containerEnvironment, plainValues, secretReferences } from '../../deploy/container-environment.ts';
import { ENVIRONMENTS } from '../../deploy/environments.ts';
import { SHUTDOWN_GRACE_MS } from '../../deploy/pod-termination.ts';
import { loadConfig } from '../../src/config/environment.ts';

// The variables the Deployment sets, given to the app's own configuration loader, with stand-ins
// of the right shape for the secrets: the app must accept them and read what the manifests assume.

const SECRET_STAND_INS: Record<string, string> = {
  ZOPAY_API_KEY: 'sk_live_stand-in',
  ZIINA_API_KEY: 'stand-in',
  ZIINA_WEBHOOK_SECRET: 'a-webhook-secret-of-32-characters',
  DATABASE_URL: 'postgres://payments:stand-in@postgres.example.com:5432/payments',
  ROUTER_SECRET: 'a-router-secret-of-at-least-32-characters',
};

describe.each(ENVIRONMENTS.map((environment) => [environment.name, environment] as const))(
  '%s container environment',
  (_, environment) => {
    const variables = containerEnvironment(environment);

    it('is accepted by the app: it listens on the container port, drains as planned, uses PostgreSQL', () => {
      const secrets = Object.fromEntries(secretReferences(variables).map(([name]) => [name, SECRET_STAND_INS[name]!]));
      const loaded = loadConfig({ ...plainValues(variables), ...secrets });
      if (!loaded.ok) throw new Error(loaded.problems.join(', '));

      expect(loaded.config.port).toBe(HTTP_PORT);
      expect(loaded.config.shutdownGraceMs).toBe(SHUTDOWN_GRACE_MS);
      expect(loaded.config.store.kind).toBe('postgres');
      expect(loaded.config.zopay).not.toBeNull();
      expect(loaded.config.ziina).not.toBeNull();
      expect(loaded.config.ziinaWebhookSecret).not.toBeNull();
      expect(loaded.config.routerSecret).not.toBeNull();
    });

    it('sets the production profile: no introspection, no playground, pending migrations refused', () => {
      expect(plainValues(variables)).toMatchObject({
        NODE_ENV: 'production',
        STORE_MIGRATIONS: 'verify',
        GRAPHQL_INTROSPECTION: 'false',
        GRAPHQL_PLAYGROUND: 'false',
      });
    });
  },
);
