import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
// The extra graphql-ws's own glue gives its callbacks (the socket, the upgrade request), kept as is.
import type { Extra } from 'graphql-ws/use/ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logging/logger.ts';

/**
 * graphql-ws's protocol server on the sockets of a ws server: what graphql-ws's own `useServer`
 * (graphql-ws/use/ws) does, with what goes wrong told in this service's log rather than printed with
 * `console.error`, a line of free text and a stack on stderr, which any client could cause by sending
 * a frame that breaks the WebSocket protocol. A client's broken frame is its own error: ws has already
 * closed its socket with the code that says why (1009, message too big; 1002, protocol error; 1007,
 * invalid UTF-8: RFC 6455 §7.4.1), and the line is a warning with ws's code. A failure to handle a
 * message is this service's: an error line, and the socket closed with 1011 and a reason that says
 * nothing of it. https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
 */
export function serveGraphQLOverSockets(
  options: ServerOptions<Record<string, unknown>, Extra>,
  sockets: WebSocketServer,
  keepAliveMs: number,
  logger: Logger,
): { dispose(): Promise<void> } {
  const server = makeServer(options);
  sockets.options.handleProtocols = handleProtocols;
  sockets.on('error', (error) => {
    logger.error({ err: error }, 'WebSocket server failed: closing its sockets');
    for (const socket of sockets.clients) socket.close(CloseCode.InternalServerError, 'Internal server error');
  });
  sockets.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    // Every one is listened to: an 'error' event with no listener would be thrown, and end the process.
    socket.on('error', (error: Error & { code?: string }) => {
      logger.warn({ wsCode: error.code ?? null, reason: error.message }, 'WebSocket closed on an error of its client');
    });
    const stopKeepAlive = keepAlive(socket, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) {
              resolve();
              return;
            }
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: RawData) => {
            // One Buffer with ws's default binaryType (nodebuffer), fragments joined.
            handle((data as Buffer).toString('utf8')).catch((error: unknown) => {
              logger.error({ err: error }, 'GraphQL over WebSocket message failed: closing the socket');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    socket.once('close', (code: number, reason: Buffer) => {
      stopKeepAlive();
      closed(code, reason.toString()).catch((error: unknown) => {
        logger.error({ err: error }, 'GraphQL over WebSocket close failed');
      });
    });
  });
  return {
    dispose: async () => {
      for (const socket of sockets.clients) socket.close(1001, 'Going away');
      sockets.removeAllListeners();
      await new Promise<void>((resolve, reject) => {
        sockets.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

/**
 * A ping every interval (RFC 6455 §5.5.2); a socket whose pong does not come back within the next
 * interval is cut: its peer is gone without a close. Returns the stop.
 */
function keepAlive(socket: WebSocket, intervalMs: number): () => void {
  if (!(intervalMs > 0 && Number.isFinite(intervalMs))) return () => undefined;
  let pongWait: NodeJS.Timeout | null = null;
  const pings = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    pongWait = setTimeout(() => socket.terminate(), intervalMs);
    socket.once('pong', () => {
      if (pongWait !== null) clearTimeout(pongWait);
      pongWait = null;
    });
    socket.ping();
  }, intervalMs);
  return () => {
    clearInterval(pings);
    if (pongWait !== null) clearTimeout(pongWait);
  };
}
