import { randomBytes } from 'node:crypto';
import { beforeEach } from 'vitest';
import { migrate } from '../../src/store/migrate.ts';
import { PGliteClient } from '../../src/store/pglite-client.ts';
import type { NotificationListener } from '../../src/store/notification-listener.ts';
import { PostgresClient } from '../../src/store/postgres-client.ts';
import { PostgresListener } from '../../src/store/postgres-listener.ts';
import { unobserved, type SqlClient, type StatementObserver } from '../../src/store/sql-client.ts';
import { useStarted } from './lifecycle.ts';

/** The two engines the store runs on; store tests run on both. */
export const STORE_ENGINES = ['pglite', 'postgres'] as const;
export type StoreEngine = (typeof STORE_ENGINES)[number];

/**
 * The PostgreSQL server the tests use: the one on this machine (and CI's) unless
 * TEST_DATABASE_URL says otherwise. Each test database is a fresh schema in it, dropped after.
 */
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A client of the test server (or of a test schema on it), with the subgraph's default timeouts. */
export function testPostgresClient(
  connectionString: string,
  maxConnections = 10,
  observe: StatementObserver = unobserved,
): PostgresClient {
  return new PostgresClient({
    connectionString,
    maxConnections,
    connectTimeoutMs: 5_000,
    statementTimeoutMs: 10_000,
    observe,
  });
}

export interface TestDatabase {
  readonly engine: StoreEngine;
  /** Migrated, empty. */
  readonly sql: SqlClient;
  /** For a subgraph process on the same database (postgres only; PGlite is in this process). */
  readonly databaseUrl: string | null;
  /** Counts the statements sent through `sql`. */
  readonly queries: { count: number };
  close(): Promise<void>;
}

/**
 * Notifications of the test database: on PGlite its own client (one process), on PostgreSQL a
 * listening connection of its own, as the subgraph opens one.
 */
export function notificationListenerOf(db: TestDatabase): NotificationListener {
  const { sql } = db;
  if (sql instanceof PGliteClient) return { listen: sql.listen.bind(sql), close: () => Promise.resolve() };
  return new PostgresListener({
    connectionString: db.databaseUrl!,
    connectTimeoutMs: 2_000,
    heartbeatMs: 60_000,
    onConnectionError: () => undefined,
  });
}

/** A fresh, migrated database on the engine: PGlite in memory, or a new schema on the server. */
export async function openTestDatabase(engine: StoreEngine): Promise<TestDatabase> {
  const queries = { count: 0 };
  const counted: StatementObserver = (_text, run) => {
    queries.count += 1;
    return run();
  };
  if (engine === 'pglite') {
    const sql = await PGliteClient.open(undefined, counted);
    await migrate(sql);
    queries.count = 0;
    return { engine, sql, databaseUrl: null, queries, close: () => sql.close() };
  }
  const schema = await createTestSchema();
  const databaseUrl = schemaUrl(schema.name);
  const sql = testPostgresClient(databaseUrl, 10, counted);
  await migrate(sql);
  queries.count = 0;
  return {
    engine,
    sql,
    databaseUrl,
    queries,
    async close() {
      await sql.close();
      await schema.drop();
    },
  };
}

export interface UsedTestDatabase {
  readonly db: TestDatabase;
  /**
   * Another client on the same database: on postgres a separate pool (another replica), on PGlite
   * (one process only) the same client.
   */
  readonly second: SqlClient;
}

/**
 * A migrated database on the engine for the enclosing describe block (opening PGlite takes
 * seconds: one database per block), emptied before each test, its statement count back at 0.
 */
export function useTestDatabase(engine: StoreEngine): UsedTestDatabase {
  const opened = useStarted(
    async () => {
      const db = await openTestDatabase(engine);
      return { db, second: db.databaseUrl === null ? db.sql : testPostgresClient(db.databaseUrl) };
    },
    async ({ db, second }) => {
      if (second !== db.sql) await second.close();
      await db.close();
    },
  );
  beforeEach(async () => {
    // Positions start at 1 again in each test: listings cross 9 -> 10 where a test stores 10 or more.
    await opened().db.sql.query('truncate idempotency_records, payment_intents restart identity');
    opened().db.queries.count = 0;
  });
  return {
    get db() {
      return opened().db;
    },
    get second() {
      return opened().second;
    },
  };
}

/** A new empty schema on the server, for a subgraph process to migrate itself. */
export async function createTestSchema(): Promise<{
  readonly name: string;
  readonly databaseUrl: string;
  drop(): Promise<void>;
}> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = testPostgresClient(SERVER_URL, 1);
  try {
    await admin.query(`create schema ${name}`);
  } finally {
    await admin.close();
  }
  return {
    name,
    databaseUrl: schemaUrl(name),
    async drop() {
      const dropper = testPostgresClient(SERVER_URL, 1);
      try {
        await dropper.query(`drop schema if exists ${name} cascade`);
      } finally {
        await dropper.close();
      }
    },
  };
}

/** The server URL with every connection's search_path set to the schema (libpq `options`). */
function schemaUrl(schema: string): string {
  const url = new URL(SERVER_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
