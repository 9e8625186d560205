import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startZiinaEmulator } from '../../emulators/ziina/ziina-emulator.ts';
import { startZopayEmulator } from '../../emulators/zopay/zopay-emulator.ts';
import { ROUTER_SECRET_HEADER } from '../../src/http/router-authentication.ts';
import { call, postGraphQL } from '../support/http.ts';
import { useStarted } from '../support/lifecycle.ts';
import { spawnSubgraph, type SubgraphProcess } from '../support/subgraph-process.ts';
import { createTestSchema } from '../support/test-database.ts';

/** The migrations of this version, as `npm run migrate` applies them. */
const MIGRATIONS = (await readdir(new URL('../../src/store/migrations/', import.meta.url)))
  .filter((file) => file.endsWith('.sql'))
  .sort()
  .map((file) => file.replace(/\.sql$/, ''));

// NODE_ENV=production as a pod runs it: the unsafe conveniences refused, migrations applied by
// `npm run migrate` beforehand and only verified at start-up, introspection and the IDE off.

const PROCESS_TIMEOUT_MS = 60_000;
const ROUTER_SECRET = 'production-profile-router-secret-0123456789';

const emulators = useStarted(
  async () => ({ zopay: await startZopayEmulator(), ziina: await startZiinaEmulator() }),
  async ({ zopay, ziina }) => {
    await Promise.all([zopay.close(), ziina.close()]);
  },
);

function productionEnv(databaseUrl: string): Record<string, string> {
  const { zopay, ziina } = emulators();
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    STORE_MIGRATIONS: 'verify',
    ROUTER_SECRET,
    ZOPAY_API_KEY: zopay.apiKey,
    ZOPAY_BASE_URL: zopay.baseUrl,
    ZIINA_API_KEY: ziina.apiKey,
    ZIINA_BASE_URL: ziina.baseUrl,
    ZIINA_WEBHOOK_SECRET: 'whsec_production_profile_0123',
  };
}

describe('NODE_ENV=production', () => {
  it(
    'refuses to start on the laptop defaults, naming every missing variable',
    { timeout: PROCESS_TIMEOUT_MS },
    async () => {
      const running = spawnSubgraph(process.execPath, ['src/main.ts'], { NODE_ENV: 'production', PORT: '0' });

      expect(await running.exited).toBe(1);
      const stderr = running.stderr.join('\n');
      for (const variable of [
        'DATABASE_URL',
        'ROUTER_SECRET',
        'ZOPAY_API_KEY',
        'ZIINA_API_KEY',
        'ZIINA_WEBHOOK_SECRET',
      ]) {
        expect(stderr).toContain(`${variable} must be set in production`);
      }
      expect(running.logs.some((entry) => entry.msg === 'payments subgraph listening')).toBe(false);
    },
  );

  it(
    'refuses a store that lacks a migration, when told to verify rather than apply',
    { timeout: PROCESS_TIMEOUT_MS },
    async () => {
      const schema = await createTestSchema();
      try {
        const running = spawnSubgraph(process.execPath, ['src/main.ts'], productionEnv(schema.databaseUrl));
        expect(await running.exited).toBe(1);
        const failure = running.logs.find((entry) => entry.level === 60) as { err?: { message?: string } } | undefined;
        expect(failure?.err?.message).toMatch(
          `lacks ${MIGRATIONS.length} migration(s) of this version (${MIGRATIONS.join(', ')}): run npm run migrate first`,
        );
      } finally {
        await schema.drop();
      }
    },
  );

  it(
    'serves after `npm run migrate`: _service for composition, no introspection, no IDE page',
    { timeout: PROCESS_TIMEOUT_MS },
    async () => {
      const schema = await createTestSchema();
      let running: SubgraphProcess | undefined;
      try {
        const migrating = spawnSubgraph('npm', ['run', '--silent', 'migrate'], { DATABASE_URL: schema.databaseUrl });
        expect(await migrating.exited).toBe(0);
        expect(migrating.logs.at(-1)).toMatchObject({
          msg: 'store migrated',
          migrationsApplied: MIGRATIONS,
        });
        const again = spawnSubgraph('npm', ['run', '--silent', 'migrate'], { DATABASE_URL: schema.databaseUrl });
        expect(await again.exited).toBe(0);
        expect(again.logs.at(-1)).toMatchObject({ msg: 'store migrated', migrationsApplied: [] });

        running = spawnSubgraph(process.execPath, ['src/main.ts'], productionEnv(schema.databaseUrl));
        const listening = await running.waitForLog(
          (entry) => entry.msg === 'payments subgraph listening',
          PROCESS_TIMEOUT_MS,
        );
        const graphqlUrl = String(listening.graphqlUrl);
        const fromRouter = { [ROUTER_SECRET_HEADER]: ROUTER_SECRET };

        const sdl = await postGraphQL(graphqlUrl, '{ _service { sdl } }', {}, fromRouter);
        expect(sdl.json.data._service.sdl).toContain('type PaymentIntent');
        const introspection = await postGraphQL(graphqlUrl, '{ __schema { types { name } } }', {}, fromRouter);
        expect(introspection.json.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
        const page = await call(graphqlUrl, { headers: { accept: 'text/html', ...fromRouter } });
        // No landing page: Apollo's would name its exact version and load its IDE from a CDN.
        expect(page.headers.get('content-type')).toMatch(/^application\/json/);
        expect(page.text).not.toMatch(/<html|sandbox|landing|@apollo\/server/i);
        expect(running.logs.some((entry) => String(entry.msg).includes('emulator'))).toBe(false);
      } finally {
        running?.kill('SIGTERM');
        if (running !== undefined) await running.exited;
        await schema.drop();
      }
    },
  );
});
