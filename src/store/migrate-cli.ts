import { loadStoreConfig, storeSecrets } from '../config/store-environment.ts';
import { createLogger } from '../logging/logger.ts';
import { openStore } from './open-store.ts';
import { unobserved } from './sql-client.ts';

// `npm run migrate`: applies the store's pending migrations and exits, as a deploy step (the
// Kubernetes init container in deploy/) before replicas that run with STORE_MIGRATIONS=verify start.
// Reads only the store's variables: a migration needs DATABASE_URL, not the providers' keys. Safe to
// run from several pods at once: migrations are applied under an advisory lock.
const loaded = loadStoreConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(`Invalid configuration:\n${loaded.problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
  process.exit(1);
}
const { config } = loaded;
const logger = createLogger({ level: 'info', secrets: storeSecrets(config) });
try {
  const store = await openStore({ ...config, migrations: 'apply' }, unobserved, logger);
  logger.info({ store: config.kind, migrationsApplied: store.migrations.applied }, 'store migrated');
  await store.close();
} catch (error) {
  logger.fatal({ err: error }, 'migration failed');
  process.exit(1);
}
