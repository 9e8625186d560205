import type { Duplex } from 'node:stream';

/**
 * Answers an HTTP upgrade request (a WebSocket handshake) with a plain HTTP status and closes the
 * connection: before the handshake completes no WebSocket exists to close with a code, and a client
 * or router reads the status (RFC 6455 §4.1: anything but 101 fails the handshake).
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  reason: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const lines = [`HTTP/1.1 ${status} ${reason}`, 'connection: close', 'content-length: 0'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}
