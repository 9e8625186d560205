import { join } from 'node:path';
import type { StoreConfig } from '../config/store-environment.ts';
import type { Logger } from '../logging/logger.ts';
import { lockDataDirectory } from './data-directory-lock.ts';
import { migrate, verifyMigrated, type MigrationReport } from './migrate.ts';
import type { NotificationListener } from './notification-listener.ts';
import { PGliteClient } from './pglite-client.ts';
import { PostgresClient } from './postgres-client.ts';
import { PostgresListener } from './postgres-listener.ts';
import type { SqlClient, StatementObserver } from './sql-client.ts';

export interface OpenedStore {
  readonly sql: SqlClient;
  readonly migrations: MigrationReport;
  /** LISTEN/NOTIFY on the store (intent-change-feed.ts); on the server, its connection opens at the first listen. */
  readonly notifications: NotificationListener;
  /** Where the embedded emulators keep their state: inside the locked folder, or nowhere. */
  readonly emulatorStateDir: string | null;
  /** For /health/ready: the store answers a trivial query. */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** How soon a listening connection that died without a word is noticed (plus the connect timeout). */
const LISTENER_HEARTBEAT_MS = 5_000;

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
    const notifications = new PostgresListener({
      connectionString: config.databaseUrl,
      connectTimeoutMs: config.connectTimeoutMs,
      heartbeatMs: LISTENER_HEARTBEAT_MS,
      onConnectionError: (error) => logger.warn({ err: error }, 'the PostgreSQL listening connection failed'),
    });
    return opened(config.migrations, sql, notifications, null, async () => {
      await notifications.close();
      await sql.close();
    });
  }
  const unlock = await lockDataDirectory(config.dataDir);
  let sql: PGliteClient;
  try {
    sql = await PGliteClient.open(join(config.dataDir, 'pglite'), observe);
  } catch (error) {
    await unlock();
    throw error;
  }
  const notifications = { listen: sql.listen.bind(sql), close: () => Promise.resolve() };
  return opened(config.migrations, sql, notifications, join(config.dataDir, 'emulators'), async () => {
    await sql.close();
    await unlock();
  });
}

async function opened(
  mode: StoreConfig['migrations'],
  sql: SqlClient,
  notifications: NotificationListener,
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
    notifications,
    emulatorStateDir,
    isReachable: () =>
      sql.query('select 1').then(
        () => true,
        () => false,
      ),
    close,
  };
}
