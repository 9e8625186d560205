import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { PAYMENT_INTENT_FIELDS } from './operations.ts';

export const PAYMENT_INTENT_UPDATED = /* GraphQL */ `
  subscription Watch($id: ID!) {
    paymentIntentUpdated(id: $id) {
      ...PaymentIntentFields
    }
  }
  ${PAYMENT_INTENT_FIELDS}
`;

/** What one subscription received, as it arrives. */
export interface WatchedSubscription {
  /** Each `next` payload's data.paymentIntentUpdated, in order. */
  readonly events: (Record<string, any> | null)[];
  /** performance.now() at each event. */
  readonly arrivals: number[];
  /** Errors of `next` payloads, or of an `error` message. */
  readonly errors: { message: string; extensions?: Record<string, unknown> }[];
  /** Resolves when the server completes the subscription (or it errors). */
  readonly done: Promise<void>;
  /** Resolves once `count` events have arrived; rejects after `timeoutMs`. */
  eventCount(count: number, timeoutMs?: number): Promise<void>;
  /** Completes it from the client's side. */
  cancel(): void;
}

/** The ws: URL of a subgraph's or gateway's GraphQL http: URL. */
export function webSocketUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/^http/, 'ws');
}

/** The HTTP answer to a WebSocket upgrade the server refuses; rejects if the socket opens. */
export function refusedHandshake(
  graphqlUrl: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(webSocketUrl(graphqlUrl), 'graphql-transport-ws', { headers });
    socket.on('unexpected-response', (_request, response) => {
      const retryAfter = response.headers['retry-after'];
      resolve({ status: response.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
    });
    socket.on('open', () => {
      socket.close();
      reject(new Error('the socket opened'));
    });
    socket.on('error', reject);
  });
}

/** A WebSocket implementation that sends these headers on its upgrade request, as a router does. */
function webSocketWithHeaders(headers: Record<string, string>): unknown {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };
}

export interface SubscriptionClient {
  readonly client: Client;
  /** Close codes of the sockets this client saw closing (RFC 6455 §7.4). */
  readonly closeCodes: number[];
  watch(id: string, query?: string): WatchedSubscription;
  dispose(): Promise<void>;
}

/**
 * A graphql-ws client (the protocol's reference client, on the `ws` package) for one subgraph or
 * gateway URL; `headers` go on the upgrade request (the router's secret). It does not retry: a
 * refused handshake or a closed socket shows in `closeCodes` and ends the subscriptions.
 */
export function subscriptionClient(graphqlUrl: string, headers: Record<string, string> = {}): SubscriptionClient {
  const closeCodes: number[] = [];
  const client = createClient({
    url: webSocketUrl(graphqlUrl),
    webSocketImpl: webSocketWithHeaders(headers),
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closeCodes.push((event as { code: number }).code) },
  });
  return {
    client,
    closeCodes,
    watch(id, query = PAYMENT_INTENT_UPDATED) {
      const events: (Record<string, any> | null)[] = [];
      const arrivals: number[] = [];
      const errors: WatchedSubscription['errors'] = [];
      let cancel: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        cancel = client.subscribe<{ paymentIntentUpdated: Record<string, any> | null }>(
          { query, variables: { id } },
          {
            next: (result) => {
              if (result.errors !== undefined) errors.push(...(result.errors as WatchedSubscription['errors']));
              if (result.data !== undefined && result.data !== null) {
                events.push(result.data.paymentIntentUpdated);
                arrivals.push(performance.now());
              }
            },
            error: (error) => {
              if (Array.isArray(error)) errors.push(...(error as WatchedSubscription['errors']));
              else errors.push({ message: error instanceof Error ? error.message : JSON.stringify(error) });
              resolve();
            },
            complete: resolve,
          },
        );
      });
      return {
        events,
        arrivals,
        errors,
        done,
        cancel: () => cancel(),
        async eventCount(count, timeoutMs = 10_000) {
          const giveUpAt = performance.now() + timeoutMs;
          while (events.length < count) {
            if (performance.now() > giveUpAt) {
              throw new Error(`${events.length} of ${count} events after ${timeoutMs} ms: ${JSON.stringify(errors)}`);
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        },
      };
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}
