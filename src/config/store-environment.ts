import { z } from 'zod';
import { describeProblems, integer, unsetIfBlank } from './environment-values.ts';

/** Where the store lives, and how start-up treats its migrations. */
export const StoreEnv = z.object({
  /** The shared PostgreSQL of all replicas; unset = PGlite embedded in the process, in DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  DATABASE_MAX_CONNECTIONS: integer(1, 1_000).default(10),
  /** Longest wait for a pooled connection before a statement fails. */
  DATABASE_CONNECT_TIMEOUT_MS: integer(100, 60_000).default(5_000),
  /** A statement that runs longer is a bug or a lock pile-up: it fails rather than queue others behind it. */
  DATABASE_STATEMENT_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  /** The embedded store's folder (and the embedded emulators' state), for one process only. */
  DATA_DIR: z.string().min(1).default('./.data'),
  /**
   * `apply`: start-up applies pending migrations (under an advisory lock, so replicas starting
   * together migrate once). `verify`: they were applied by `npm run migrate` beforehand (a deploy
   * step), and start-up refuses to serve a schema older than the code.
   */
  STORE_MIGRATIONS: z.enum(['apply', 'verify'], { error: 'must be apply or verify' }).default('apply'),
});

export type StoreConfig =
  | {
      readonly kind: 'postgres';
      readonly databaseUrl: string;
      readonly maxConnections: number;
      readonly connectTimeoutMs: number;
      readonly statementTimeoutMs: number;
      readonly migrations: 'apply' | 'verify';
    }
  | { readonly kind: 'embedded'; readonly dataDir: string; readonly migrations: 'apply' | 'verify' };

export function storeConfigOf(store: z.infer<typeof StoreEnv>): StoreConfig {
  if (store.DATABASE_URL === undefined)
    return { kind: 'embedded', dataDir: store.DATA_DIR, migrations: store.STORE_MIGRATIONS };
  return {
    kind: 'postgres',
    databaseUrl: store.DATABASE_URL,
    maxConnections: store.DATABASE_MAX_CONNECTIONS,
    connectTimeoutMs: store.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: store.DATABASE_STATEMENT_TIMEOUT_MS,
    migrations: store.STORE_MIGRATIONS,
  };
}

export type StoreConfigResult =
  { readonly ok: true; readonly config: StoreConfig } | { readonly ok: false; readonly problems: string[] };

/** The store's variables alone: what `npm run migrate` needs, without the providers' keys. */
export function loadStoreConfig(env: NodeJS.ProcessEnv): StoreConfigResult {
  const parsed = StoreEnv.safeParse(unsetIfBlank(env));
  return parsed.success
    ? { ok: true, config: storeConfigOf(parsed.data) }
    : { ok: false, problems: describeProblems(parsed.error) };
}

/** The database URL and its password, as written and decoded: a driver error may quote either. */
export function storeSecrets(store: StoreConfig): string[] {
  if (store.kind === 'embedded') return [];
  const { password } = new URL(store.databaseUrl);
  return [store.databaseUrl, ...(password === '' ? [] : [password, decodeURIComponent(password)])];
}
