import { createConnection, createServer } from 'node:net';

/** A listening Unix socket this process holds; the operating system unbinds it when the process dies. */
export interface BoundSocket {
  close(): Promise<void>;
}

/**
 * Binds a listening Unix socket at `path` (a file, or a name in Linux's abstract namespace when it
 * starts with NUL); null when another socket is bound there. Once bound, holding it needs nothing
 * from this process: the kernel completes connections into its backlog even while the event loop
 * is busy, and unbinds it when the process dies, however it dies.
 */
export async function bindSocket(path: string): Promise<BoundSocket | null> {
  // Whoever connects is only asking whether someone is here: the kernel already said yes.
  const server = createServer((connection) => connection.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return null;
    throw error;
  }
  // A failed accept (say EMFILE while a probe connects) concerns that one connection; the socket
  // stays bound, and an unhandled 'error' event would take the process and its requests down.
  server.on('error', () => undefined);
  // Holding it must not keep a stopping process alive.
  server.unref();
  return { close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Whether a process listens on the socket file at `path`. Only a refusal (or no file) says no: a
 * full backlog, a permission problem or anything else is taken as "someone is there".
 */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = createConnection({ path });
    connection.once('connect', () => {
      connection.destroy();
      resolve(true);
    });
    connection.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT');
    });
  });
}
