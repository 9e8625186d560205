import { describe, expect, it } from 'vitest';
import { HTTP_PORT } from '../../deploy/app-runtime.ts';
import { containerEnvironment, plainValues, secretReferences } from '../../deploy/container-environment.ts';
import { ENVIRONMENTS } from '../../deploy/environments.ts';
import { SHUTDOWN_GRACE_MS } from '../../deploy/pod-termination.ts';
import { knownVariables, loadConfig } from '../../src/config/environment.ts';
import { productionRules } from '../../src/config/production-profile.ts';
import { registeredProviders } from '../../src/providers/registered-providers.ts';

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
      const loaded = loadConfig({ ...plainValues(variables), ...secrets }, registeredProviders);
      if (!loaded.ok) throw new Error(loaded.problems.join(', '));

      expect(loaded.config).toMatchObject({
        production: true,
        introspection: false,
        playground: false,
        port: HTTP_PORT,
        shutdownGraceMs: SHUTDOWN_GRACE_MS,
        store: { kind: 'postgres', migrations: 'verify' },
      });
      for (const settings of Object.values(loaded.config.providers)) expect(settings.credentials).not.toBeNull();
      expect(loaded.config.providers.ZIINA?.webhookSecret).not.toBeNull();
      expect(loaded.config.routerSecret).not.toBeNull();
    });

    it('provides every variable the production profile requires, from the ConfigMap or a Secret', () => {
      const provided = Object.keys(variables);
      for (const { variable } of productionRules(registeredProviders)) expect(provided).toContain(variable);
    });

    it('sets only variables the app reads: a misspelt name would be silently ignored', () => {
      const known = knownVariables(registeredProviders);
      for (const name of Object.keys(variables)) expect(known).toContain(name);
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
