import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** e.g. http://127.0.0.1:4010 */
  readonly origin: string;
  close(): Promise<void>;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Listens on 127.0.0.1 only: the emulators are test doubles and must never be reachable from outside. */
export async function listenOnLoopback(handler: RequestHandler, port = 0): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    handler(request, response).catch(() => {
      // A request cut short by close(), a bug or an impossible injected status (1000): drop the
      // connection the way a crashed upstream would, and keep serving.
      response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: boundPort } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${boundPort}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() alone waits for keep-alive and in-flight connections to end by themselves.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
