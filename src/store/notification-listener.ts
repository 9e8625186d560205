/** What the listener of one notification channel is told. */
export interface ChannelEvents {
  /** A NOTIFY on the channel, from any session of the database, this process's included. */
  notification(payload: string): void;
  /**
   * The connection that listens was lost: notifications sent from now until `resumed` are never
   * delivered, so nothing learnt from the channel before may be trusted until then.
   */
  interrupted(): void;
  /** Listening again after an interruption: anything may have changed meanwhile. */
  resumed(): void;
}

/**
 * PostgreSQL's LISTEN/NOTIFY for the store's engine: a connection of its own on the server
 * (postgres-listener.ts), the one embedded database on PGlite (which is never interrupted).
 * https://www.postgresql.org/docs/current/sql-notify.html
 */
export interface NotificationListener {
  listen(channel: string, events: ChannelEvents): Promise<void>;
  close(): Promise<void>;
}

/** A channel name as an SQL identifier (LISTEN takes no parameter). */
export function quotedChannel(channel: string): string {
  return `"${channel.replaceAll('"', '""')}"`;
}
