import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { Order, OrdersSubgraph } from '../../examples/orders/orders-subgraph.ts';
import { startOrdersSubgraph } from '../../examples/orders/orders-subgraph.ts';
import { composeSupergraph } from '../../src/federation/compose-supergraph.ts';
import { ROUTER_SECRET_HEADER } from '../../src/http/router-authentication.ts';
import { postGraphQL, postJson, type HttpAnswer } from './http.ts';
import { startTestStack, type TestStack, type TestStackOptions } from './test-stack.ts';

// A real federation path for tests: the payments subgraph (real HTTP, both emulators), the
// example orders subgraph, and an @apollo/gateway in an Apollo Server on 127.0.0.1, composed
// from the SDL the running payments subgraph itself serves. Every fetch the gateway makes to
// a subgraph is recorded, so tests can count the `_entities` requests that reached payments.

export const PAYMENTS = 'payments';
export const ORDERS = 'orders';

/** At least 32 characters, as the subgraph's configuration requires. */
export const TEST_ROUTER_SECRET = 'test-router-secret-0123456789abcdef-federation';

export interface SubgraphFetch {
  readonly subgraph: string;
  readonly query: string;
  readonly variables: Record<string, unknown> | undefined;
  /** The `representations` variable of an `_entities` fetch, else empty. */
  readonly representations: readonly Record<string, unknown>[];
  /** The subgraph's parsed answer, once it arrived. */
  response?: {
    data?: Record<string, unknown> | null;
    errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  };
}

export interface FederationHarness {
  readonly stack: TestStack;
  readonly routerSecret: string;
  /** What the orders subgraph serves: tests fill and replace it (the subgraph reads it live). */
  readonly orders: Order[];
  readonly ordersSubgraph: OrdersSubgraph;
  /** The SDL the running payments subgraph answered for `{ _service { sdl } }`. */
  readonly paymentsSdl: string;
  readonly supergraphSdl: string;
  /** e.g. http://127.0.0.1:PORT/ */
  readonly gatewayUrl: string;
  /** Every fetch the gateway made to a subgraph, in order. */
  readonly fetches: SubgraphFetch[];
  /** The `_entities` fetches the gateway sent to one subgraph (all of them, or those since `since`). */
  entityFetches(subgraph: string, since?: number): SubgraphFetch[];
  /** POST a GraphQL request to the gateway. */
  gateway(query: string, variables?: Record<string, unknown>): Promise<HttpAnswer>;
  /** POST straight to the payments subgraph's /graphql, with exactly these extra headers. */
  subgraph(body: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

export interface FederationHarnessOptions {
  /** Extra subgraph environment; ROUTER_SECRET is always set (to `routerSecret`). */
  readonly env?: Record<string, string>;
  readonly routerSecret?: string;
  readonly stack?: Omit<TestStackOptions, 'env'>;
}

const ORDERS_SDL_FILE = new URL('../../examples/orders/schema.graphql', import.meta.url);

const ignore = () => undefined;
const quietLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

export async function startFederationHarness(options: FederationHarnessOptions = {}): Promise<FederationHarness> {
  const routerSecret = options.routerSecret ?? TEST_ROUTER_SECRET;
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    // Gateway first (it holds connections to the subgraphs), then the subgraphs.
    for (const stop of stoppers.reverse().splice(0)) await stop();
  };

  try {
    const stack = await startTestStack({ ...options.stack, env: { ...options.env, ROUTER_SECRET: routerSecret } });
    stoppers.push(() => stack.stop());

    const orders: Order[] = [];
    const ordersSubgraph = await startOrdersSubgraph(orders);
    stoppers.push(() => ordersSubgraph.stop());

    const serviceAnswer = await postJson(
      stack.app.graphqlUrl,
      { query: '{ _service { sdl } }' },
      { [ROUTER_SECRET_HEADER]: routerSecret },
    );
    const paymentsSdl: unknown = serviceAnswer.json?.data?._service?.sdl;
    if (serviceAnswer.status !== 200 || typeof paymentsSdl !== 'string') {
      throw new Error(
        `the payments subgraph did not serve its SDL (HTTP ${serviceAnswer.status}): ${serviceAnswer.text}`,
      );
    }
    const composition = composeSupergraph([
      { name: PAYMENTS, url: stack.app.graphqlUrl, sdl: paymentsSdl },
      { name: ORDERS, url: ordersSubgraph.url, sdl: await readFile(ORDERS_SDL_FILE, 'utf8') },
    ]);
    if (!composition.ok) throw new Error(`composition failed:\n${composition.errors.join('\n')}`);

    const fetches: SubgraphFetch[] = [];
    const inFlight = new WeakMap<object, SubgraphFetch>();
    const gateway = new ApolloGateway({
      supergraphSdl: composition.supergraphSdl,
      logger: quietLogger,
      buildService: ({ name, url }) =>
        new RemoteGraphQLDataSource({
          url,
          willSendRequest({ request }) {
            request.http?.headers.set(ROUTER_SECRET_HEADER, routerSecret);
            const representations = request.variables?.representations;
            const fetch: SubgraphFetch = {
              subgraph: name,
              query: request.query ?? '',
              variables: request.variables,
              representations: Array.isArray(representations) ? (representations as Record<string, unknown>[]) : [],
            };
            fetches.push(fetch);
            // Paired with its answer below: the gateway copies the request between the two hooks
            // but keeps its `http` object.
            if (request.http !== undefined) inFlight.set(request.http, fetch);
          },
          didReceiveResponse({ request, response }) {
            const fetch = request.http === undefined ? undefined : inFlight.get(request.http);
            if (fetch !== undefined) fetch.response = structuredClone(response);
            return response;
          },
        }),
    });
    // A production-like router: no stack traces in answers.
    const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
    const { url: gatewayUrl } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    stoppers.push(() => server.stop());

    return {
      stack,
      routerSecret,
      orders,
      ordersSubgraph,
      paymentsSdl,
      supergraphSdl: composition.supergraphSdl,
      gatewayUrl,
      fetches,
      entityFetches: (subgraph, since = 0) =>
        fetches.slice(since).filter((fetch) => fetch.subgraph === subgraph && /\b_entities\b/.test(fetch.query)),
      gateway: (query, variables) => postGraphQL(gatewayUrl, query, variables),
      subgraph: (body, headers) => postJson(stack.app.graphqlUrl, body, headers),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
