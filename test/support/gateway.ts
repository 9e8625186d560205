import { readFile } from 'node:fs/promises';
import type { Order, OrdersSubgraph } from '../../examples/orders/orders-subgraph.ts';
import { startOrdersSubgraph } from '../../examples/orders/orders-subgraph.ts';
import { composeSupergraph } from '../../src/federation/compose-supergraph.ts';
import { ROUTER_SECRET_HEADER } from '../../src/http/router-authentication.ts';
import { startApolloGateway } from './apollo-gateway.ts';
import type { GatewaySetup, StartedGateway } from './gateway-setup.ts';
import { startHiveGateway } from './hive-gateway.ts';
import { postGraphQL, postJson, type HttpAnswer } from './http.ts';
import { SubgraphFetchLog, type SubgraphFetch } from './subgraph-fetches.ts';
import { startTestStack, type TestStack, type TestStackOptions } from './test-stack.ts';

// A real federation path for tests: the payments subgraph (real HTTP, both emulators), the
// example orders subgraph, and a router on 127.0.0.1 in front of them: @apollo/gateway or Hive
// Gateway, on a supergraph composed by @apollo/composition from the SDL the running payments
// subgraph itself serves (or, for Hive Gateway, composed by the gateway itself). Every fetch the
// router makes to a subgraph is recorded, so tests can count the `_entities` requests that
// reached payments.

export const PAYMENTS = 'payments';
export const ORDERS = 'orders';

/** At least 32 characters, as the subgraph's configuration requires. */
export const TEST_ROUTER_SECRET = 'test-router-secret-0123456789abcdef-federation';

export type GatewayKind = 'apollo' | 'hive';

/**
 * Which router, and what composes its supergraph: @apollo/composition (what rover and Apollo
 * Router use; the default), or Hive Gateway's own composition from the subgraphs' `_service { sdl }`.
 */
export type RouterOptions =
  | { readonly gateway?: 'apollo'; readonly composition?: 'apollo' }
  | { readonly gateway: 'hive'; readonly composition?: 'apollo' | 'hive' };

export type FederationHarnessOptions = RouterOptions & {
  /** Extra subgraph environment; ROUTER_SECRET is always set (to `routerSecret`). */
  readonly env?: Record<string, string>;
  readonly routerSecret?: string;
  readonly stack?: Omit<TestStackOptions, 'env'>;
};

export interface FederationHarness {
  readonly stack: TestStack;
  readonly routerSecret: string;
  /** What the orders subgraph serves: tests fill and replace it (the subgraph reads it live). */
  readonly orders: Order[];
  readonly ordersSubgraph: OrdersSubgraph;
  /** The SDL the running payments subgraph answered for `{ _service { sdl } }`. */
  readonly paymentsSdl: string;
  /** Where clients POST GraphQL to the router. */
  readonly gatewayUrl: string;
  /** Every operation fetch the router made to a subgraph, in order. */
  readonly fetches: readonly SubgraphFetch[];
  /** The `_entities` fetches the router sent to one subgraph (all of them, or those since `since`). */
  entityFetches(subgraph: string, since?: number): SubgraphFetch[];
  /** POST a GraphQL request to the router. */
  gateway(query: string, variables?: Record<string, unknown>): Promise<HttpAnswer>;
  /** POST straight to the payments subgraph's /graphql, with exactly these extra headers. */
  subgraph(body: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

const ORDERS_SDL_FILE = new URL('../../examples/orders/schema.graphql', import.meta.url);

export async function startFederationHarness(options: FederationHarnessOptions = {}): Promise<FederationHarness> {
  const routerSecret = options.routerSecret ?? TEST_ROUTER_SECRET;
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    // Router first (it holds connections to the subgraphs), then the subgraphs.
    for (const stop of stoppers.reverse().splice(0)) await stop();
  };

  try {
    const stack = await startTestStack({ ...options.stack, env: { ...options.env, ROUTER_SECRET: routerSecret } });
    stoppers.push(() => stack.stop());

    const orders: Order[] = [];
    const ordersSubgraph = await startOrdersSubgraph(orders);
    stoppers.push(() => ordersSubgraph.stop());

    const paymentsHeaders = { [ROUTER_SECRET_HEADER]: routerSecret };
    const serviceAnswer = await postJson(stack.app.graphqlUrl, { query: '{ _service { sdl } }' }, paymentsHeaders);
    const paymentsSdl: unknown = serviceAnswer.json?.data?._service?.sdl;
    if (serviceAnswer.status !== 200 || typeof paymentsSdl !== 'string') {
      throw new Error(
        `the payments subgraph did not serve its SDL (HTTP ${serviceAnswer.status}): ${serviceAnswer.text}`,
      );
    }

    const fetches = new SubgraphFetchLog();
    const setup: GatewaySetup = {
      subgraphs: [
        { name: PAYMENTS, url: stack.app.graphqlUrl, headers: paymentsHeaders },
        { name: ORDERS, url: ordersSubgraph.url, headers: {} },
      ],
      fetches,
    };
    const router = await startRouter(options, setup, paymentsSdl);
    stoppers.push(() => router.stop());

    return {
      stack,
      routerSecret,
      orders,
      ordersSubgraph,
      paymentsSdl,
      gatewayUrl: router.url,
      fetches: fetches.all,
      entityFetches: (subgraph, since) => fetches.entityFetches(subgraph, since),
      gateway: (query, variables) => postGraphQL(router.url, query, variables),
      subgraph: (body, headers) => postJson(stack.app.graphqlUrl, body, headers),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function startRouter(options: RouterOptions, setup: GatewaySetup, paymentsSdl: string): Promise<StartedGateway> {
  if (options.gateway === 'hive' && options.composition === 'hive') return startHiveGateway(setup, null);
  const supergraphSdl = await composeWithApollo(setup, paymentsSdl);
  return options.gateway === 'hive' ? startHiveGateway(setup, supergraphSdl) : startApolloGateway(setup, supergraphSdl);
}

async function composeWithApollo(setup: GatewaySetup, paymentsSdl: string): Promise<string> {
  const ordersSdl = await readFile(ORDERS_SDL_FILE, 'utf8');
  const composition = composeSupergraph(
    setup.subgraphs.map(({ name, url }) => ({ name, url, sdl: name === PAYMENTS ? paymentsSdl : ordersSdl })),
  );
  if (!composition.ok) throw new Error(`composition failed:\n${composition.errors.join('\n')}`);
  return composition.supergraphSdl;
}
