import { join } from 'node:path';
import type { StoreConfig } from '../config/store-environment.ts';
import type { Logger } from '../logging/logger.ts';
import { lockDataDirectory } from './data-directory-lock.ts';
import { migrate, verifyMigrated, type MigrationReport } from './migrate.ts';
import { PGliteClient } from './pglite-client.ts';
import { PostgresClient } from './postgres-client.ts';
import type { SqlClient, StatementObserver } from './sql-client.ts';

export interface OpenedStore {
  readonly sql: SqlClient;
  readonly migrations: MigrationReport;
  /** Where the embedded emulators keep their state: inside the locked folder, or nowhere. */
  readonly emulatorStateDir: string | null;
  /** For /health/ready: the store answers a trivial query. */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens the store and brings its schema up to date (or, told so, only checks that it is): the shared PostgreSQL when DATABASE_URL is
 * set, else PGlite in DATA_DIR (locked for this process).
 */
export async function openStore(config: StoreConfig, observe: StatementObserver, logger: Logger): Promise<OpenedStore> {
  if (config.kind === 'postgres') {
    const sql = new PostgresClient({
      connectionString: config.databaseUrl,
      maxConnections: config.maxConnections,
      connectTimeoutMs: config.connectTimeoutMs,
      statementTimeoutMs: config.statementTimeoutMs,
      observe,
      onIdleConnectionError: (error) => logger.warn({ err: error }, 'an idle PostgreSQL connection failed'),
    });
    return opened(config.migrations, sql, null, () => sql.close());
  }
  const unlock = await lockDataDirectory(config.dataDir);
  let sql: PGliteClient;
  try {
    sql = await PGliteClient.open(join(config.dataDir, 'pglite'), observe);
  } catch (error) {
    await unlock();
    throw error;
  }
  return opened(config.migrations, sql, join(config.dataDir, 'emulators'), async () => {
    await sql.close();
    await unlock();
  });
}

async function opened(
  mode: StoreConfig['migrations'],
  sql: SqlClient,
  emulatorStateDir: string | null,
  close: () => Promise<void>,
): Promise<OpenedStore> {
  let migrations: MigrationReport;
  try {
    migrations = await (mode === 'apply' ? migrate(sql) : verifyMigrated(sql));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    sql,
    migrations,
    emulatorStateDir,
    isReachable: () =>
      sql.query('select 1').then(
        () => true,
        () => false,
      ),
    close,
  };
}
