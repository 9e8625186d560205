import { PGlite, type Transaction } from '@electric-sql/pglite';
import { transactionClient, type SqlClient } from './sql-client.ts';

/**
 * PostgreSQL embedded in the process (PGlite), with its files in a directory, or in memory when
 * no directory is given. One process only: see data-directory-lock.ts.
 */
export class PGliteClient implements SqlClient {
  readonly #db: PGlite;
  readonly #onQuery: () => void;

  private constructor(db: PGlite, onQuery: () => void) {
    this.#db = db;
    this.#onQuery = onQuery;
  }

  static async open(dataDir: string | undefined, onQuery: () => void): Promise<PGliteClient> {
    return new PGliteClient(await PGlite.create(dataDir), onQuery);
  }

  async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    this.#onQuery();
    return (await this.#db.query<Row>(text, params as unknown[])).rows;
  }

  async exec(script: string): Promise<void> {
    this.#onQuery();
    await this.#db.exec(script);
  }

  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    return this.#db.transaction((transaction: Transaction) =>
      work(
        transactionClient(
          { query: (text, params) => transaction.query(text, params), exec: (script) => transaction.exec(script) },
          this.#onQuery,
        ),
      ),
    );
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
