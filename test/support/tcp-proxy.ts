import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Transform } from 'node:stream';

export interface TcpProxy {
  readonly port: number;
  /** Cuts every connection and refuses new ones: the backend "goes away". */
  cut(): Promise<void>;
  /**
   * Open connections stop carrying bytes, without closing: the backend "goes silent" (a network
   * partition). New connections are carried as usual.
   */
  stallOpenConnections(): void;
  /**
   * The next connection whose client sends bytes containing `text` is cut right there, the bytes
   * not delivered: the backend "goes away" while that statement is running.
   */
  cutNextConnectionSending(text: string): void;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 in front of a backend, to take a real server away and bring it back. */
export async function startTcpProxy(backendHost: string, backendPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  let cutOn: Buffer | null = null;

  const listen = async () => {
    const listening = createServer((client) => {
      const backend = createConnection({ host: backendHost, port: backendPort });
      for (const socket of [client, backend]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      const toBackend = new Transform({
        transform(chunk: Buffer, _encoding, forward) {
          if (cutOn === null || !chunk.includes(cutOn)) {
            forward(null, chunk);
            return;
          }
          cutOn = null;
          client.destroy();
          backend.destroy();
          forward();
        },
      });
      client.pipe(toBackend).pipe(backend).pipe(client);
    });
    listening.listen(port, '127.0.0.1');
    await once(listening, 'listening');
    port = (listening.address() as { port: number }).port;
    server = listening;
  };
  const stop = async () => {
    if (server === null) return;
    const closing = once(server, 'close');
    server.close();
    for (const socket of sockets) socket.destroy();
    await closing;
    server = null;
  };

  const stallOpenConnections = () => {
    for (const socket of sockets) {
      socket.unpipe();
      socket.pause();
    }
  };

  const cutNextConnectionSending = (text: string) => {
    cutOn = Buffer.from(text);
  };

  await listen();
  return { port, cut: stop, restore: listen, stallOpenConnections, cutNextConnectionSending, close: stop };
}
