import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { ChannelEvents, NotificationListener } from './notification-listener.ts';
import { quotedChannel } from './notification-listener.ts';

export interface PostgresListenerOptions {
  readonly connectionString: string;
  readonly connectTimeoutMs: number;
  /**
   * How often the connection is asked a trivial query: a connection that died without a word (a
   * network partition, a server failover) is noticed within this time plus `connectTimeoutMs`,
   * and its listeners told they are interrupted.
   */
  readonly heartbeatMs: number;
  /** The connection was lost (and is being re-established) or could not be re-established yet. */
  readonly onConnectionError: (error: Error) => void;
}

const RECONNECT_DELAY_MS = { first: 100, max: 5_000 } as const;

/**
 * LISTEN on the PostgreSQL server needs a connection of its own, outside the pool: a pooled
 * connection is shared and released, and its notifications would reach whoever holds it. When that
 * connection is lost, every channel's listener is told (`interrupted`), a new connection is opened
 * with a growing, jittered delay until one listens to every channel, and they are told (`resumed`).
 * One connection is opened at a time: a new one becomes the listener's only once it listens, so
 * that a loss before then is the reconnection's own failure, retried by it alone.
 */
export class PostgresListener implements NotificationListener {
  readonly #options: PostgresListenerOptions;
  readonly #channels = new Map<string, ChannelEvents>();
  /** The connection that listens to every channel; null while it is being opened, lost, or closed. */
  #client: pg.Client | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  /** The first connection being opened, or the one reconnection under way: never two at once. */
  #connecting: Promise<pg.Client | null> | null = null;
  /** Aborted by close(): it cuts short the wait before a reconnection's next attempt. */
  readonly #closing = new AbortController();
  /** Per connection, the statement last sent: the next waits for it (see #query). */
  readonly #lastStatement = new WeakMap<pg.Client, Promise<unknown>>();

  constructor(options: PostgresListenerOptions) {
    this.#options = options;
  }

  /**
   * The first channel opens the connection: failing to, it throws (the caller's start fails). A
   * channel added while the connection is being opened again waits for it.
   */
  async listen(channel: string, events: ChannelEvents): Promise<void> {
    if (this.#channels.has(channel)) throw new Error(`already listening on ${channel}`);
    const client = this.#client ?? (await (this.#connecting ??= this.#open()));
    if (client === null) throw new Error('the listener is closed');
    await this.#query(client, `listen ${quotedChannel(channel)}`);
    this.#channels.set(channel, events);
  }

  async close(): Promise<void> {
    this.#closing.abort();
    this.#stopHeartbeat();
    const client = this.#client ?? (await this.#connecting?.catch(() => null));
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  /** The first connection; a failure lets the next listen() try again. */
  #open(): Promise<pg.Client | null> {
    return this.#openListening().catch((error: unknown) => {
      this.#connecting = null;
      throw error;
    });
  }

  /**
   * Started by the loss of the listening connection, and the only one until a new connection
   * listens (or the listener is closed): every failed attempt is reported and retried by it.
   */
  async #reconnect(): Promise<pg.Client | null> {
    let delayMs: number = RECONNECT_DELAY_MS.first;
    while (!this.#isClosed()) {
      // Full jitter: replicas that lost the server together do not come back in step.
      await sleep(Math.random() * delayMs, undefined, { ref: false, signal: this.#closing.signal }).catch(
        () => undefined,
      );
      delayMs = Math.min(delayMs * 2, RECONNECT_DELAY_MS.max);
      if (this.#isClosed()) break;
      try {
        const client = await this.#openListening();
        if (client !== null) for (const events of this.#channels.values()) events.resumed();
        return client;
      } catch (error) {
        if (!this.#isClosed()) this.#options.onConnectionError(asError(error));
      }
    }
    return null;
  }

  /**
   * A new connection that listens to every channel, made the listener's own (null: closed
   * meanwhile). Until then its loss is this attempt's failure, not the listener's (see #lost).
   */
  async #openListening(): Promise<pg.Client | null> {
    const client = await this.#connect();
    try {
      for (const channel of this.#channels.keys()) await this.#query(client, `listen ${quotedChannel(channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#isClosed()) {
      await client.end().catch(() => undefined);
      return null;
    }
    this.#client = client;
    this.#connecting = null;
    this.#startHeartbeat(client);
    return client;
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.#options.connectionString,
      connectionTimeoutMillis: this.#options.connectTimeoutMs,
      // The heartbeat's own bound: a query that gets no answer means the connection is gone.
      query_timeout: this.#options.connectTimeoutMs,
      keepAlive: true,
      application_name: 'payments-subgraph-listener',
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    client.on('notification', ({ channel, payload }) => this.#channels.get(channel)?.notification(payload ?? ''));
    // 'error' without a listener would crash the process; 'end' follows it, or comes alone.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('the listening connection ended')));
    return client;
  }

  #startHeartbeat(client: pg.Client): void {
    let beating = false;
    this.#heartbeat = setInterval(() => {
      // One heartbeat at a time: an unanswered one ends in its query_timeout, and that is the news.
      if (beating) return;
      beating = true;
      this.#query(client, 'select 1')
        .catch((error: unknown) => this.#lost(client, asError(error)))
        .finally(() => (beating = false));
    }, this.#options.heartbeatMs);
    this.#heartbeat.unref();
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  /**
   * One statement at a time on a connection, in the order sent: a heartbeat and a LISTEN may be due
   * together, and pg deprecates its own queue for a query sent while another runs
   * (https://github.com/brianc/node-postgres/pull/3603).
   */
  #query(client: pg.Client, text: string): Promise<unknown> {
    const previous = this.#lastStatement.get(client) ?? Promise.resolve();
    const sent = previous.then(() => client.query(text));
    // The next statement waits for this one to end, answered or not.
    this.#lastStatement.set(
      client,
      sent.catch(() => undefined),
    );
    return sent;
  }

  /** Only the listening connection's loss is the listener's: one not listening yet is its opener's. */
  #lost(client: pg.Client, error: Error): void {
    if (this.#isClosed() || this.#client !== client) return;
    this.#client = null;
    this.#stopHeartbeat();
    client.end().catch(() => undefined);
    this.#options.onConnectionError(error);
    for (const events of this.#channels.values()) events.interrupted();
    this.#connecting = this.#reconnect();
  }

  /** Read after an await: close() may have run meanwhile. */
  #isClosed(): boolean {
    return this.#closing.signal.aborted;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
