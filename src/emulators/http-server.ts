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

export class RequestBodyTooLargeError extends Error {
  constructor(limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}

/**
 * Reads the whole body as raw bytes (callers need them verbatim, e.g. to compare idempotent requests).
 * An oversized body is drained and dropped rather than cut off, so the client still reads the answer.
 */
export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received <= limitBytes) {
      chunks.push(chunk);
    }
  }
  if (received > limitBytes) {
    throw new RequestBodyTooLargeError(limitBytes);
  }
  return Buffer.concat(chunks);
}

/** Writes an already serialised JSON body, so replays can send the exact bytes of an earlier answer. */
export function writeJson(
  response: ServerResponse,
  status: number,
  jsonText: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(jsonText),
  });
  response.end(jsonText);
}
