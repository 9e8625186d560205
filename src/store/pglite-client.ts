import { PGlite, type Transaction } from '@electric-sql/pglite';
import { quotedChannel, type ChannelEvents } from './notification-listener.ts';
import { transactionClient, type SqlClient, type StatementObserver } from './sql-client.ts';

/**
 * PostgreSQL embedded in the process (PGlite), with its files in a directory, or in memory when
 * no directory is given. One process only: see data-directory-lock.ts.
 */
export class PGliteClient implements SqlClient {
  readonly #db: PGlite;
  readonly #observe: StatementObserver;

  private constructor(db: PGlite, observe: StatementObserver) {
    this.#db = db;
    this.#observe = observe;
  }

  static async open(dataDir: string | undefined, observe: StatementObserver): Promise<PGliteClient> {
    return new PGliteClient(await PGlite.create(dataDir), observe);
  }

  async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.#observe(text, () => this.#db.query<Row>(text, params as unknown[]))).rows;
  }

  async exec(script: string): Promise<void> {
    await this.#observe(script, () => this.#db.exec(script));
  }

  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
    return this.#db.transaction((transaction: Transaction) =>
      work(
        transactionClient(
          { query: (text, params) => transaction.query(text, params), exec: (script) => transaction.exec(script) },
          this.#observe,
        ),
      ),
    );
  }

  /** LISTEN in the one embedded database: every write is this process's, nothing is ever missed. */
  async listen(channel: string, events: Pick<ChannelEvents, 'notification'>): Promise<void> {
    await this.#db.listen(quotedChannel(channel), (payload) => {
      events.notification(payload);
    });
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
