import { readdir, readFile } from 'node:fs/promises';
import type { SqlClient } from './sql-client.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
// Any constant both engines agree on: serialises replicas that start together.
const MIGRATION_LOCK_ID = 4_001_2024;

export interface MigrationReport {
  readonly applied: readonly string[];
}

/** The store's schema is older than the code, and this process was told not to migrate it. */
export class PendingMigrationsError extends Error {
  override readonly name = 'PendingMigrationsError';
}

async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file)).sort();
}

const versionOf = (file: string) => file.replace(/\.sql$/, '');

/**
 * Applies the versioned migrations (migrations/NNNN_name.sql) not applied yet, in order, in one
 * transaction under an advisory lock: when several replicas start at once, one migrates and
 * the others wait, then find nothing left to do. The same files run on PGlite and PostgreSQL.
 */
export async function migrate(client: SqlClient): Promise<MigrationReport> {
  const files = await migrationFiles();
  return client.transaction(async (transaction) => {
    await transaction.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await transaction.query(
      `create table if not exists schema_migrations (
         version text primary key, applied_at timestamptz not null default now())`,
    );
    const done = new Set(
      (await transaction.query<{ version: string }>('select version from schema_migrations')).map((row) => row.version),
    );
    const applied: string[] = [];
    for (const file of files) {
      const version = versionOf(file);
      if (done.has(version)) continue;
      await transaction.exec(await readFile(new URL(file, MIGRATIONS_DIR), 'utf8'));
      await transaction.query('insert into schema_migrations (version) values ($1)', [version]);
      applied.push(version);
    }
    return { applied };
  });
}

/**
 * Refuses a store whose schema lacks a migration of this code (STORE_MIGRATIONS=verify: a deploy
 * step ran `npm run migrate` first). Reads only: safe while other replicas serve.
 */
export async function verifyMigrated(client: SqlClient): Promise<MigrationReport> {
  const [table] = await client.query<{ exists: boolean }>(
    `select to_regclass('schema_migrations') is not null as exists`,
  );
  const done = table?.exists
    ? new Set(
        (await client.query<{ version: string }>('select version from schema_migrations')).map((row) => row.version),
      )
    : new Set<string>();
  const pending = (await migrationFiles()).map(versionOf).filter((version) => !done.has(version));
  if (pending.length > 0) {
    throw new PendingMigrationsError(
      `the store lacks ${pending.length} migration(s) of this version (${pending.join(', ')}): run npm run migrate first, ` +
        'or set STORE_MIGRATIONS=apply',
    );
  }
  return { applied: [] };
}
