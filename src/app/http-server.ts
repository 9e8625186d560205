import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { refuseUpgrade } from '../lib/http/refuse-upgrade.ts';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Takes an HTTP upgrade request (a WebSocket handshake) and its socket. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface HttpServerOptions {
  readonly handler: RequestHandler;
  /** Upgrade requests (WebSockets); without it, node:http closes their connections. */
  readonly upgrade?: UpgradeHandler;
  /** How long a drain waits for in-flight requests before cutting their connections. */
  readonly shutdownGraceMs: number;
}

/**
 * The HTTP server's lifecycle: listen, ready, drain, close. Readiness is false until `markReady` and
 * again from the first moment of a drain, so that a load balancer stops sending requests the
 * instant shutdown begins; the drain itself refuses new connections, lets in-flight requests finish
 * (up to the grace period) and closes idle keep-alive connections at once.
 */
export class HttpServer {
  readonly #server: Server;
  readonly #shutdownGraceMs: number;
  readonly #inFlight = new Set<ServerResponse>();
  #ready = false;
  #drained: Promise<void> | undefined;

  constructor(options: HttpServerOptions) {
    this.#shutdownGraceMs = options.shutdownGraceMs;
    this.#server = createServer((request, response) => {
      this.#inFlight.add(response);
      response.once('close', () => this.#inFlight.delete(response));
      // While draining, an answer on a kept-alive connection tells the client not to reuse it.
      if (this.#drained !== undefined) response.setHeader('connection', 'close');
      void options.handler(request, response);
    });
    const { upgrade } = options;
    if (upgrade !== undefined) {
      this.#server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        // A kept-alive connection may still ask for an upgrade while draining: not here any more.
        if (this.#drained !== undefined) refuseUpgrade(socket, 503, 'Service Unavailable');
        else upgrade(request, socket, head);
      });
    }
  }

  /** Resolves with the bound port once listening (`port` 0 picks a free one). */
  async listen(port: number, host: string | undefined): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return (this.#server.address() as AddressInfo).port;
  }

  /** From now on /health/ready may say so. */
  markReady(): void {
    this.#ready = true;
  }

  get ready(): boolean {
    return this.#ready && this.#drained === undefined;
  }

  /** Stops accepting, waits for in-flight requests (up to the grace period), then closes every connection. */
  drain(): Promise<void> {
    this.#drained ??= this.#drain();
    return this.#drained;
  }

  async #drain(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    const deadline = performance.now() + this.#shutdownGraceMs;
    while (this.#inFlight.size > 0 && performance.now() < deadline) {
      await sleep(Math.min(25, deadline - performance.now()));
      // Connections that finished their request meanwhile are idle now.
      this.#server.closeIdleConnections();
    }
    this.#server.closeAllConnections();
    await closed;
  }
}
