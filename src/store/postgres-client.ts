import pg from 'pg';
import { transactionClient, type SqlClient, type StatementObserver } from './sql-client.ts';

export interface PostgresClientOptions {
  readonly connectionString: string;
  readonly maxConnections: number;
  /** Longest wait for a connection from the pool. */
  readonly connectTimeoutMs: number;
  /** A statement that runs longer is a bug or a lock pile-up: it fails rather than queue others behind it. */
  readonly statementTimeoutMs: number;
  /** Runs every statement sent (metrics, spans). */
  readonly observe: StatementObserver;
  /** An idle pooled connection broke (e.g. the server restarted); the pool replaces it. */
  readonly onIdleConnectionError?: (error: Error) => void;
}

/** The PostgreSQL server, through a pool of `pg` connections. */
export class PostgresClient implements SqlClient {
  readonly #pool: pg.Pool;
  readonly #observe: StatementObserver;

  constructor(options: PostgresClientOptions) {
    this.#observe = options.observe;
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections,
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
      application_name: 'payments-subgraph',
    });
    // Unhandled, this event would crash the process on a mere database restart.
    this.#pool.on('error', (error) => options.onIdleConnectionError?.(error));
  }

  async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.#observe(text, () => this.#pool.query<Row>(text, params as unknown[]));
    return result.rows;
  }

  async exec(script: string): Promise<void> {
    await this.#observe(script, () => this.#pool.query(script));
  }

  async transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    const connection = await this.#pool.connect();
    // Without parameters pg uses the simple protocol, which takes a script of several statements.
    const client = transactionClient(
      { query: (text, params) => connection.query(text, params), exec: (script) => connection.query(script) },
      this.#observe,
    );
    try {
      await connection.query('begin');
      const result = await work(client);
      await connection.query('commit');
      return result;
    } catch (error) {
      await connection.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
