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
 * connection is lost, every channel's listener is told (`interrupted`), the connection is opened
 * again with a growing, jittered delay, every channel is listened to again, and they are told
 * (`resumed`).
 */
export class PostgresListener implements NotificationListener {
  readonly #options: PostgresListenerOptions;
  readonly #channels = new Map<string, ChannelEvents>();
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #reconnectDelayMs: number = RECONNECT_DELAY_MS.first;
  #closed = false;
  /** Per connection, the statement last sent: the next waits for it (see #query). */
  readonly #lastStatement = new WeakMap<pg.Client, Promise<unknown>>();

  constructor(options: PostgresListenerOptions) {
    this.#options = options;
  }

  /** The first channel opens the connection: failing to, it throws (the caller's start fails). */
  async listen(channel: string, events: ChannelEvents): Promise<void> {
    if (this.#channels.has(channel)) throw new Error(`already listening on ${channel}`);
    const client = this.#client ?? (await (this.#connecting ??= this.#connect()));
    await this.#query(client, `listen ${quotedChannel(channel)}`);
    this.#channels.set(channel, events);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
    const client = this.#client ?? (await this.#connecting?.catch(() => null));
    this.#client = null;
    await client?.end().catch(() => undefined);
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
      this.#connecting = null;
      await client.end().catch(() => undefined);
      throw error;
    }
    client.on('notification', ({ channel, payload }) => this.#channels.get(channel)?.notification(payload ?? ''));
    // 'error' without a listener would crash the process; 'end' follows it, or comes alone.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('the listening connection ended')));
    this.#client = client;
    this.#connecting = null;
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
    return client;
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

  #lost(client: pg.Client, error: Error): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = null;
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    client.end().catch(() => undefined);
    this.#options.onConnectionError(error);
    for (const events of this.#channels.values()) events.interrupted();
    this.#scheduleReconnect();
  }

  /** Read after an await: close() may have run meanwhile. */
  #isClosed(): boolean {
    return this.#closed;
  }

  #scheduleReconnect(): void {
    // Full jitter: replicas that lost the server together do not come back in step.
    const delay = Math.random() * this.#reconnectDelayMs;
    this.#reconnectDelayMs = Math.min(this.#reconnectDelayMs * 2, RECONNECT_DELAY_MS.max);
    this.#reconnectTimer = setTimeout(() => void this.#reconnect(), delay);
    this.#reconnectTimer.unref();
  }

  async #reconnect(): Promise<void> {
    this.#reconnectTimer = null;
    if (this.#isClosed()) return;
    try {
      const client = await (this.#connecting = this.#connect());
      for (const channel of this.#channels.keys()) await this.#query(client, `listen ${quotedChannel(channel)}`);
    } catch (error) {
      if (this.#isClosed()) return;
      const current = this.#client;
      this.#client = null;
      if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
      await current?.end().catch(() => undefined);
      this.#options.onConnectionError(asError(error));
      this.#scheduleReconnect();
      return;
    }
    if (this.#isClosed()) return;
    this.#reconnectDelayMs = RECONNECT_DELAY_MS.first;
    for (const events of this.#channels.values()) events.resumed();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
