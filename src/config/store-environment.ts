import { z } from 'zod';
import { describeProblems, integer, unsetIfBlank } from './environment-values.ts';

/**
 * True when every `%` of the text begins an escape of UTF-8 bytes (RFC 3986, section 2.1), as the
 * driver decodes a URL's user name and password. Otherwise the driver fails at its first connection
 * or guesses (pg-connection-string re-encodes some such URLs, not others), and the password sent is
 * not the one known to be scrubbed from logs.
 */
function percentDecodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** Piped: the user-info rule reads a URL that parsed (a refine would also run after a failed format check). */
const databaseUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).pipe(
  z.string().refine((url) => {
    const { username, password } = new URL(url);
    return percentDecodes(username) && percentDecodes(password);
  }, 'must percent-encode its user name and password as UTF-8: a % itself is written %25'),
);

/** Where the store lives, and how start-up treats its migrations. */
export const StoreEnv = z.object({
  /** The shared PostgreSQL of all replicas; unset = PGlite embedded in the process, in DATA_DIR. */
  DATABASE_URL: databaseUrl.optional(),
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

/**
 * The password of a DATABASE_URL as the driver sends it (percent-decoded); undefined when the URL has
 * none (the driver then takes PGPASSWORD or a password file) or is not one StoreEnv accepts.
 */
export function databasePasswordOf(url: string | undefined): string | undefined {
  const parsed = databaseUrl.safeParse(url);
  if (!parsed.success) return undefined;
  const { password } = new URL(parsed.data);
  return password === '' ? undefined : decodeURIComponent(password);
}

/**
 * The database URL and its password, as written and decoded: a driver error may quote either. The
 * driver also takes a password from the query (`?password=`), already decoded there.
 */
export function storeSecrets(store: StoreConfig): string[] {
  if (store.kind === 'embedded') return [];
  const { password, searchParams } = new URL(store.databaseUrl);
  return [
    store.databaseUrl,
    ...(password === '' ? [] : [password, decodeURIComponent(password)]),
    ...searchParams.getAll('password'),
  ];
}
