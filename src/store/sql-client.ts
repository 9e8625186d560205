/**
 * The small interface between the store and a PostgreSQL engine: the PostgreSQL server through
 * `pg` (DATABASE_URL) or PGlite embedded in the process (DATA_DIR). All SQL goes through it.
 */
export interface SqlClient {
  /** `Row`: the shape of the rows the caller's SQL selects, a typed cast at the one boundary with the database. */
  query<Row extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How to run statements on one connection that is already inside a transaction. */
export interface TransactionConnection {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the drivers' own row cast
  query<Row extends object>(text: string, params: unknown[]): Promise<{ rows: Row[] }>;
  exec(script: string): Promise<unknown>;
}

/**
 * Runs one statement for the engine, and may measure it (metrics, a span): every statement of both
 * engines goes through one (src/observability/statement-observer.ts in the app).
 */
export type StatementObserver = <T>(text: string, run: () => Promise<T>) => Promise<T>;

/** Runs statements as they are. */
export const unobserved: StatementObserver = (_text, run) => run();

/**
 * The SqlClient handed to a transaction's work: every statement on the transaction's own
 * connection, a nested transaction joins the outer one, and closing is the owner's business.
 */
export function transactionClient(connection: TransactionConnection, observe: StatementObserver): SqlClient {
  const client: SqlClient = {
    query: async <Row extends object>(text: string, params: readonly unknown[] = []) =>
      (await observe(text, () => connection.query<Row>(text, [...params]))).rows,
    exec: async (script: string) => {
      await observe(script, () => connection.exec(script));
    },
    transaction: (nested) => nested(client),
    close: () => Promise.resolve(),
  };
  return client;
}
